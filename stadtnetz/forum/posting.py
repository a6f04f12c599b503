"""Thread and post services: starting a thread, replying, quoting, editing with history,
rendering once on write, read marks, and the brake on new accounts.

Every write goes through ``_write``: it checks the brake, renders the text (mentions become
links) and leaves notifications to ``notifications.post_written``.
"""

import math
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import undefer
from sqlalchemy.orm.attributes import set_committed_value

from .. import search
from ..accounts.models import User
from ..accounts.permissions import require
from ..content import render_markdown
from ..database import utcnow
from ..errors import Invalid
from ..extensions import db
from ..practices.models import Practice
from ..signals import post_created, post_updated, thread_created
from . import notifications
from .activity_models import WatchLevel
from .mentions import link_mentions
from .models import Post, PostRevision, ReadMark, Thread, WorkingGroup
from .practice_links import linkable

PER_PAGE = 20
TITLE_MAX = 200
BODY_MAX = 50_000
# New accounts write slowly until they have shown they are people, not spam robots.
NEW_ACCOUNT_DAYS = 3
NEW_ACCOUNT_POSTS_PER_HOUR = 5


def render(body: str) -> str:
    """The HTML of a post: mentions linked, then the one renderer for user text."""
    return render_markdown(link_mentions(body))


def _check_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise Invalid(_l("Bitte schreiben Sie einen Text."), "body")
    if len(body) > BODY_MAX:
        raise Invalid(_l("Der Text ist zu lang (höchstens %(max)d Zeichen).", max=BODY_MAX), "body")
    return body


def check_new_account_brake(actor: User) -> None:
    """Raise ``Invalid`` when a new account has written its hourly share of posts."""
    now = utcnow()
    if actor.created_at is None or actor.created_at < now - timedelta(days=NEW_ACCOUNT_DAYS):
        return
    recent = db.session.scalar(
        sa.select(sa.func.count(Post.id)).where(
            Post.author_id == actor.id, Post.created_at > now - timedelta(hours=1)
        )
    )
    if recent >= NEW_ACCOUNT_POSTS_PER_HOUR:
        raise Invalid(
            _l(
                "Neue Konten können in den ersten %(days)d Tagen höchstens %(count)d Beiträge pro Stunde "
                "schreiben. Bitte versuchen Sie es in einer Stunde noch einmal.",
                days=NEW_ACCOUNT_DAYS,
                count=NEW_ACCOUNT_POSTS_PER_HOUR,
            ),
            "body",
        )


def _write(actor: User, thread: Thread, body: str, reply_to: Post | None, at: datetime | None) -> Post:
    check_new_account_brake(actor)
    body = _check_body(body)
    # Counted in SQL and before the post goes in: the UPDATE locks the thread's row, so replies
    # written at the same moment are all counted and take their numbers one after the other.
    thread.post_count = Thread.post_count + 1 if thread.id else 1
    post = Post(
        thread=thread,
        author=actor,
        body=body,
        html=render(body),
        created_at=at or utcnow(),
        reply_to=quotable(thread, reply_to),
    )
    db.session.add(post)
    db.session.flush()
    thread.last_post_id, thread.last_post_at = post.id, post.created_at
    mark_read(actor, thread, post.id)
    notifications.watch_thread(actor, thread, WatchLevel.WATCHING, only_if_unset=True)
    notifications.post_written(post)
    return post


def _check_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise Invalid(_l("Bitte geben Sie einen Titel an."), "title")
    if len(title) > TITLE_MAX:
        raise Invalid(_l("Der Titel ist zu lang (höchstens %(max)d Zeichen).", max=TITLE_MAX), "title")
    return title


def start_thread(
    actor: User,
    group: WorkingGroup,
    title: str,
    body: str,
    practice_id: int | None = None,
    at: datetime | None = None,
    practices: Sequence[Practice] = (),
) -> Thread:
    """Open a thread with its first post, linking ``practices``; its author watches it.
    ``at`` dates it (demo data)."""
    require(actor, "forum.start_thread", group)
    thread = Thread(
        group=group,
        title=_check_title(title),
        author=actor,
        practice_id=practice_id,
        created_at=at or utcnow(),
        practices=linkable(practices),
    )
    db.session.add(thread)
    group.thread_count = WorkingGroup.thread_count + 1 if group.id else 1  # as the post count below
    _write(actor, thread, body, None, at)
    thread_created.send(thread)
    return thread


def edit_thread(actor: User, thread: Thread, title: str, practices: Sequence[Practice]) -> None:
    """Change a thread's title and the practices it links."""
    require(actor, "forum.edit_thread", thread)
    title = _check_title(title)
    if title != thread.title:
        thread.title = title
        # The title is part of every post's search document.
        for post in db.session.scalars(sa.select(Post).where(Post.thread_id == thread.id)):
            search.queue_reindex(post)
    thread.practices = linkable(practices, kept=thread.practices)
    db.session.flush()


def reply(
    actor: User, thread: Thread, body: str, reply_to: Post | None = None, at: datetime | None = None
) -> Post:
    """Add a post to ``thread``; quoting ``reply_to`` tells its author. ``at`` dates it (demo data)."""
    require(actor, "forum.reply", thread)
    post = _write(actor, thread, body, reply_to, at)
    post_created.send(post)
    return post


def edit_post(actor: User, post: Post, body: str) -> None:
    """Change a post's text; the previous text is kept as a revision."""
    require(actor, "forum.edit_post", post)
    body = _check_body(body)
    if body == post.body:
        return
    post.revisions.append(
        PostRevision(body=post.body, written_at=post.edited_at or post.created_at, editor_id=actor.id)
    )
    post.body, post.html, post.edited_at = body, render(body), utcnow()
    db.session.flush()
    post_updated.send(post)


def quotable(thread: Thread, post: Post | None) -> Post | None:
    """``post`` if a reply in ``thread`` may quote it (a visible post of that thread), else None."""
    return post if post is not None and post.thread_id == thread.id and post.is_visible else None


def quote(post: Post) -> str:
    """The Markdown blockquote with attribution that starts a reply quoting ``post``."""
    name = post.author.name if post.author else str(_l("gelöschtes Konto"))
    lines = "\n".join(f"> {line}" if line else ">" for line in post.body.splitlines())
    heading = _l("%(name)s schrieb", name=name)
    link = url_for("forum.post", post_id=post.id, _external=False)
    return f"> **{heading}** ([#{post.id}]({link})):\n>\n{lines}\n\n"


def page_of(post: Post) -> int:
    """The page of its thread that shows ``post``."""
    return max(1, math.ceil(post.number / PER_PAGE))


def post_path(post: Post) -> str:
    """The thread page with the post's anchor: where links to a post lead."""
    page = page_of(post)
    return url_for(
        "forum.thread",
        thread_id=post.thread_id,
        page=page if page > 1 else None,
        _anchor=f"beitrag-{post.id}",
        _external=False,
    )


class CountedPagination(Pagination):
    """``db.paginate`` without its count(*): the total comes from a counter column, the items
    from ``load(offset, limit)``."""

    def _query_items(self) -> list:
        load: Callable[[int, int], list] = self._query_args["load"]
        return load(self._query_offset, self.per_page)

    def _query_count(self) -> int:
        return self._query_args["total"]


def counted(page: int, per_page: int, items: Sequence, total: int) -> CountedPagination:
    """The pagination of ``items`` already loaded (a cached page) out of ``total``."""
    return CountedPagination(
        page=page, per_page=per_page, error_out=False, load=lambda *_: list(items), total=total
    )


def thread_posts(thread: Thread, page: int, per_page: int | None = None) -> CountedPagination:
    """One page of a thread's posts with their authors' names and "Anbieter" labels, in one
    query whatever the page size; the page is a range of post numbers, so the last page of a
    long thread costs what the first does."""
    query = (
        sa.select(Post)
        .order_by(Post.number)
        .options(undefer(Post.author_name), undefer(Post.by_provider))
    )

    def load(offset: int, limit: int) -> list[Post]:
        posts = db.session.scalars(
            query.where(Post.thread_id == thread.id, Post.number > offset, Post.number <= offset + limit)
        ).all()
        for post in posts:  # the page's thread, without a lookup per post
            set_committed_value(post, "thread", thread)
        return posts

    return CountedPagination(
        page=page, per_page=per_page or PER_PAGE, error_out=False, load=load, total=thread.post_count
    )


def read_mark(user, thread: Thread) -> int:
    """The id of the last post of ``thread`` that ``user`` has seen (0 for none)."""
    if user is None or not user.is_authenticated:
        return 0
    mark = db.session.get(ReadMark, (user.id, thread.id))
    return mark.last_read_post_id if mark else 0


def mark_read(user: User, thread: Thread, post_id: int) -> None:
    """Remember that ``user`` has seen ``thread`` up to ``post_id`` (never backwards)."""
    mark = db.session.get(ReadMark, (user.id, thread.id))
    if mark is None:
        db.session.add(ReadMark(user_id=user.id, thread_id=thread.id, last_read_post_id=post_id))
    elif post_id > mark.last_read_post_id:
        mark.last_read_post_id = post_id


def first_unread(user, thread: Thread) -> Post | None:
    """The first post of ``thread`` that ``user`` has not seen."""
    return db.session.scalar(
        sa.select(Post)
        .where(Post.thread_id == thread.id, Post.id > read_mark(user, thread))
        .order_by(Post.id)
        .limit(1)
    )


def thread_list(group: WorkingGroup, page: int, per_page: int | None = None) -> CountedPagination:
    """A page of the group's threads, pinned first, then by latest activity (the order of
    ``ix_forum_thread_listing``), with their authors' names, in one query."""
    query = (
        sa.select(Thread)
        .where(Thread.group_id == group.id)
        .order_by(Thread.pinned.desc(), Thread.last_post_at.desc(), Thread.id.desc())
        .options(undefer(Thread.author_name))
    )
    return CountedPagination(
        page=page,
        per_page=per_page or PER_PAGE,
        error_out=False,
        load=lambda offset, limit: db.session.scalars(query.offset(offset).limit(limit)).all(),
        total=group.thread_count,
    )


def unread_counts(user, threads: list[Thread]) -> dict[int, int]:
    """For each of ``threads`` with news, how many posts ``user`` has not read yet: its post
    count less the number of the last post read (one query, however long the threads are)."""
    if user is None or not user.is_authenticated or not threads:
        return {}
    read = dict(
        db.session.execute(
            sa.select(ReadMark.thread_id, Post.number)
            .join(Post, Post.id == ReadMark.last_read_post_id)
            .where(ReadMark.user_id == user.id, ReadMark.thread_id.in_([t.id for t in threads]))
        ).all()
    )
    return {t.id: t.post_count - read.get(t.id, 0) for t in threads if t.post_count > read.get(t.id, 0)}
