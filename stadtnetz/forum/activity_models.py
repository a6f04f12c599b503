"""What happens around posts: flags and the moderators' audit log, watch levels, in-app
notifications and each user's choice of mail (immediately or as a daily digest)."""

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..database import UTCDateTime, text_enum, utcnow
from ..extensions import db
from .models import Post, Thread, WorkingGroup


class Flag(db.Model):
    """A user's report that a post breaks the rules; open until a moderator decides."""

    __tablename__ = "forum_flag"
    __table_args__ = (sa.UniqueConstraint("post_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("forum_post.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    post: Mapped[Post] = relationship()
    user: Mapped[User] = relationship()


class ModerationAction(db.Model):
    """One line of the audit log: who did what to which post or thread, and why."""

    __tablename__ = "forum_moderation_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(sa.String(32))
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("forum_group.id", ondelete="CASCADE"), index=True)
    thread_id: Mapped[int | None] = mapped_column(sa.ForeignKey("forum_thread.id", ondelete="SET NULL"))
    post_id: Mapped[int | None] = mapped_column(sa.ForeignKey("forum_post.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped[User | None] = relationship()
    group: Mapped[WorkingGroup] = relationship()
    thread: Mapped[Thread | None] = relationship()
    post: Mapped[Post | None] = relationship()


class WatchLevel(enum.StrEnum):
    WATCHING = "watching"
    NORMAL = "normal"
    MUTED = "muted"

    @property
    def label(self) -> str:
        return str(WATCH_LEVEL_LABELS[self])


WATCH_LEVEL_LABELS = {
    WatchLevel.WATCHING: _l("Beobachten: jeder neue Beitrag"),
    WatchLevel.NORMAL: _l("Normal: Erwähnungen und Antworten an mich"),
    WatchLevel.MUTED: _l("Stumm: keine Benachrichtigungen"),
}


class ThreadWatch(db.Model):
    """A user's watch level for one thread (overrides the group's)."""

    __tablename__ = "forum_thread_watch"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    thread_id: Mapped[int] = mapped_column(
        sa.ForeignKey("forum_thread.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    level: Mapped[WatchLevel] = mapped_column(text_enum(WatchLevel))


class GroupWatch(db.Model):
    """A user's watch level for every thread of a group."""

    __tablename__ = "forum_group_watch"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    group_id: Mapped[int] = mapped_column(
        sa.ForeignKey("forum_group.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    level: Mapped[WatchLevel] = mapped_column(text_enum(WatchLevel))


class NotificationReason(enum.StrEnum):
    MENTION = "mention"
    REPLY = "reply"
    WATCHED = "watched"


class Notification(db.Model):
    """An entry in a user's notification centre: a post that concerns them, and why."""

    __tablename__ = "forum_notification"
    __table_args__ = (
        # The unread ones for the header's count; all of them, newest first, for the centre.
        sa.Index("ix_forum_notification_inbox", "user_id", "read_at", "id"),
        sa.Index("ix_forum_notification_user", "user_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"))
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("forum_post.id", ondelete="CASCADE"), index=True)
    reason: Mapped[NotificationReason] = mapped_column(text_enum(NotificationReason))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when the notification went out by mail (immediately or in a digest).
    mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
    post: Mapped[Post] = relationship()


class MailMode(enum.StrEnum):
    IMMEDIATE = "immediate"
    DIGEST = "digest"
    NEVER = "never"

    @property
    def label(self) -> str:
        return str(MAIL_MODE_LABELS[self])


MAIL_MODE_LABELS = {
    MailMode.IMMEDIATE: _l("Sofort per E-Mail"),
    MailMode.DIGEST: _l("Einmal täglich als Zusammenfassung"),
    MailMode.NEVER: _l("Keine E-Mails, nur in Stadtnetz"),
}


class ForumSettings(db.Model):
    """A user's forum preferences; without a row, mail goes out immediately."""

    __tablename__ = "forum_settings"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    mail_mode: Mapped[MailMode] = mapped_column(text_enum(MailMode), default=MailMode.IMMEDIATE)
