"""Thread and post pages: starting a thread, the thread page, replying with quote and preview,
editing with history, the jump to the first unread post, and the thread's watch level."""

from types import SimpleNamespace

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields import SelectChoice

from ..accounts.permissions import can, require
from ..errors import Invalid
from ..extensions import db, limiter
from ..practices.services import get_practice
from ..web import acting_user, show_invalid
from . import bp, fragments, notifications, posting, practice_discussion, practice_links
from .activity_models import WatchLevel
from .forms import EditThreadForm, MoveForm, PostForm, ThreadForm, WatchForm
from .groups import all_groups
from .listing import ANY_ID, per_entry
from .loading import group_or_404, page_arg, post_or_404, thread_or_404, thread_view_or_404
from .models import Post

# A ceiling against floods from any account; the service's brake on new accounts says why in German.
POSTING_LIMIT = "20 per minute;200 per hour"


def _previewing() -> bool:
    """True when the "Vorschau" button sent the form."""
    return "preview" in request.form


@bp.route("/arbeitsgruppen/<slug>/neues-thema", methods=["GET", "POST"])
@login_required
@limiter.limit(POSTING_LIMIT, methods=["POST"])
def new_thread(slug: str):
    """Start a thread in a group: a title and the first post."""
    group = group_or_404(slug)
    require(current_user, "forum.start_thread", group)
    form = ThreadForm()
    preview = None
    if form.validate_on_submit():
        if _previewing():
            preview = posting.render(form.body.data)
        else:
            try:
                practices = practice_links.practices_named(form.practices.data)
                thread = posting.start_thread(
                    acting_user(), group, form.title.data, form.body.data, practices=practices
                )
            except Invalid as error:
                show_invalid(form, error)
            else:
                db.session.commit()
                flash(_("Ihr Thema ist veröffentlicht."), "success")
                return redirect(url_for(".thread", thread_id=thread.id))
    return render_template("forum/new_thread.html", group=group, form=form, preview=preview)


def _post_links(thread) -> SimpleNamespace:
    """The links each post of a thread page carries."""
    return SimpleNamespace(
        post=per_entry(".post", post_id=ANY_ID),
        profile=per_entry("accounts.profile", user_id=ANY_ID),
        quote=per_entry(".reply", thread_id=thread.id, zitat=ANY_ID),
        edit=per_entry(".edit_post", post_id=ANY_ID),
        history=per_entry(".post_history", post_id=ANY_ID),
        flag=per_entry(".flag_post", post_id=ANY_ID),
        moderate=per_entry(".moderate_post", post_id=ANY_ID),
    )


@bp.route("/forum/themen/<int:thread_id>")
def thread(thread_id: int):
    """A thread page; reading it moves the visitor's read mark to its last post shown."""
    view = thread_view_or_404(thread_id)
    thread, last_read = view.thread, view.last_read
    viewer = current_user._get_current_object()  # asked once per post: no proxy in between
    moderator = can(viewer, "forum.moderate", thread.group)
    may_reply = can(viewer, "forum.reply", thread)
    links = _post_links(thread)
    fragment, posts = fragments.thread_posts(thread, page_arg(), moderator, links)
    watch_html, reply_html = fragments.thread_forms(viewer, thread, view.level, may_reply)
    page = render_template(
        "forum/thread.html",
        thread=thread,
        group=thread.group,
        posts=posts,
        posts_html=fragments.posts_for(viewer, thread, fragment, last_read, may_reply, links),
        moderator=moderator,
        may_reply=may_reply,
        watch_html=watch_html,
        reply_html=reply_html,
        move_form=_move_form(thread) if moderator else None,
        practice=view.practice,
    )
    # Marked after rendering: the commit expires what the page has loaded.
    if current_user.is_authenticated and posts.items and posts.items[-1].id > last_read:
        posting.mark_read(acting_user(), thread, posts.items[-1].id)
        db.session.commit()
    return page


@bp.route("/forum/themen/<int:thread_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def edit_thread(thread_id: int):
    """Change a thread's title and the practices it links."""
    thread = thread_or_404(thread_id)
    require(current_user, "forum.edit_thread", thread)
    form = EditThreadForm(
        data=None
        if request.method == "POST"
        else {"title": thread.title, "practices": practice_links.references(thread)}
    )
    if form.validate_on_submit():
        try:
            practices = practice_links.practices_named(form.practices.data)
            posting.edit_thread(acting_user(), thread, form.title.data, practices)
        except Invalid as error:
            show_invalid(form, error)
        else:
            db.session.commit()
            flash(_("Das Thema ist gespeichert."), "success")
            return redirect(url_for(".thread", thread_id=thread.id))
    return render_template("forum/edit_thread.html", thread=thread, group=thread.group, form=form)


def _move_form(thread) -> MoveForm:
    form = MoveForm()
    form.group.choices = [
        SelectChoice(g.id, g.name)
        for g in all_groups()
        if g.id != thread.group_id and can(current_user, "forum.moderate", g)
    ]
    return form


@bp.route("/forum/themen/<int:thread_id>/antworten", methods=["GET", "POST"])
@login_required
@limiter.limit(POSTING_LIMIT, methods=["POST"])
def reply(thread_id: int):
    """Write a reply, optionally quoting a post (``?zitat=<id>``), with a preview."""
    thread = thread_or_404(thread_id)
    require(current_user, "forum.reply", thread)
    form = PostForm()
    quoted_id = request.args.get("zitat", type=int)
    if request.method == "GET" and quoted_id:
        quoted = posting.quotable(thread, db.session.get(Post, quoted_id))
        if quoted is not None:
            form.body.data, form.reply_to.data = posting.quote(quoted), str(quoted.id)
    preview = None
    if form.validate_on_submit():
        if _previewing():
            preview = posting.render(form.body.data)
        else:
            reply_to_id = form.reply_to.data or ""
            reply_to = db.session.get(Post, int(reply_to_id)) if reply_to_id.isdigit() else None
            try:
                post = posting.reply(acting_user(), thread, form.body.data, reply_to)
            except Invalid as error:
                show_invalid(form, error)
            else:
                db.session.commit()
                return redirect(posting.post_path(post))
    return render_template("forum/reply.html", thread=thread, group=thread.group, form=form, preview=preview)


@bp.route("/forum/themen/<int:thread_id>/ungelesen")
def first_unread(thread_id: int):
    """Jump to the first post the visitor has not read, or to the last one."""
    thread = thread_or_404(thread_id)
    post = posting.first_unread(current_user, thread) or db.session.get(Post, thread.last_post_id)
    return redirect(posting.post_path(post))


@bp.post("/forum/themen/<int:thread_id>/beobachten")
@login_required
def watch_thread(thread_id: int):
    """Set the visitor's watch level for this thread."""
    thread = thread_or_404(thread_id)
    form = WatchForm()
    if form.validate_on_submit():
        notifications.watch_thread(acting_user(), thread, WatchLevel(form.level.data))
        db.session.commit()
        flash(_("Ihre Einstellung für dieses Thema ist gespeichert."), "success")
    return redirect(url_for(".thread", thread_id=thread.id))


@bp.route("/forum/beitraege/<int:post_id>")
def post(post_id: int):
    """A post's permanent address: leads to its place in the thread."""
    return redirect(posting.post_path(post_or_404(post_id)))


@bp.route("/forum/beitraege/<int:post_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def edit_post(post_id: int):
    """Edit a post; the earlier text stays in its history."""
    post = post_or_404(post_id)
    require(current_user, "forum.edit_post", post)
    form = PostForm(data=None if request.method == "POST" else {"body": post.body})
    preview = None
    if form.validate_on_submit():
        if _previewing():
            preview = posting.render(form.body.data)
        else:
            try:
                posting.edit_post(acting_user(), post, form.body.data)
            except Invalid as error:
                show_invalid(form, error)
            else:
                db.session.commit()
                flash(_("Ihre Änderung ist gespeichert."), "success")
                return redirect(posting.post_path(post))
    return render_template(
        "forum/edit_post.html",
        post=post,
        thread=post.thread,
        group=post.thread.group,
        form=form,
        preview=preview,
    )


@bp.route("/forum/beitraege/<int:post_id>/versionen")
def post_history(post_id: int):
    """Every earlier version of a post, newest first."""
    post = post_or_404(post_id)
    if not post.is_visible and not can(current_user, "forum.moderate", post.thread.group):
        abort(404)
    return render_template("forum/history.html", post=post, thread=post.thread, group=post.thread.group)


@bp.route("/praxisbeispiele/<int:practice_id>/diskussion", methods=["POST"])
@login_required
@limiter.limit(POSTING_LIMIT, methods=["POST"])
def discuss_practice(practice_id: int):
    """Write in a practice's discussion (with a preview page when asked for)."""
    practice = get_practice(practice_id, current_user)
    form = PostForm()
    if form.validate_on_submit() and not _previewing():
        try:
            post = practice_discussion.discuss(acting_user(), practice, form.body.data)
        except Invalid as error:
            show_invalid(form, error)
        else:
            db.session.commit()
            return redirect(posting.post_path(post))
    preview = posting.render(form.body.data) if form.body.data and _previewing() else None
    return render_template("forum/practice_reply.html", practice=practice, form=form, preview=preview)
