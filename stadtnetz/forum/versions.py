"""Versions of what the forum's pages show, the keys of their cached renderings (``fragments``).

``Thread.posts_version`` changes with every change to what the thread's posts show: a post
written, edited, hidden, restored, deleted or flagged into review, and its author renamed,
gone or made (or no longer) a member of a solution provider (the "Anbieter" label), or, for a
post from another instance, its remote author renamed (``federation.remote_actors``).
``WorkingGroup.threads_version`` changes with every change to the group's thread list: a
thread started, answered, renamed, pinned, locked, moved in or out, or its author renamed.

One listener before every flush sees each change the ORM writes, whichever service makes it,
and counts the versions up in SQL in the same transaction: a page that reads a version reads
the content of that version or a newer one, never an older one, in every process. Bulk
``UPDATE``s bypass the ORM and call ``people_changed`` themselves (see ``privacy``).
"""

from itertools import chain

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..accounts.models import Membership, Organisation, User
from .models import Post, Thread, WorkingGroup

threads_table, groups_table, posts_table = Thread.__table__, WorkingGroup.__table__, Post.__table__


def changed(session: Session, obj, *names: str) -> bool:
    """True if ``obj`` is new or deleted, or one of ``names`` (any attribute if none) changed."""
    if obj in session.new or obj in session.deleted:
        return True
    if not names:
        return session.is_modified(obj, include_collections=False)
    state = sa.inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


@sa.event.listens_for(Session, "before_flush")
def _count_up(session: Session, _context, _instances) -> None:
    threads: set[int] = set()
    groups: set[int] = set()
    people: set[int] = set()
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Post) and changed(session, obj):
            threads.add(obj.thread_id or (obj.thread.id if obj.thread else None))
        elif isinstance(obj, Thread) and changed(session, obj):
            # Moved threads leave their old group, by id or by object.
            state = sa.inspect(obj).attrs
            groups.update(state.group_id.history.sum())
            groups.update(group.id for group in state.group.history.sum() if group is not None)
        elif isinstance(obj, User) and changed(session, obj, "name"):
            people.add(obj.id)
        elif isinstance(obj, Membership) and changed(session, obj, "status", "organisation_id"):
            people.add(obj.user_id or (obj.user.id if obj.user else None))
        elif isinstance(obj, Organisation) and changed(session, obj, "type") and obj.id:
            people.update(session.connection().scalars(
                sa.select(Membership.user_id).where(Membership.organisation_id == obj.id)
            ))
    connection = session.connection() if threads or groups or people else None
    # Groups before threads, as the flush itself writes them, so that writers lock in one order.
    if groups - {None}:
        connection.execute(_next(groups_table, "threads_version", groups_table.c.id.in_(groups - {None})))
    if threads - {None}:
        connection.execute(_next(threads_table, "posts_version", threads_table.c.id.in_(threads - {None})))
    if people - {None}:
        people_changed(connection, people - {None})
    if not threads and not groups:
        return
    for obj in session.identity_map.values():  # what the session holds would be out of date
        if isinstance(obj, Thread) and obj.id in threads:
            session.expire(obj, ["posts_version"])
        elif isinstance(obj, WorkingGroup) and obj.id in groups:
            session.expire(obj, ["threads_version"])


def _next(table: sa.Table, column: str, where) -> sa.Update:
    return sa.update(table).where(where).values({column: table.c[column] + 1})


def posts_shown_changed(connection, post_ids) -> None:
    """Count up the versions of the threads that show ``post_ids`` (ids or a subquery), for
    what changes outside the forum's rows: a remote author's name (see ``federation``)."""
    shown_in = sa.select(posts_table.c.thread_id).where(posts_table.c.id.in_(post_ids))
    connection.execute(_next(threads_table, "posts_version", threads_table.c.id.in_(shown_in)))


def people_changed(connection, user_ids) -> None:
    """Count up the versions of every thread and group that shows one of ``user_ids``' names
    or labels (call before detaching their posts)."""
    user_ids = list(user_ids)
    written = sa.select(posts_table.c.thread_id).where(posts_table.c.author_id.in_(user_ids))
    started = sa.select(threads_table.c.group_id).where(threads_table.c.author_id.in_(user_ids))
    connection.execute(_next(groups_table, "threads_version", groups_table.c.id.in_(started)))
    connection.execute(_next(threads_table, "posts_version", threads_table.c.id.in_(written)))
