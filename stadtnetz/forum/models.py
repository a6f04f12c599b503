"""Working groups, their threads and posts, edit history and read marks.

A working group (Arbeitsgruppe) is public or members only; its members may be group
moderators. A thread belongs to one group and starts with its first post. Post text is stored
as written (``body``) and rendered once, on write, into ``html``. Counters (the group's
``thread_count``, the thread's ``post_count`` and ``last_post_id``) are kept by the services,
and each post carries its ``number`` in its thread, so that pages need no aggregate and no
OFFSET over a million posts.
"""

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy.orm import Mapped, Session, column_property, mapped_column, relationship

from .. import search
from ..accounts.models import Membership, MembershipStatus, Organisation, OrganisationType, User
from ..database import UTCDateTime, text_enum, utcnow
from ..extensions import db

if TYPE_CHECKING:  # the practices module owns the model; the mapper finds it by name
    from ..practices.models import Practice

# Permission checks ask for a membership once per post on a page; the identity map holds rows
# only weakly and never remembers "none", so the answers are kept in the session until it
# writes, commits or rolls back.
MEMBERSHIP_CACHE = "forum_group_memberships"
TEASER_LENGTH = 240


@sa.event.listens_for(Session, "after_flush")
@sa.event.listens_for(Session, "after_commit")
@sa.event.listens_for(Session, "after_soft_rollback")
def _forget_memberships(session, *_args) -> None:
    session.info.pop(MEMBERSHIP_CACHE, None)


def members_audience(group_id: int) -> str:
    """The search audience of a members-only group: its approved members."""
    return f"group:{group_id}"


class Visibility(enum.StrEnum):
    PUBLIC = "public"
    MEMBERS = "members"

    @property
    def label(self) -> str:
        return str(VISIBILITY_LABELS[self])


VISIBILITY_LABELS = {Visibility.PUBLIC: _l("Öffentlich"), Visibility.MEMBERS: _l("Nur für Mitglieder")}


class GroupRole(enum.StrEnum):
    MEMBER = "member"
    MODERATOR = "moderator"


class GroupMemberStatus(enum.StrEnum):
    PENDING = "pending"  # asked to join, waits for the moderators
    INVITED = "invited"  # invited by a moderator, waits for the invitee
    APPROVED = "approved"


class WorkingGroup(db.Model):
    """An Arbeitsgruppe: a place for threads on one topic."""

    __tablename__ = "forum_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    visibility: Mapped[Visibility] = mapped_column(text_enum(Visibility), default=Visibility.PUBLIC)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    thread_count: Mapped[int] = mapped_column(default=0, server_default="0")
    # Bumped by every change that alters the group's thread list (see ``versions``): the key of
    # the list's cached rendering.
    threads_version: Mapped[int] = mapped_column(default=0, server_default="0")

    memberships: Mapped[list["GroupMembership"]] = relationship(
        back_populates="group", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC

    @property
    def audience(self) -> str:
        """The search audience of this group's content."""
        return "public" if self.is_public else members_audience(self.id)

    def membership_of(self, user) -> "GroupMembership | None":
        """The user's membership row (any status), looked up once per session state."""
        if user is None or not user.is_authenticated:
            return None
        cache = db.session.info.setdefault(MEMBERSHIP_CACHE, {})
        key = (self.id, user.id)
        if key not in cache:
            cache[key] = db.session.get(GroupMembership, key)
        return cache[key]

    def remember_membership(self, user, membership: "GroupMembership | None") -> None:
        """Tell ``membership_of`` the row (or its absence) a query loaded beside something else."""
        db.session.info.setdefault(MEMBERSHIP_CACHE, {})[(self.id, user.id)] = membership

    def is_member(self, user) -> bool:
        membership = self.membership_of(user)
        return membership is not None and membership.is_approved

    def is_moderator(self, user) -> bool:
        membership = self.membership_of(user)
        return membership is not None and membership.is_moderator

    def __repr__(self) -> str:
        return f"<WorkingGroup {self.slug}>"


class GroupMembership(db.Model):
    """A user's membership of a group, or their request to join a members-only one."""

    __tablename__ = "forum_group_member"

    group_id: Mapped[int] = mapped_column(
        sa.ForeignKey("forum_group.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[GroupRole] = mapped_column(text_enum(GroupRole), default=GroupRole.MEMBER)
    status: Mapped[GroupMemberStatus] = mapped_column(
        text_enum(GroupMemberStatus), default=GroupMemberStatus.APPROVED
    )
    message: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    group: Mapped[WorkingGroup] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()

    @property
    def is_approved(self) -> bool:
        return self.status == GroupMemberStatus.APPROVED

    @property
    def is_moderator(self) -> bool:
        return self.is_approved and self.role == GroupRole.MODERATOR


class Thread(db.Model):
    """A discussion in a group; ``practice_id`` marks a practice's own discussion thread."""

    __tablename__ = "forum_thread"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("forum_group.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(sa.String(200))
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_post_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_post_id: Mapped[int | None] = mapped_column()
    post_count: Mapped[int] = mapped_column(default=0)
    locked: Mapped[bool] = mapped_column(default=False)
    pinned: Mapped[bool] = mapped_column(default=False)
    # Bumped by every change to what the thread's posts show (see ``versions``): the key of
    # their cached rendering.
    posts_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # The practices module owns its table; a plain unique number keeps the forum loosely tied.
    practice_id: Mapped[int | None] = mapped_column(unique=True)

    group: Mapped[WorkingGroup] = relationship()
    author: Mapped[User | None] = relationship()
    # Practices the thread refers to (see ``practice_links``), by title.
    practices: Mapped[list["Practice"]] = relationship(
        secondary="forum_thread_practice", order_by="Practice.title"
    )

    # The group page's order, to the last tie-breaker: its first page is read off the index.
    __table_args__ = (sa.Index("ix_forum_thread_listing", "group_id", "pinned", "last_post_at", "id"),)

    def __repr__(self) -> str:
        return f"<Thread {self.id} {self.title!r}>"


class ThreadPractice(db.Model):
    """A practice a thread links; the practice page lists the threads that link it."""

    __tablename__ = "forum_thread_practice"

    thread_id: Mapped[int] = mapped_column(
        sa.ForeignKey("forum_thread.id", ondelete="CASCADE"), primary_key=True
    )
    practice_id: Mapped[int] = mapped_column(
        sa.ForeignKey("practice.id", ondelete="CASCADE"), primary_key=True, index=True
    )


@search.searchable("forum", _l("Forum"))
class Post(db.Model):
    """One contribution to a thread. Moderation hides or deletes it; the row stays in place.

    Each visible post is one search document, found by its own words and its thread's title,
    seen by the group's audience only.
    """

    __tablename__ = "forum_post"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(sa.ForeignKey("forum_thread.id", ondelete="CASCADE"))
    # 1, 2, 3 … in its thread (posts are never removed, only hidden or deleted in place): page n
    # of a thread is a range of numbers, and a post's page follows from its number.
    number: Mapped[int] = mapped_column()
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    # The post this one quotes: its author counts as replied to.
    reply_to_id: Mapped[int | None] = mapped_column(sa.ForeignKey("forum_post.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(sa.Text)
    html: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # True while three flags keep the post hidden until a moderator reviews it.
    awaiting_review: Mapped[bool] = mapped_column(default=False)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_reason: Mapped[str] = mapped_column(sa.Text, default="")

    thread: Mapped[Thread] = relationship()
    author: Mapped[User | None] = relationship()
    reply_to: Mapped["Post | None"] = relationship(remote_side=[id])
    revisions: Mapped[list["PostRevision"]] = relationship(
        back_populates="post",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="PostRevision.id.desc()",
    )

    __table_args__ = (
        sa.Index("ix_forum_post_thread", "thread_id", "id"),
        sa.Index("ix_forum_post_number", "thread_id", "number", unique=True),
    )

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_visible(self) -> bool:
        """Shown to everyone who may see the thread (not hidden, not deleted)."""
        return not self.is_hidden and not self.is_deleted

    @property
    def url(self) -> str:
        """The permanent address (built without a request, for the search indexer)."""
        return f"/forum/beitraege/{self.id}"

    def search_document(self) -> dict | None:
        """The index document; None while hidden or deleted."""
        if not self.is_visible:
            return None
        text = Markup(self.html).striptags()
        group = self.thread.group
        return {
            "title": self.thread.title,
            "teaser": text[:TEASER_LENGTH],
            "body": text,
            "url": self.url,
            "published": self.created_at,
            "audience": [group.audience],
            "group": group.slug,
        }

    def __repr__(self) -> str:
        return f"<Post {self.id} in {self.thread_id}>"


# The author's name, asked in SQL beside the thread or post: a page of them needs no user objects.
Thread.author_name = column_property(
    sa.select(User.name).where(User.id == Thread.author_id).correlate_except(User).scalar_subquery(),
    deferred=True,
)
Post.author_name = column_property(
    sa.select(User.name).where(User.id == Post.author_id).correlate_except(User).scalar_subquery(),
    deferred=True,
)

# Written by a verified member of a solution provider: shown with the "Anbieter" label. Asked
# in SQL beside the post; lists of posts load it with them (``undefer``), in the same query.
Post.by_provider = column_property(
    sa.exists()
    .where(
        Membership.user_id == Post.author_id,
        Membership.status == MembershipStatus.APPROVED,
        Membership.organisation_id == Organisation.id,
        Organisation.type == OrganisationType.ANBIETER,
    )
    .correlate_except(Membership, Organisation),
    deferred=True,
)


@sa.event.listens_for(Post, "before_insert")
def _number(_mapper, _connection, post: Post) -> None:
    """A new post, whoever writes it, takes the next number of its thread, computed by the
    INSERT itself (the posting service locks the thread first, so replies queue up for it)."""
    if post.number is None:
        post.number = (
            sa.select(sa.func.coalesce(sa.func.max(Post.number), 0) + 1)
            .where(Post.thread_id == post.thread_id)
            .scalar_subquery()
        )


class PostRevision(db.Model):
    """The text a post had before an edit."""

    __tablename__ = "forum_post_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("forum_post.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(sa.Text)
    written_at: Mapped[datetime] = mapped_column(UTCDateTime)
    editor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))

    post: Mapped[Post] = relationship(back_populates="revisions")
    editor: Mapped[User | None] = relationship()


class ReadMark(db.Model):
    """The last post of a thread that a user has seen."""

    __tablename__ = "forum_read_mark"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    thread_id: Mapped[int] = mapped_column(
        sa.ForeignKey("forum_thread.id", ondelete="CASCADE"), primary_key=True
    )
    last_read_post_id: Mapped[int] = mapped_column()
