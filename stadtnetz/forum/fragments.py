"""Cached renderings of the long lists on forum pages: a page of a thread's posts and a page of
a group's threads, as mature forums keep them; also the thread page's two forms.

A rendering is kept in each worker process (an LRU of at most ``CACHE_SIZE`` characters) under the
version of what it shows (``versions``): the version is read with the thread or group row the
page loads anyway, so a change made by any process is seen by the next page everywhere, and an
outdated rendering is simply never asked for again. Only what is the same for every viewer of
the same kind goes in: the key holds the language, the time zone and, for posts, whether the
viewer moderates the group (moderators see hidden texts and the moderation forms). What is the
viewer's own (the "neu" badge, the links to quote, edit and flag, unread counts, the CSRF
token) stands in the rendering as a marker and is filled in for each request. Who may see the
page at all is checked before the cache is asked (``loading.thread_or_404``).
"""

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

from cachetools import LRUCache
from flask import current_app, g, render_template, request
from flask_babel import get_locale, get_timezone, ngettext
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from ..accounts.permissions import can
from . import posting
from .forms import PostForm, WatchForm

# Characters of HTML kept per process (a page of 20 posts is some 20,000 to 60,000).
CACHE_SIZE = 32_000_000
# ``<!--§kind id-->``: bleach strips comments from user text, so only templates write these.
MARKER = re.compile(r"<!--§(\w+) (\d+)-->")

# One cache per app (so per worker process, and per test), made on first use under the lock.
_lock = threading.Lock()


@dataclass(frozen=True)
class Fragment:
    """A rendering split at its markers (text, kind, id, text, …) and the entries it shows
    (light records: what pagination and the per-viewer parts need)."""

    pieces: tuple[str, ...]
    entries: tuple[SimpleNamespace, ...]

    def size(self) -> int:
        return sum(map(len, self.pieces))

    def fill(self, fillers: dict[str, Callable[[int], str]]) -> Markup:
        """The HTML with each marker replaced by ``fillers[kind](id)``."""
        pieces = self.pieces
        out = [pieces[0]]
        for i in range(1, len(pieces), 3):
            out.append(fillers[pieces[i]](int(pieces[i + 1])))
            out.append(pieces[i + 2])
        return Markup("".join(out))


def _cached(key: tuple, make: Callable[[], Fragment]) -> Fragment:
    key = (*key, str(get_locale()), str(get_timezone()), request.script_root)
    with _lock:
        cache = current_app.extensions.get("forum_fragments")
        if cache is None:
            cache = current_app.extensions["forum_fragments"] = LRUCache(CACHE_SIZE, getsizeof=Fragment.size)
        found = cache.get(key)
    if found is None:
        found = make()
        with _lock:
            cache[key] = found
    return found


def _fragment(html: str, entries) -> Fragment:
    return Fragment(tuple(MARKER.split(html)), tuple(entries))


def thread_posts(thread, page: int, moderator: bool, links) -> tuple[Fragment, posting.CountedPagination]:
    """A page of the thread's posts as seen by a moderator of its group or by anyone else,
    and its pagination."""
    per_page = posting.PER_PAGE

    def make() -> Fragment:
        posts = posting.thread_posts(thread, page, per_page)
        html = render_template("forum/_posts.html", posts=posts.items, links=links, moderator=moderator)
        return _fragment(
            html,
            (SimpleNamespace(id=p.id, author_id=p.author_id, is_deleted=p.is_deleted) for p in posts.items),
        )

    key = ("posts", thread.id, thread.created_at, thread.posts_version, page, per_page, moderator)
    fragment = _cached(key, make)
    return fragment, posting.counted(page, per_page, fragment.entries, thread.post_count)


def group_threads(group, page: int, links) -> tuple[Fragment, posting.CountedPagination]:
    """A page of the group's thread list, and its pagination."""
    per_page = posting.PER_PAGE

    def make() -> Fragment:
        threads = posting.thread_list(group, page, per_page)
        html = render_template("forum/_threads.html", threads=threads.items, links=links)
        return _fragment(html, (SimpleNamespace(id=t.id, post_count=t.post_count) for t in threads.items))

    key = ("threads", group.id, group.created_at, group.threads_version, page, per_page)
    fragment = _cached(key, make)
    return fragment, posting.counted(page, per_page, fragment.entries, group.thread_count)


def _nothing(_id: int) -> str:
    return ""


def posts_for(user, thread, fragment: Fragment, last_read: int, may_reply: bool, links) -> Markup:
    """The page of posts with ``user``'s own parts: "neu" after their read mark, the links to
    quote, edit and flag (by the same rules as everywhere), the CSRF token of their forms."""
    if not user.is_authenticated:
        return fragment.fill({"new": _nothing, "actions": _nothing, "csrf": _nothing})
    new = Markup('<span class="badge badge-new">%s</span>') % _("neu")
    quote, edit, flag = escape(_("Zitieren")), escape(_("Bearbeiten")), escape(_("Melden"))
    entries = {entry.id: entry for entry in fragment.entries}

    def actions(post_id: int) -> str:
        entry = entries[post_id]
        post = SimpleNamespace(author_id=entry.author_id, is_deleted=entry.is_deleted, thread=thread)
        items = [f'<li><a href="{links.quote(post_id)}">{quote}</a></li>'] if may_reply else []
        if can(user, "forum.edit_post", post):
            items.append(f'<li><a href="{links.edit(post_id)}">{edit}</a></li>')
        if can(user, "forum.flag_post", post):
            items.append(f'<li><a href="{links.flag(post_id)}">{flag}</a></li>')
        return f'<ul class="actions post-actions">{"".join(items)}</ul>'

    return fragment.fill(
        {
            "new": lambda post_id: new if post_id > last_read else "",
            "actions": actions,
            "csrf": lambda _id: generate_csrf(),
        }
    )


def threads_for(user, fragment: Fragment, links) -> Markup:
    """The thread list with ``user``'s counts of new posts, each linking to the first one."""
    counts = posting.unread_counts(user, list(fragment.entries))

    def unread(thread_id: int) -> str:
        count = counts.get(thread_id)
        if not count:
            return ""
        text = escape(ngettext("%(num)d neuer Beitrag", "%(num)d neue Beiträge", count))
        return f' · <a href="{links.first_unread(thread_id)}" class="unread-link">{text}</a>'

    return fragment.fill({"unread": unread})


def _without_token(html: str) -> Fragment:
    """``html`` with the request's CSRF token (if the rendering asked for one) as a marker."""
    token = g.get("csrf_token")
    return _fragment(html.replace(token, "<!--§csrf 0-->") if token else html, ())


def thread_forms(user, thread, level, may_reply: bool) -> tuple[Markup, Markup]:
    """The thread page's watch form (for logged-in viewers) and its reply section, rendered once
    per thread and kind of viewer, with the viewer's CSRF token filled in."""
    fillers = {"csrf": lambda _id: generate_csrf()}
    watch = Markup()
    if user.is_authenticated:
        watch = _cached(
            ("watch", thread.id, thread.created_at, level),
            lambda: _without_token(
                render_template(
                    "forum/_thread_watch.html", thread=thread, watch_form=WatchForm(level=level.value)
                )
            ),
        ).fill(fillers)
    reply = _cached(
        ("reply", thread.id, thread.created_at, may_reply, user.is_authenticated, thread.locked),
        lambda: _without_token(
            render_template("forum/_thread_reply.html", thread=thread, may_reply=may_reply, form=PostForm())
        ),
    ).fill(fillers)
    return watch, reply
