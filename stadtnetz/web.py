"""Request-wide behaviour every page inherits: security headers, template helpers and page
sections (the way a feature adds a section to a page it does not own, e.g. practices on a
municipality's profile, without the page's module importing the feature)."""

from collections import defaultdict
from collections.abc import Callable

from flask import Flask
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup
from werkzeug.middleware.proxy_fix import ProxyFix

# No third-party origin anywhere: every asset is served by the instance itself.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


Section = Callable[..., str]
_sections: dict[str, list[Section]] = defaultdict(list)


def page_section(page: str) -> Callable[[Section], Section]:
    """Register a function that renders (``render_template``) a section of ``page``."""

    def register(func: Section) -> Section:
        _sections[page].append(func)
        return func

    return register


def render_sections(page: str, *args, **kwargs) -> Markup:
    """Every registered section of ``page``, rendered with the page's arguments, in order."""
    return Markup("").join(Markup(func(*args, **kwargs)) for func in _sections[page])


def init_app(app: Flask) -> None:
    """Install the headers, the reverse-proxy fix and the helpers templates use."""
    from .accounts.permissions import can  # accounts' routes import this module

    proxies = app.config["PROXY_COUNT"]
    if proxies:
        # Behind a reverse proxy the client's address (rate limits) and scheme come from it.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)

    @app.after_request
    def security_headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if app.config["SESSION_COOKIE_SECURE"]:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response

    @app.context_processor
    def template_helpers():
        return {"can": can, "current_locale": str(get_locale()), "render_sections": render_sections}


def safe_next(target: str | None, default: str = "/") -> str:
    """A same-site path to redirect to; anything absolute or scheme-relative falls back."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def acting_user():
    """The logged-in user as a model object: services and signal receivers get no proxy."""
    return current_user._get_current_object()


def show_invalid(form, error) -> None:
    """Put a service's ``Invalid`` next to its form field, or above the form."""
    if error.field in form:
        form[error.field].errors.append(str(error.message))
    else:
        form.form_errors.append(str(error.message))
