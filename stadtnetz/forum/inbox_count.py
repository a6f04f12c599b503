"""Which notifications a user may see, and the header's count of the unread ones, kept in
``User.unread_notifications`` so that no page has to count.

The stored count is never adjusted by one. A listener notes before each flush whose count the
flush may change, and after it counts those users' unread notifications again in SQL, in the
same transaction: the stored number is the one a count would give, whichever service wrote.
A count may change when a notification is written, opened or removed; when a post is hidden,
restored or deleted, a thread moved or a group's visibility changed (for everyone with unread
notifications there); and when a group membership is created, approved or removed. Bulk
``UPDATE``s and ``DELETE``s bypass the ORM and call ``recount`` themselves
(``notifications.mark_all_read``, ``privacy``).

Concurrent writers: every recount locks the users' rows first, so of two transactions changing
one user's count the later one counts after the earlier one committed. Who has unread
notifications in a changed post, thread or group is asked after the flush's ``UPDATE``, which
waited for the row locks of writers on the same rows: a reply locks its thread's and group's
rows (``versions``), so a thread moved or a group closed while a reply notifies is counted with
that reply's notifications. Deleted rows are asked about before the flush, as the delete takes
their notifications along.
"""

from collections import defaultdict
from itertools import chain
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from ..accounts.models import User
from .activity_models import Notification
from .models import GroupMembership, GroupMemberStatus, Post, Thread, Visibility, WorkingGroup
from .versions import changed

# A user's own rows that change their count when new, removed or changed in this column.
OWN_ROWS = {Notification: "read_at", GroupMembership: "status"}


class Watched(NamedTuple):
    columns: tuple[str, ...]  # whose change moves the counts of the readers within
    within: sa.ColumnElement  # the column of a notification's post or thread that finds them


# Posts, threads and groups whose changes move their readers' counts.
WATCHED = {
    Post: Watched(("hidden_at", "deleted_at"), Post.id),
    Thread: Watched(("group_id", "group"), Thread.id),
    WorkingGroup: Watched(("visibility",), Thread.group_id),
}

# Users whose count the flush under way may change, noted before it and counted after it.
PENDING = "forum_unread_pending"
# Changed posts, threads and groups by kind, noted before the flush and asked about after it.
PENDING_SCOPES = "forum_unread_pending_scopes"


def visible_notifications(user_id, *columns) -> sa.Select:
    """SELECT ``columns`` (the notification if none) of the notifications ``user_id`` (a value,
    a parameter or a column) may see, post, thread and group joined: the post is neither hidden
    nor deleted, and its group is public or one the user is an approved member of."""
    # Correlated explicitly: an outer UPDATE's ``User.id`` is two levels up, out of automatic reach.
    member_of = (
        sa.select(GroupMembership.group_id)
        .where(GroupMembership.user_id == user_id, GroupMembership.status == GroupMemberStatus.APPROVED)
        .correlate_except(GroupMembership)
    )
    return (
        sa.select(*(columns or (Notification,)))
        .select_from(Notification)
        .join(Notification.post)
        .join(Post.thread)
        .join(Thread.group)
        .where(
            Notification.user_id == user_id,
            Post.hidden_at.is_(None),
            Post.deleted_at.is_(None),
            sa.or_(WorkingGroup.visibility == Visibility.PUBLIC, WorkingGroup.id.in_(member_of)),
        )
    )


def unread(user_id) -> sa.ScalarSelect:
    """The exact number of unread notifications ``user_id`` may see, as a scalar subquery
    (correlated where ``user_id`` is ``User.id``)."""
    return (
        visible_notifications(user_id, sa.func.count(Notification.id))
        .where(Notification.read_at.is_(None))
        .scalar_subquery()
    )


users = User.__table__
RECOUNT = sa.update(users).values(unread_notifications=unread(users.c.id))


def recount(session: Session, user_ids) -> None:
    """Store the exact unread count of each of ``user_ids``, in the session's transaction."""
    user_ids = sorted(set(user_ids))
    if not user_ids:
        return
    connection = session.connection()
    # Lock, then count in a new statement: under READ COMMITTED a statement that waited for
    # another writer's lock still counts with the snapshot it began with and would miss that
    # writer's notifications; a new statement sees them. Locking in id order avoids deadlocks.
    chosen = users.c.id.in_(user_ids)
    connection.execute(sa.select(users.c.id).where(chosen).order_by(users.c.id).with_for_update())
    connection.execute(RECOUNT.where(chosen))
    for user_id in user_ids:
        user = session.identity_map.get(identity_key(User, user_id))
        if user is not None:
            session.expire(user, ["unread_notifications"])


def _readers(session: Session, ids: dict) -> set[int]:
    """Users with unread notifications in the posts, threads and groups of ``ids``."""
    within = [WATCHED[kind].within.in_(found) for kind, found in ids.items() if found]
    if not within:
        return set()
    query = (
        sa.select(Notification.user_id)
        .distinct()
        .join(Notification.post)
        .join(Post.thread)
        .where(Notification.read_at.is_(None), sa.or_(*within))
    )
    return set(session.connection().scalars(query))


@sa.event.listens_for(Session, "before_flush")
def _note(session: Session, _context, _instances) -> None:
    """Note whose count the flush may change: the owners of changed notifications and
    memberships now, the readers of changed posts, threads and groups after the flush, and of
    deleted ones now, as the delete takes their notifications along (ON DELETE CASCADE)."""
    user_ids: set[int | None] = set()
    changed_ids: dict[type, set[int]] = defaultdict(set)
    deleted_ids: dict[type, set[int]] = defaultdict(set)
    for obj in chain(session.new, session.dirty, session.deleted):
        if type(obj) in OWN_ROWS:
            if changed(session, obj, OWN_ROWS[type(obj)]):
                user_ids.add(obj.user_id or (obj.user.id if obj.user else None))
        elif obj in session.new:  # a new post, thread or group has no notifications yet
            continue
        elif type(obj) in WATCHED and changed(session, obj, *WATCHED[type(obj)].columns):
            (deleted_ids if obj in session.deleted else changed_ids)[type(obj)].add(obj.id)
    user_ids.update(_readers(session, deleted_ids))
    user_ids.discard(None)
    if user_ids:
        session.info.setdefault(PENDING, set()).update(user_ids)
    for kind, ids in changed_ids.items():
        session.info.setdefault(PENDING_SCOPES, defaultdict(set))[kind].update(ids)


@sa.event.listens_for(Session, "after_flush")
def _recount(session: Session, _context) -> None:
    """Count again after the flush, which the UPDATE then sees. Ids left by a flush that
    failed are counted at the next one, which costs a statement and changes nothing."""
    user_ids = session.info.pop(PENDING, set())
    user_ids |= _readers(session, session.info.pop(PENDING_SCOPES, {}))
    if user_ids:
        recount(session, user_ids)
