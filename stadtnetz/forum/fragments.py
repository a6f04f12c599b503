"""Cached renderings of the long lists on forum pages: a page of a thread's posts and a page of
a group's threads, as mature forums keep them; also the thread page's two forms.

Each is kept by ``rendering`` under the version of what it shows (``versions``): the version is
read with the thread or group row the page loads anyway. Only what is the same for every viewer
of the same kind goes in: the key holds, for posts, whether the viewer moderates the group
(moderators see hidden texts and the moderation forms). What is the viewer's own (the "neu"
badge, the links to quote, edit and flag, unread counts, the CSRF token) is a marker filled in
for each request. Who may see the page at all is checked before the cache is asked
(``loading.thread_or_404``).
"""

from types import SimpleNamespace

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from ..accounts.permissions import can
from ..rendering import Fragment, cached, fragment, without_token
from . import posting
from .forms import PostForm, WatchForm


def thread_posts(thread, page: int, moderator: bool, links) -> tuple[Fragment, posting.CountedPagination]:
    """A page of the thread's posts as seen by a moderator of its group or by anyone else,
    and its pagination."""
    per_page = posting.PER_PAGE

    def make() -> Fragment:
        posts = posting.thread_posts(thread, page, per_page)
        html = render_template("forum/_posts.html", posts=posts.items, links=links, moderator=moderator)
        return fragment(
            html,
            (SimpleNamespace(id=p.id, author_id=p.author_id, is_deleted=p.is_deleted) for p in posts.items),
        )

    key = ("posts", thread.id, thread.created_at, thread.posts_version, page, per_page, moderator)
    found = cached(key, make)
    return found, posting.counted(page, per_page, found.entries, thread.post_count)


def group_threads(group, page: int, links) -> tuple[Fragment, posting.CountedPagination]:
    """A page of the group's thread list, and its pagination."""
    per_page = posting.PER_PAGE

    def make() -> Fragment:
        threads = posting.thread_list(group, page, per_page)
        html = render_template("forum/_threads.html", threads=threads.items, links=links)
        return fragment(html, (SimpleNamespace(id=t.id, post_count=t.post_count) for t in threads.items))

    key = ("threads", group.id, group.created_at, group.threads_version, page, per_page)
    found = cached(key, make)
    return found, posting.counted(page, per_page, found.entries, group.thread_count)


_TOKEN = {"csrf": lambda _id: generate_csrf()}


def _nothing(_id: int) -> str:
    return ""


def posts_for(user, thread, rendered: Fragment, last_read: int, may_reply: bool, links) -> Markup:
    """The page of posts with ``user``'s own parts: "neu" after their read mark, the links to
    quote, edit and flag (by the same rules as everywhere), the CSRF token of their forms."""
    if not user.is_authenticated:
        return rendered.fill({"new": _nothing, "actions": _nothing, "csrf": _nothing})
    new = Markup('<span class="badge badge-new">%s</span>') % _("neu")
    quote, edit, flag = escape(_("Zitieren")), escape(_("Bearbeiten")), escape(_("Melden"))
    entries = {entry.id: entry for entry in rendered.entries}

    def actions(post_id: int) -> str:
        entry = entries[post_id]
        post = SimpleNamespace(author_id=entry.author_id, is_deleted=entry.is_deleted, thread=thread)
        items = [f'<li><a href="{links.quote(post_id)}">{quote}</a></li>'] if may_reply else []
        if can(user, "forum.edit_post", post):
            items.append(f'<li><a href="{links.edit(post_id)}">{edit}</a></li>')
        if can(user, "forum.flag_post", post):
            items.append(f'<li><a href="{links.flag(post_id)}">{flag}</a></li>')
        return f'<ul class="actions post-actions">{"".join(items)}</ul>'

    return rendered.fill(
        {
            "new": lambda post_id: new if post_id > last_read else "",
            "actions": actions,
            "csrf": lambda _id: generate_csrf(),
        }
    )


def threads_for(user, rendered: Fragment, links) -> Markup:
    """The thread list with ``user``'s counts of new posts, each linking to the first one."""
    counts = posting.unread_counts(user, list(rendered.entries))

    def unread(thread_id: int) -> str:
        count = counts.get(thread_id)
        if not count:
            return ""
        text = escape(ngettext("%(num)d neuer Beitrag", "%(num)d neue Beiträge", count))
        return f' · <a href="{links.first_unread(thread_id)}" class="unread-link">{text}</a>'

    return rendered.fill({"unread": unread})


def watch_form(action: str, level) -> Markup:
    """The watch-level form of a thread or group (``action``) for a logged-in viewer at ``level``,
    rendered once per target and level, with the viewer's CSRF token filled in."""
    return cached(
        ("watch", action, level),
        lambda: without_token(
            render_template("forum/_watch.html", action=action, watch_form=WatchForm(level=level.value))
        ),
    ).fill(_TOKEN)


def thread_forms(user, thread, level, may_reply: bool) -> tuple[Markup, Markup]:
    """The thread page's watch form (for logged-in viewers) and its reply section, rendered once
    per thread and kind of viewer, with the viewer's CSRF token filled in."""
    watch = Markup()
    if user.is_authenticated:
        watch = watch_form(url_for(".watch_thread", thread_id=thread.id), level)
    reply = cached(
        ("reply", thread.id, thread.created_at, may_reply, user.is_authenticated, thread.locked),
        lambda: without_token(
            render_template("forum/_thread_reply.html", thread=thread, may_reply=may_reply, form=PostForm())
        ),
    ).fill(_TOKEN)
    return watch, reply
