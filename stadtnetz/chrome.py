"""The header and footer every page carries, rendered once per language, page and kind of
viewer (``rendering``), with the viewer's own parts filled in per request: their name, the
count of unread notifications, the CSRF token of the logout and language forms, the page to
return to after switching the language.

What the templates (``_header.html``, ``_footer.html``) depend on is in the key: the endpoint
(which navigation entry is the current page), whether the viewer is logged in and may see the
moderation and federation entries, and whether the page credits the census data.
"""

from flask import Flask, render_template, request
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from .accounts.permissions import can
from .rendering import cached, fragment


def header(unread: int) -> Markup:
    """The skip link and the site header, with ``unread`` notifications in the account menu."""
    user = current_user._get_current_object()
    may_moderate = can(user, "moderation.access")
    may_federate = can(user, "federation.manage")
    rendered = cached(
        ("header", request.endpoint, user.is_authenticated, may_moderate, may_federate),
        lambda: fragment(
            render_template("_header.html", may_moderate=may_moderate, may_federate=may_federate)
        ),
    )
    badge = ""
    if unread:
        text = ngettext("%(num)d ungelesen", "%(num)d ungelesen", unread)
        badge = Markup(' <span class="badge badge-count">%s</span>') % text
    return rendered.fill(
        {
            "name": lambda _id: escape(user.name) if user.is_authenticated else "",
            "unread": lambda _id: badge,
            "csrf": lambda _id: generate_csrf(),
        }
    )


def footer(data_credit) -> Markup:
    """The site footer with the language form, crediting the census data where a page uses it."""
    rendered = cached(
        ("footer", bool(data_credit)),
        lambda: fragment(render_template("_footer.html", data_credit=bool(data_credit))),
    )
    back = request.full_path if request.query_string else request.path
    return rendered.fill({"csrf": lambda _id: generate_csrf(), "next": lambda _id: escape(back)})


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(chrome_header=header, chrome_footer=footer)
