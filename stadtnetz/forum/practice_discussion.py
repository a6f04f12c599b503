"""Every published practice has its own discussion thread, shown on the practice page.

The thread is created lazily, with the first post written about the practice, in the public
group "Praxisbeispiele im Gespräch" (itself created with the first such thread). Lazy creation
needs no signal from the practices module and leaves no empty threads behind for practices
nobody discusses; ``Thread.practice_id`` (unique) ties the thread to its practice.
"""

import sqlalchemy as sa
from flask import render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import selectinload, undefer

from ..accounts.models import User
from ..accounts.permissions import can
from ..errors import Invalid
from ..extensions import db
from ..practices.models import Practice
from ..practices.topics import PracticeState
from ..web import page_section
from .forms import PostForm
from .models import Post, Thread, Visibility, WorkingGroup
from .posting import reply, start_thread
from .practice_links import threads_linking

GROUP_NAME, GROUP_SLUG = "Praxisbeispiele im Gespräch", "praxisbeispiele-im-gespraech"
SHOWN_POSTS = 5


def discussion_group() -> WorkingGroup:
    """The group of practice discussions; a new, unsaved one until the first thread exists."""
    group = db.session.scalar(sa.select(WorkingGroup).where(WorkingGroup.slug == GROUP_SLUG))
    return group or WorkingGroup(
        name=GROUP_NAME,
        slug=GROUP_SLUG,
        visibility=Visibility.PUBLIC,
        description=str(_l("Hier wird über die veröffentlichten Praxisbeispiele diskutiert.")),
    )


def discussion_thread(practice: Practice) -> Thread | None:
    return db.session.scalar(sa.select(Thread).where(Thread.practice_id == practice.id))


def may_discuss(user, practice: Practice) -> bool:
    """Whether ``user`` may write in the discussion of ``practice`` (published ones only)."""
    thread = discussion_thread(practice)
    allowed = (
        can(user, "forum.reply", thread) if thread else can(user, "forum.start_thread", discussion_group())
    )
    return practice.state == PracticeState.PUBLISHED and allowed


def discuss(actor: User, practice: Practice, body: str) -> Post:
    """Write in the discussion of ``practice``, opening its thread with the first post."""
    if practice.state != PracticeState.PUBLISHED:
        raise Invalid(_l("Nur veröffentlichte Praxisbeispiele können diskutiert werden."), "body")
    thread = discussion_thread(practice)
    if thread is not None:
        return reply(actor, thread, body)
    group = discussion_group()
    db.session.add(group)
    title = str(_l("Diskussion: %(title)s", title=practice.title))[:200]
    thread = start_thread(actor, group, title, body, practice_id=practice.id)
    return db.session.get(Post, thread.last_post_id)


@page_section("practices.show")
def practice_discussion_section(practice: Practice) -> str:
    """The latest posts of the practice's discussion, a form to join in, and the threads that
    link the practice."""
    thread = discussion_thread(practice)
    posts = []
    if thread is not None:
        posts = list(
            reversed(
                db.session.scalars(
                    sa.select(Post)
                    .where(Post.thread_id == thread.id)
                    .order_by(Post.id.desc())
                    .limit(SHOWN_POSTS)
                    .options(selectinload(Post.author), undefer(Post.by_provider))
                ).all()
            )
        )
    return render_template(
        "forum/_practice_discussion.html",
        practice=practice,
        thread=thread,
        posts=posts,
        form=PostForm(),
        may_post=may_discuss(current_user, practice),
        linking_threads=threads_linking(practice, current_user),
    )
