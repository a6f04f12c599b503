"""The notification centre, the mail settings for notifications, and the JSON list of names
the mention autocomplete offers."""

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from ..extensions import db
from ..web import acting_user
from . import bp, mentions, notifications, posting
from .activity_models import MailMode
from .forms import MailSettingsForm
from .listing import ANY_ID, per_entry


@bp.app_context_processor
def notification_helpers():
    """``forum_unread()`` for the header's count: stored with the user (see ``inbox_count``),
    so reading it costs no query."""
    return {"forum_unread": lambda: acting_user().unread_notifications}


@bp.route("/benachrichtigungen")
@login_required
def notifications_page():
    """The visitor's notifications, newest first, unread ones marked."""
    older_than = request.args.get("vor", type=int)
    page = notifications.inbox_page(acting_user(), older_than)
    return render_template(
        "forum/notifications.html",
        page=page,
        paged=older_than is not None,
        open_link=per_entry(".open_notification", notification_id=ANY_ID),
    )


@bp.route("/benachrichtigungen/<int:notification_id>")
@login_required
def open_notification(notification_id: int):
    """Mark a notification read and go to its post."""
    notification = notifications.open_notification(acting_user(), notification_id)
    if notification is None:
        abort(404)
    db.session.commit()
    return redirect(posting.post_path(notification.post))


@bp.post("/benachrichtigungen/alle-gelesen")
@login_required
def mark_notifications_read():
    """Mark every notification read."""
    notifications.mark_all_read(acting_user())
    db.session.commit()
    flash(_("Alle Benachrichtigungen sind als gelesen markiert."), "success")
    return redirect(url_for(".notifications_page"))


@bp.route("/benachrichtigungen/einstellungen", methods=["GET", "POST"])
@login_required
def notification_settings():
    """Choose mail: immediately, a daily digest, or none."""
    form = MailSettingsForm(
        data=None if request.method == "POST" else {"mail_mode": notifications.mail_mode(acting_user()).value}
    )
    if form.validate_on_submit():
        notifications.set_mail_mode(acting_user(), MailMode(form.mail_mode.data))
        db.session.commit()
        flash(_("Ihre Einstellung ist gespeichert."), "success")
        return redirect(url_for(".notification_settings"))
    return render_template("forum/notification_settings.html", form=form)


@bp.route("/forum/erwaehnungen")
@login_required
def mention_suggestions():
    """People and organisations whose name contains ``q``, as JSON for the autocomplete."""
    return jsonify(mentions.suggest(request.args.get("q", "")[:100]))
