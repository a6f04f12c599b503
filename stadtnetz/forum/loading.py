"""Loading forum objects for a view: 404 when missing, and also when the visitor may not read
them, so a members-only group's threads do not even reveal that they exist."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask import abort, request
from flask_login import current_user
from sqlalchemy.orm import aliased, contains_eager, joinedload, load_only

from ..accounts.permissions import may_read_group
from ..extensions import db
from ..practices.models import Practice
from . import notifications
from .activity_models import WatchLevel
from .groups import group_by_slug
from .models import GroupMembership, Post, Thread, WorkingGroup

# What the thread page shows of a practice: a link to it, if it may be read.
_PRACTICE_LINK = ("id", "slug", "title", "state")
_LINKED, _OWN = aliased(Practice), aliased(Practice)
_USER_ID = sa.bindparam("user_id", type_=sa.Integer)


def _link_columns(practice) -> list:
    return [getattr(practice, name) for name in _PRACTICE_LINK]


# Built once (building it costs more than running it): the thread, its group, the viewer's
# membership, the practice it discusses, the practices it links, the viewer's watch levels and
# read mark, in one statement.
THREAD_VIEW = (
    sa.select(
        Thread, GroupMembership, _OWN, *notifications.viewer_columns(_USER_ID, Thread.id, Thread.group_id)
    )
    .join(Thread.group)
    .outerjoin(
        GroupMembership, (GroupMembership.group_id == Thread.group_id) & (GroupMembership.user_id == _USER_ID)
    )
    .outerjoin(_OWN, _OWN.id == Thread.practice_id)
    .outerjoin(Thread.practices.of_type(_LINKED))
    .options(
        contains_eager(Thread.group),
        contains_eager(Thread.practices.of_type(_LINKED)).load_only(*_link_columns(_LINKED)),
        load_only(*_link_columns(_OWN)),
    )
    .where(Thread.id == sa.bindparam("thread_id", type_=sa.Integer))
    .order_by(_LINKED.title)
)


def group_or_404(slug: str) -> WorkingGroup:
    group = group_by_slug(slug)
    if group is None:
        abort(404)
    return group


GROUP_VIEW = sa.select(
    WorkingGroup, GroupMembership, notifications.group_level_column(_USER_ID, WorkingGroup.id)
).outerjoin(
    GroupMembership, (GroupMembership.group_id == WorkingGroup.id) & (GroupMembership.user_id == _USER_ID)
).where(WorkingGroup.slug == sa.bindparam("slug", type_=sa.String))


def group_view_or_404(slug: str) -> tuple[WorkingGroup, WatchLevel]:
    """``group_or_404`` for the group page, with the viewer's membership (for the permission
    checks) and watch level of the group in the same query."""
    viewer = current_user._get_current_object()
    user_id = viewer.id if viewer.is_authenticated else None
    row = db.session.execute(GROUP_VIEW, {"user_id": user_id, "slug": slug}).first()
    if row is None:
        abort(404)
    group, membership, level = row
    if user_id is not None:
        group.remember_membership(viewer, membership)
    return group, level or WatchLevel.NORMAL


def thread_or_404(thread_id: int) -> Thread:
    thread = db.session.get(Thread, thread_id, options=[joinedload(Thread.group)])
    if thread is None or not may_read_group(current_user, thread.group):
        abort(404)
    return thread


@dataclass
class ThreadView:
    """What the thread page needs besides the posts: the thread with its group and linked
    practices, the practice whose discussion it is (if any), the viewer's watch level and the
    last post they read."""

    thread: Thread
    practice: Practice | None
    level: WatchLevel
    last_read: int


def thread_view_or_404(thread_id: int) -> ThreadView:
    """``thread_or_404`` for the thread page, with all of ``ThreadView`` and the viewer's
    membership of the group (for the permission checks) in the same query."""
    viewer = current_user._get_current_object()
    user_id = viewer.id if viewer.is_authenticated else None
    rows = db.session.execute(THREAD_VIEW, {"user_id": user_id, "thread_id": thread_id}).unique().all()
    if not rows:
        abort(404)
    thread, membership, practice, *viewer_values = rows[0]
    if user_id is not None:
        thread.group.remember_membership(viewer, membership)
    if not may_read_group(viewer, thread.group):
        abort(404)
    return ThreadView(thread, practice, *notifications.level_and_read_mark(*viewer_values))


def post_or_404(post_id: int) -> Post:
    post = db.session.get(Post, post_id)
    if post is None or not may_read_group(current_user, post.thread.group):
        abort(404)
    return post


def page_arg() -> int:
    """The ``page`` query argument, at least 1."""
    return max(1, request.args.get("page", 1, type=int))
