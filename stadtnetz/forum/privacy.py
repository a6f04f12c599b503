"""The forum's part in data export and account deletion (see ``stadtnetz/signals.py``).

On deletion the user's posts stay, shown as "gelöschtes Konto" (the database sets the author
to NULL), unless they ask for their content to go: then the text of each post is removed and
a placeholder keeps the thread readable. Memberships, watches, read marks, flags and
notifications are the user's alone and go with the account (ON DELETE CASCADE).
"""

import sqlalchemy as sa

from ..database import utcnow
from ..extensions import db
from ..signals import account_deleting, collect_personal_data
from . import inbox_count, versions
from .activity_models import Flag, ForumSettings, GroupWatch, Notification, ThreadWatch
from .models import GroupMembership, Post, ReadMark, Thread


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


@collect_personal_data.connect
def export_forum(_sender, user, export: dict, **_kw) -> None:
    """Add the user's groups, posts (with earlier versions), flags and watch levels."""
    posts = db.session.scalars(sa.select(Post).where(Post.author_id == user.id).order_by(Post.id))
    settings = db.session.get(ForumSettings, user.id)
    export["forum"] = {
        "groups": [
            {
                "group": m.group.name,
                "role": m.role.value,
                "status": m.status.value,
                "message": m.message,
                "since": _iso(m.created_at),
            }
            for m in db.session.scalars(sa.select(GroupMembership).where(GroupMembership.user_id == user.id))
        ],
        "posts": [
            {
                "id": p.id,
                "thread": p.thread.title,
                "written_at": _iso(p.created_at),
                "text": p.body,
                "edited_at": _iso(p.edited_at),
                "earlier_versions": [r.body for r in p.revisions],
            }
            for p in posts
        ],
        "flags": [
            {"post": f.post_id, "reason": f.reason, "at": _iso(f.created_at)}
            for f in db.session.scalars(sa.select(Flag).where(Flag.user_id == user.id))
        ],
        "watching": {
            "threads": {
                w.thread_id: w.level.value
                for w in db.session.scalars(sa.select(ThreadWatch).where(ThreadWatch.user_id == user.id))
            },
            "groups": {
                w.group_id: w.level.value
                for w in db.session.scalars(sa.select(GroupWatch).where(GroupWatch.user_id == user.id))
            },
        },
        "mail_mode": settings.mail_mode.value if settings else None,
    }


@account_deleting.connect
def forget_forum_user(_sender, user, delete_content: bool, **_kw) -> None:
    """Detach (or, on request, erase) the user's posts and drop their forum records."""
    # Before the posts lose their author: the pages that show the user's name change.
    versions.people_changed(db.session.connection(), [user.id])
    if delete_content:
        for post in db.session.scalars(sa.select(Post).where(Post.author_id == user.id)):
            post.body, post.html = "", ""
            post.deleted_at, post.deleted_reason = post.deleted_at or utcnow(), ""
            post.revisions.clear()
    db.session.execute(sa.update(Post).where(Post.author_id == user.id).values(author_id=None))
    db.session.execute(sa.update(Thread).where(Thread.author_id == user.id).values(author_id=None))
    for model in (GroupMembership, ThreadWatch, GroupWatch, ReadMark, Flag, Notification, ForumSettings):
        db.session.execute(sa.delete(model).where(model.user_id == user.id))
    # Bulk deletes, unseen by the flush listener. Erased posts reach their readers' counts
    # through it (``post.deleted_at`` above).
    inbox_count.recount(db.session, [user.id])
    db.session.flush()
