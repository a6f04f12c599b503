"""Loading forum objects for a view: 404 when missing, and also when the visitor may not read
them, so a members-only group's threads do not even reveal that they exist."""

from flask import abort, request
from flask_login import current_user
from sqlalchemy.orm import joinedload

from ..accounts.permissions import may_read_group
from ..extensions import db
from .groups import group_by_slug
from .models import Post, Thread, WorkingGroup


def group_or_404(slug: str) -> WorkingGroup:
    group = group_by_slug(slug)
    if group is None:
        abort(404)
    return group


def thread_or_404(thread_id: int) -> Thread:
    thread = db.session.get(Thread, thread_id, options=[joinedload(Thread.group)])
    if thread is None or not may_read_group(current_user, thread.group):
        abort(404)
    return thread


def post_or_404(post_id: int) -> Post:
    post = db.session.get(Post, post_id)
    if post is None or not may_read_group(current_user, post.thread.group):
        abort(404)
    return post


def page_arg() -> int:
    """The ``page`` query argument, at least 1."""
    return max(1, request.args.get("page", 1, type=int))
