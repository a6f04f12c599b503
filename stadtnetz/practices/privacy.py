"""Practices' part in the privacy signals: the user's export and what happens to their
content when the account is deleted (it stays, shown as "gelöschtes Konto", unless the user
asks for it to go too)."""

import sqlalchemy as sa

from ..extensions import db
from ..signals import account_deleting, collect_personal_data
from .attachments import forget_files
from .models import Adoption, Practice, PracticeAttachment, PracticeFollowUp, PracticeRevision


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


@collect_personal_data.connect
def _export_practices(_sender, user, export: dict, **_kw) -> None:
    """Add the practices, follow-up notes, revisions and adoptions the user wrote."""
    practices = db.session.scalars(sa.select(Practice).where(Practice.author_id == user.id))
    export["practices"] = [
        {"id": p.id, "title": p.title, "organisation": p.organisation.name, "state": p.state.value,
         "url": p.url, "created_at": _iso(p.created_at), "published_at": _iso(p.published_at)}
        for p in practices
    ]
    follow_ups = db.session.scalars(sa.select(PracticeFollowUp).where(PracticeFollowUp.author_id == user.id))
    export["practice_follow_ups"] = [
        {"practice_id": f.practice_id, "noted_on": f.noted_on.isoformat(), "body": f.body} for f in follow_ups
    ]
    revisions = db.session.scalars(sa.select(PracticeRevision).where(PracticeRevision.author_id == user.id))
    export["practice_revisions"] = [
        {"practice_id": r.practice_id, "number": r.number, "created_at": _iso(r.created_at)}
        for r in revisions
    ]
    adoptions = db.session.scalars(sa.select(Adoption).where(Adoption.user_id == user.id))
    export["practice_adoptions"] = [
        {"practice_id": a.practice_id, "organisation": a.organisation.name, "kind": a.kind.value,
         "note": a.note, "created_at": _iso(a.created_at)}
        for a in adoptions
    ]


@account_deleting.connect
def _detach_practices(_sender, user, delete_content: bool, **_kw) -> None:
    """Delete the user's practices and notes if asked; otherwise keep them without an author."""
    if delete_content:
        for practice in db.session.scalars(sa.select(Practice).where(Practice.author_id == user.id)):
            forget_files(practice.attachments)
            db.session.delete(practice)  # through the session, so the search index drops it
        db.session.execute(sa.delete(PracticeFollowUp).where(PracticeFollowUp.author_id == user.id))
    for model, column in ((Practice, "author_id"), (PracticeFollowUp, "author_id"),
                          (PracticeRevision, "author_id"), (Adoption, "user_id"),
                          (PracticeAttachment, "uploaded_by_id")):
        db.session.execute(sa.update(model).where(getattr(model, column) == user.id).values({column: None}))
    db.session.flush()
