"""Offers' part in the privacy signals: the user's export, and what happens to the offers,
challenges and answers they wrote when the account is deleted (they stay without an author,
unless the user asks for them to go too). Watched Handlungsfelder go with the account."""

import sqlalchemy as sa

from ..extensions import db
from ..signals import account_deleting, collect_personal_data
from .models import Challenge, ChallengeAnswer, Offer, OfferReference, Recommendation, TopicWatch


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


@collect_personal_data.connect
def _export_offers(_sender, user, export: dict, **_kw) -> None:
    """Add the offers, challenges, answers and recommendations the user wrote, and their watches."""
    offers = db.session.scalars(sa.select(Offer).where(Offer.author_id == user.id))
    export["offers"] = [{"id": o.id, "title": o.title, "organisation": o.organisation.name, "url": o.url,
                         "created_at": _iso(o.created_at), "withdrawn_at": _iso(o.withdrawn_at)}
                        for o in offers]
    challenges = db.session.scalars(sa.select(Challenge).where(Challenge.author_id == user.id))
    export["challenges"] = [{"id": c.id, "title": c.title, "organisation": c.organisation.name, "url": c.url,
                             "created_at": _iso(c.created_at)} for c in challenges]
    answers = db.session.scalars(sa.select(ChallengeAnswer).where(ChallengeAnswer.author_id == user.id))
    export["challenge_answers"] = [{"challenge_id": a.challenge_id, "offer_id": a.offer_id,
                                    "message": a.message, "created_at": _iso(a.created_at)} for a in answers]
    recommendations = db.session.scalars(sa.select(Recommendation).where(Recommendation.user_id == user.id))
    export["offer_recommendations"] = [{"offer_id": r.offer_id, "organisation": r.organisation.name,
                                        "note": r.note, "created_at": _iso(r.created_at)}
                                       for r in recommendations]
    export["watched_topics"] = list(db.session.scalars(
        sa.select(TopicWatch.topic).where(TopicWatch.user_id == user.id)))


@account_deleting.connect
def _detach_offers(_sender, user, delete_content: bool, **_kw) -> None:
    """Delete the user's offers, challenges and answers if asked; otherwise keep them unsigned."""
    if delete_content:
        for model in (ChallengeAnswer, Offer, Challenge):
            for row in db.session.scalars(sa.select(model).where(model.author_id == user.id)):
                db.session.delete(row)  # through the session, so the search index drops it
    for model, column in ((Offer, "author_id"), (Challenge, "author_id"), (ChallengeAnswer, "author_id"),
                          (Recommendation, "user_id"), (OfferReference, "confirmed_by_id")):
        db.session.execute(sa.update(model).where(getattr(model, column) == user.id).values({column: None}))
    db.session.flush()
