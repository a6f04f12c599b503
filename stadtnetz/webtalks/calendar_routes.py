"""Calendar downloads: one talk as ``.ics``, and the subscribable feeds (the visitor's registered
talks, a working group's talks) whose URLs carry the user's secret token instead of a login,
because calendar programs cannot log in."""

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..accounts.permissions import may_read_group
from ..extensions import db
from ..forum.loading import group_or_404
from ..web import acting_user
from . import bp, calendar, feeds, talks
from .forms import ActionForm
from .routes import talk_or_404


def _ics(body: bytes, filename: str) -> Response:
    return Response(
        body, mimetype="text/calendar", headers={"Content-Disposition": f'inline; filename="{filename}"'}
    )


@bp.route("/webtalks/<int:talk_id>.ics")
def talk_ics(talk_id: int):
    """One talk for the visitor's calendar."""
    talk = talk_or_404(talk_id)
    return _ics(calendar.calendar([talk]), f"webtalk-{talk.id}.ics")


@bp.route("/webtalks/kalender", methods=["GET", "POST"])
@login_required
def feeds_page():
    """The visitor's feed URLs; posting replaces the token, which revokes every old URL."""
    form = ActionForm()
    if form.validate_on_submit():
        feeds.renew_token(acting_user())
        db.session.commit()
        flash(_("Ihre Kalender-Adressen sind erneuert; die alten funktionieren nicht mehr."), "success")
        return redirect(url_for(".feeds_page"))
    token = feeds.token_of(acting_user())
    db.session.commit()
    return render_template(
        "webtalks/feeds.html", token=token, form=form, groups=feeds.readable_groups(current_user)
    )


@bp.route("/webtalks/kalender/<token>.ics")
def my_feed(token: str):
    """The token owner's registered talks (cancelled ones as ``STATUS:CANCELLED``)."""
    user = feeds.user_for_token(token) or abort(404)
    return _ics(calendar.calendar(feeds.registered_talks(user), _("Meine Webtalks")), "meine-webtalks.ics")


@bp.route("/webtalks/kalender/<token>/<slug>.ics")
def group_feed(token: str, slug: str):
    """A working group's talks, as far as the token's owner may see them."""
    user = feeds.user_for_token(token) or abort(404)
    group = group_or_404(slug)
    if not may_read_group(user, group):
        abort(404)
    return _ics(calendar.calendar(talks.talks_of_group(user, group), group.name), f"{group.slug}.ics")
