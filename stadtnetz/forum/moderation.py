"""Moderation services: flags, the moderators' queue, hiding, deleting with a reason, locking,
pinning and moving threads, and the audit log every moderator action writes.

Three flags from different verified users hide a post until a moderator reviews it: enough
agreement among people who act for an organisation to act before a moderator is awake.
"""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload, undefer

from .. import search
from ..accounts.models import User
from ..accounts.permissions import can, require
from ..database import utcnow
from ..errors import Invalid
from ..extensions import db
from ..signals import post_deleted
from .activity_models import Flag, ModerationAction
from .models import GroupMembership, GroupMemberStatus, GroupRole, Post, Thread, WorkingGroup

FLAGS_TO_HIDE = 3
REASON_MAX = 1000
PER_PAGE = 50


def _reason(text: str, required: bool = True) -> str:
    text = (text or "").strip()
    if required and not text:
        raise Invalid(_l("Bitte geben Sie einen Grund an."), "reason")
    if len(text) > REASON_MAX:
        raise Invalid(_l("Der Grund ist zu lang (höchstens %(max)d Zeichen).", max=REASON_MAX), "reason")
    return text


def _log(actor: User | None, action: str, thread: Thread, post: Post | None = None, reason: str = "") -> None:
    db.session.add(
        ModerationAction(
            actor=actor, action=action, group_id=thread.group_id, thread=thread, post=post, reason=reason
        )
    )


def open_flags(post: Post) -> list[Flag]:
    return list(
        db.session.scalars(sa.select(Flag).where(Flag.post_id == post.id, Flag.resolved_at.is_(None)))
    )


def flag_post(actor: User, post: Post, reason: str) -> Flag:
    """Report a post; the third open flag by verified users hides it until reviewed."""
    require(actor, "forum.flag_post", post)
    reason = _reason(reason)
    if db.session.scalar(sa.select(Flag.id).where(Flag.post_id == post.id, Flag.user_id == actor.id)):
        raise Invalid(_l("Sie haben diesen Beitrag bereits gemeldet."), "reason")
    flag = Flag(post=post, user=actor, reason=reason)
    db.session.add(flag)
    db.session.flush()
    verified = [f for f in open_flags(post) if f.user.is_verified]
    if len(verified) >= FLAGS_TO_HIDE and not post.is_hidden:
        post.hidden_at, post.awaiting_review = utcnow(), True
        _log(
            None,
            "auto_hide",
            post.thread,
            post,
            str(_l("%(count)d Meldungen verifizierter Personen", count=len(verified))),
        )
    db.session.flush()
    return flag


def _resolve_flags(post: Post) -> None:
    for flag in open_flags(post):
        flag.resolved_at = utcnow()


def hide_post(actor: User, post: Post, reason: str) -> None:
    """Hide a post from everyone but moderators; open flags count as handled."""
    require(actor, "forum.moderate", post.thread.group)
    reason = _reason(reason)
    post.hidden_at = post.hidden_at or utcnow()
    post.awaiting_review = False
    _resolve_flags(post)
    _log(actor, "hide", post.thread, post, reason)
    db.session.flush()


def restore_post(actor: User, post: Post) -> None:
    """Show a hidden post again and dismiss its flags (the review found nothing wrong)."""
    require(actor, "forum.moderate", post.thread.group)
    post.hidden_at, post.awaiting_review = None, False
    _resolve_flags(post)
    _log(actor, "restore", post.thread, post)
    db.session.flush()


def delete_post(actor: User, post: Post, reason: str) -> None:
    """Delete a post's text for good; a placeholder with the reason stays in the thread."""
    require(actor, "forum.moderate", post.thread.group)
    reason = _reason(reason)
    post.deleted_at, post.deleted_reason = utcnow(), reason
    post.awaiting_review = False
    _resolve_flags(post)
    _log(actor, "delete", post.thread, post, reason)
    db.session.flush()
    post_deleted.send(post)


THREAD_SWITCHES = {
    "lock": ("locked", True),
    "unlock": ("locked", False),
    "pin": ("pinned", True),
    "unpin": ("pinned", False),
}


def switch_thread(actor: User, thread: Thread, action: str) -> None:
    """Lock, unlock, pin or unpin a thread."""
    require(actor, "forum.moderate", thread.group)
    attribute, value = THREAD_SWITCHES[action]
    setattr(thread, attribute, value)
    _log(actor, action, thread)
    db.session.flush()


def move_thread(actor: User, thread: Thread, target: WorkingGroup, reason: str = "") -> None:
    """Move a thread to another group the actor also moderates."""
    require(actor, "forum.moderate", thread.group)
    require(actor, "forum.moderate", target)
    if target.id == thread.group_id:
        raise Invalid(_l("Das Thema ist bereits in dieser Arbeitsgruppe."), "group")
    source = thread.group
    thread.group = target
    source.thread_count = WorkingGroup.thread_count - 1
    target.thread_count = WorkingGroup.thread_count + 1
    # Every post's audience follows the thread into its new group.
    for post in db.session.scalars(sa.select(Post).where(Post.thread_id == thread.id)):
        search.queue_reindex(post)
    _log(actor, "move", thread, reason=_reason(reason, required=False) or f"{source.name} → {target.name}")
    db.session.flush()


def moderated_group_ids(actor: User) -> set[int] | None:
    """The groups ``actor`` moderates, or None for site moderators (every group)."""
    if can(actor, "moderation.access"):
        return None
    return set(
        db.session.scalars(
            sa.select(GroupMembership.group_id).where(
                GroupMembership.user_id == actor.id,
                GroupMembership.role == GroupRole.MODERATOR,
                GroupMembership.status == GroupMemberStatus.APPROVED,
            )
        )
    )


def _in_groups(query, column, actor: User):
    groups = moderated_group_ids(actor)
    return query if groups is None else query.where(column.in_(groups))


def queue(actor: User) -> list[Post]:
    """Posts with open flags or awaiting review in the groups ``actor`` moderates, oldest first."""
    flagged = sa.select(Flag.post_id).where(Flag.resolved_at.is_(None))
    query = (
        sa.select(Post)
        .join(Post.thread)
        .where(sa.or_(Post.id.in_(flagged), Post.awaiting_review), Post.deleted_at.is_(None))
        .order_by(Post.id)
        .options(
            selectinload(Post.author),
            selectinload(Post.thread).selectinload(Thread.group),
            undefer(Post.by_provider),
        )
    )
    return list(db.session.scalars(_in_groups(query, Thread.group_id, actor)))


def audit_log(actor: User, page: int):
    """The moderator actions in the groups ``actor`` moderates, newest first."""
    query = (
        sa.select(ModerationAction)
        .order_by(ModerationAction.id.desc())
        .options(
            selectinload(ModerationAction.actor),
            selectinload(ModerationAction.group),
            selectinload(ModerationAction.thread),
        )
    )
    return db.paginate(
        _in_groups(query, ModerationAction.group_id, actor), page=page, per_page=PER_PAGE, error_out=False
    )
