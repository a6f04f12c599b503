"""Who hears about a post, and how: watch levels, the notification centre, and mail
(immediately or as a daily digest).

A post notifies the people it mentions (an organisation stands for its verified members),
the author of the post it quotes, and everyone watching the thread or its group. A thread's
own watch level wins over the group's; "stumm" silences both. Nothing from a members-only
group reaches anyone but its approved members, whatever their site role.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import lazy_gettext as _l

from ..accounts.models import User
from ..database import utcnow
from ..extensions import db
from ..mail import send_mail
from .activity_models import (
    ForumSettings,
    GroupWatch,
    MailMode,
    Notification,
    NotificationReason,
    ThreadWatch,
    WatchLevel,
)
from .inbox_count import recount, visible_notifications
from .mentions import resolve
from .models import Post, ReadMark, Thread, WorkingGroup

PER_PAGE = 30
# When one post concerns a person for several reasons, the strongest is named.
STRENGTH = [NotificationReason.MENTION, NotificationReason.REPLY, NotificationReason.WATCHED]
REASON_TEXTS = {
    NotificationReason.MENTION: _l("%(name)s hat Sie in „%(thread)s“ erwähnt"),
    NotificationReason.REPLY: _l("%(name)s hat Ihnen in „%(thread)s“ geantwortet"),
    NotificationReason.WATCHED: _l("%(name)s hat in „%(thread)s“ geschrieben"),
}


def describe(notification: Notification) -> str:
    """The notification's line, e.g. "Julia Becker hat Sie in „Pop-up-Stores“ erwähnt"."""
    post = notification.post
    return _line(notification.reason, post.author.name if post.author else None, post.thread.title)


def _line(reason: NotificationReason, author_name: str | None, thread_title: str) -> str:
    name = author_name or _l("Ein gelöschtes Konto")
    return str(REASON_TEXTS[reason]) % {"name": name, "thread": thread_title}


def watch_thread(user: User, thread: Thread, level: WatchLevel, only_if_unset: bool = False) -> None:
    """Set ``user``'s watch level for ``thread`` (replying watches unless a level is set)."""
    watch = db.session.get(ThreadWatch, (user.id, thread.id)) if thread.id else None
    if watch is None:
        db.session.add(ThreadWatch(user_id=user.id, thread_id=thread.id, level=level))
    elif not only_if_unset:
        watch.level = level
    db.session.flush()


def watch_group(user: User, group: WorkingGroup, level: WatchLevel) -> None:
    """Set ``user``'s watch level for every thread of ``group``."""
    watch = db.session.get(GroupWatch, (user.id, group.id))
    if watch is None:
        db.session.add(GroupWatch(user_id=user.id, group_id=group.id, level=level))
    else:
        watch.level = level
    db.session.flush()


def thread_level(user, thread: Thread) -> WatchLevel:
    """The level that applies to ``user`` in ``thread``: the thread's, else the group's."""
    if user is None or not user.is_authenticated:
        return WatchLevel.NORMAL
    row = db.session.execute(sa.select(*viewer_columns(user.id, thread.id, thread.group_id))).one()
    return level_and_read_mark(*row)[0]


def viewer_columns(user_id, thread_id, group_id) -> tuple:
    """What the thread page needs of its viewer, as columns to ask beside the thread: their watch
    levels of the thread and of its group, and the id of the last post they read in it."""
    return (
        sa.select(ThreadWatch.level)
        .where(ThreadWatch.user_id == user_id, ThreadWatch.thread_id == thread_id)
        .scalar_subquery(),
        group_level_column(user_id, group_id),
        sa.select(ReadMark.last_read_post_id)
        .where(ReadMark.user_id == user_id, ReadMark.thread_id == thread_id)
        .scalar_subquery(),
    )


def group_level_column(user_id, group_id):
    """The user's watch level of a group as a column (NULL: none chosen, so normal)."""
    return (
        sa.select(GroupWatch.level)
        .where(GroupWatch.user_id == user_id, GroupWatch.group_id == group_id)
        .scalar_subquery()
    )


def level_and_read_mark(own, by_group, last_read) -> tuple[WatchLevel, int]:
    """The level that applies (the thread's, else the group's) and the last post read (0: none),
    from the values of ``viewer_columns``."""
    return own or by_group or WatchLevel.NORMAL, last_read or 0


def may_be_told(user: User, group: WorkingGroup) -> bool:
    """Whether news from ``group`` may reach ``user``: members only for members-only groups,
    site moderators included (they read such groups to moderate, not to follow them)."""
    return group.is_public or group.is_member(user)


def _watchers(thread: Thread) -> set[int]:
    """Users watching every post of ``thread``, directly or through its group."""
    by_thread = dict(
        db.session.execute(
            sa.select(ThreadWatch.user_id, ThreadWatch.level).where(ThreadWatch.thread_id == thread.id)
        ).all()
    )
    by_group = db.session.scalars(
        sa.select(GroupWatch.user_id).where(
            GroupWatch.group_id == thread.group_id, GroupWatch.level == WatchLevel.WATCHING
        )
    )
    return {uid for uid, level in by_thread.items() if level == WatchLevel.WATCHING} | {
        uid for uid in by_group if uid not in by_thread
    }


def post_written(post: Post) -> list[Notification]:
    """Notify everyone ``post`` concerns and mail those who want it at once."""
    reasons: dict[int, list[NotificationReason]] = defaultdict(list)
    for person in resolve(post.body).people():
        reasons[person.id].append(NotificationReason.MENTION)
    if post.reply_to is not None and post.reply_to.author_id:
        reasons[post.reply_to.author_id].append(NotificationReason.REPLY)
    for user_id in _watchers(post.thread):
        reasons[user_id].append(NotificationReason.WATCHED)
    reasons.pop(post.author_id, None)
    created = []
    for user_id, found in sorted(reasons.items()):
        user = db.session.get(User, user_id)
        if not may_be_told(user, post.thread.group) or thread_level(user, post.thread) == WatchLevel.MUTED:
            continue
        notification = Notification(user=user, post=post, reason=min(found, key=STRENGTH.index))
        db.session.add(notification)
        created.append(notification)
    db.session.flush()
    for notification in created:
        if mail_mode(notification.user) == MailMode.IMMEDIATE:
            _mail_now(notification)
    return created


def mail_mode(user: User) -> MailMode:
    settings = db.session.get(ForumSettings, user.id)
    return settings.mail_mode if settings else MailMode.IMMEDIATE


def set_mail_mode(user: User, mode: MailMode) -> None:
    settings = db.session.get(ForumSettings, user.id)
    if settings is None:
        db.session.add(ForumSettings(user_id=user.id, mail_mode=mode))
    else:
        settings.mail_mode = mode
    db.session.flush()


def _link(post: Post) -> str:
    from .posting import post_path  # posting calls post_written, so import at use

    return current_app.config["BASE_URL"] + post_path(post)


def _mail_now(notification: Notification) -> None:
    user = notification.user
    if not user.email_confirmed:
        return
    send_mail(
        user.email,
        describe(notification),
        "forum_notification",
        locale=user.locale or "de",
        recipient=user,
        describe=describe(notification),
        post=notification.post,
        link=_link(notification.post),
        settings_link=current_app.config["BASE_URL"] + _settings_path(),
    )
    notification.mailed_at = utcnow()


def _settings_path() -> str:
    return url_for("forum.notification_settings", _external=False)


# The inbox's statements name the user by this parameter: built once, then only executed.
USER_ID = sa.bindparam("user_id")
INBOX = visible_notifications(USER_ID)


class InboxEntry(NamedTuple):
    """A line of the notification centre: only what it shows, no model objects."""

    id: int
    reason: NotificationReason
    created_at: datetime
    read_at: datetime | None
    author_name: str | None
    thread_title: str
    group_name: str

    @property
    def text(self) -> str:
        return _line(self.reason, self.author_name, self.thread_title)


INBOX_ENTRIES = (
    visible_notifications(
        USER_ID,
        Notification.id,
        Notification.reason,
        Notification.created_at,
        Notification.read_at,
        User.name,
        Thread.title,
        WorkingGroup.name,
    )
    .outerjoin(User, User.id == Post.author_id)
    .order_by(Notification.id.desc())
    .limit(PER_PAGE + 1)
)


@dataclass
class InboxPage:
    """Notifications, newest first, and where the next older page begins (None: no more)."""

    items: list[InboxEntry]
    older_than: int | None


def inbox_page(user: User, older_than: int | None = None) -> InboxPage:
    """A page of the notification centre: the newest notifications below ``older_than`` (an
    id), in one query with the columns the page shows. Read off the index newest first, never
    counting the inbox, so a long inbox costs what a short one does."""
    query = INBOX_ENTRIES if older_than is None else INBOX_ENTRIES.where(Notification.id < older_than)
    items = [InboxEntry._make(row) for row in db.session.execute(query, {"user_id": user.id})]
    more = len(items) > PER_PAGE
    return InboxPage(items[:PER_PAGE], items[PER_PAGE - 1].id if more else None)


def mark_all_read(user: User) -> None:
    db.session.execute(
        sa.update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    recount(db.session, [user.id])  # a bulk UPDATE, unseen by the flush listener


def open_notification(user: User, notification_id: int) -> Notification | None:
    """The user's own notification, marked read; None if it is not theirs or no longer visible."""
    notification = db.session.scalar(INBOX.where(Notification.id == notification_id), {"user_id": user.id})
    if notification is not None and notification.read_at is None:
        notification.read_at = utcnow()
    return notification


def send_digests() -> int:
    """Mail each digest reader their unread, not yet mailed notifications; return the mails sent.

    Visibility is checked again now: someone who left a members-only group since hears nothing
    more from it.
    """
    pending = db.session.scalars(
        sa.select(Notification)
        .join(ForumSettings, ForumSettings.user_id == Notification.user_id)
        .where(
            ForumSettings.mail_mode == MailMode.DIGEST,
            Notification.mailed_at.is_(None),
            Notification.read_at.is_(None),
        )
        .order_by(Notification.user_id, Notification.id)
    ).all()
    by_user: dict[User, list[Notification]] = defaultdict(list)
    now = utcnow()
    for notification in pending:
        notification.mailed_at = now
        post = notification.post
        if post.is_visible and may_be_told(notification.user, post.thread.group):
            by_user[notification.user].append(notification)
    sent = 0
    for user, items in by_user.items():
        if not user.email_confirmed:
            continue
        send_mail(
            user.email,
            _l("Ihre Zusammenfassung aus dem Stadtnetz-Forum"),
            "forum_digest",
            locale=user.locale or "de",
            recipient=user,
            items=[(describe(n), n.post, _link(n.post)) for n in items],
            settings_link=current_app.config["BASE_URL"] + _settings_path(),
        )
        sent += 1
    db.session.flush()
    return sent
