"""Moderation pages: flagging a post, the moderators' queue, acting on a post or a thread,
moving a thread, and the audit log."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..accounts.permissions import require
from ..errors import Invalid
from ..extensions import db
from ..web import acting_user, show_invalid
from . import bp, moderation, posting
from .forms import FlagForm, ModeratePostForm, MoveForm
from .loading import page_arg, post_or_404, thread_or_404
from .models import WorkingGroup

POST_ACTIONS = {
    "hide": (
        lambda actor, post, reason: moderation.hide_post(actor, post, reason),
        _l("Der Beitrag ist ausgeblendet."),
    ),
    "restore": (
        lambda actor, post, _reason: moderation.restore_post(actor, post),
        _l("Der Beitrag ist wieder sichtbar."),
    ),
    "delete": (
        lambda actor, post, reason: moderation.delete_post(actor, post, reason),
        _l("Der Beitrag ist gelöscht."),
    ),
}
THREAD_MESSAGES = {
    "lock": _l("Das Thema ist geschlossen."),
    "unlock": _l("Das Thema ist wieder offen."),
    "pin": _l("Das Thema ist angeheftet."),
    "unpin": _l("Das Thema ist nicht mehr angeheftet."),
}


@bp.route("/forum/beitraege/<int:post_id>/melden", methods=["GET", "POST"])
@login_required
def flag_post(post_id: int):
    """Report a post to the moderators, with a reason."""
    post = post_or_404(post_id)
    require(current_user, "forum.flag_post", post)
    form = FlagForm()
    if form.validate_on_submit():
        try:
            moderation.flag_post(acting_user(), post, form.reason.data)
        except Invalid as error:
            show_invalid(form, error)
        else:
            db.session.commit()
            flash(_("Danke. Die Moderation sieht sich den Beitrag an."), "success")
            return redirect(posting.post_path(post))
    return render_template(
        "forum/flag.html", post=post, thread=post.thread, group=post.thread.group, form=form
    )


@bp.post("/forum/beitraege/<int:post_id>/moderieren")
@login_required
def moderate_post(post_id: int):
    """Hide, restore or delete a post (deleting and hiding need a reason)."""
    post = post_or_404(post_id)
    require(current_user, "forum.moderate", post.thread.group)
    form = ModeratePostForm()
    if not form.validate() or form.action.data not in POST_ACTIONS:
        abort(400)
    action, message = POST_ACTIONS[form.action.data]
    try:
        action(acting_user(), post, form.reason.data or "")
    except Invalid as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(str(message), "success")
    return redirect(posting.post_path(post))


@bp.post("/forum/themen/<int:thread_id>/moderieren/<action>")
@login_required
def moderate_thread(thread_id: int, action: str):
    """Lock, unlock, pin or unpin a thread."""
    thread = thread_or_404(thread_id)
    require(current_user, "forum.moderate", thread.group)
    if action not in THREAD_MESSAGES:
        abort(404)
    moderation.switch_thread(acting_user(), thread, action)
    db.session.commit()
    flash(str(THREAD_MESSAGES[action]), "success")
    return redirect(url_for(".thread", thread_id=thread.id))


@bp.post("/forum/themen/<int:thread_id>/verschieben")
@login_required
def move_thread(thread_id: int):
    """Move a thread to another group the moderator also moderates."""
    thread = thread_or_404(thread_id)
    require(current_user, "forum.moderate", thread.group)
    form = MoveForm()
    target = db.session.get(WorkingGroup, form.group.data or 0) if form.group.raw_data else None
    if target is None:
        abort(400)
    try:
        moderation.move_thread(acting_user(), thread, target, form.reason.data or "")
    except Invalid as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("Das Thema ist jetzt in der Arbeitsgruppe %(name)s.", name=target.name), "success")
    return redirect(url_for(".thread", thread_id=thread.id))


@bp.route("/forum/moderation")
@login_required
def moderation_queue():
    """Flagged posts and posts awaiting review in the groups the visitor moderates."""
    require(current_user, "forum.see_queue", moderation.moderated_group_ids(acting_user()))
    return render_template(
        "forum/queue.html",
        posts=moderation.queue(acting_user()),
        form=ModeratePostForm(),
        open_flags=moderation.open_flags,
    )


@bp.route("/forum/moderation/protokoll")
@login_required
def audit_log():
    """Who did what, when and why, in the groups the visitor moderates."""
    require(current_user, "forum.see_queue", moderation.moderated_group_ids(acting_user()))
    return render_template("forum/audit_log.html", page=moderation.audit_log(acting_user(), page_arg()))
