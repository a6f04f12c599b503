"""Challenge services: a municipality posts a challenge, providers answer with an offer, the
municipality marks answers helpful and closes the challenge with what it chose. The matches a
challenge page lists come from the search module's more-like-this, peer knowledge first.
"""

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from .. import search
from ..accounts.models import Organisation
from ..accounts.organisations import slugify
from ..accounts.permissions import require
from ..content import render_markdown
from ..database import utcnow
from ..errors import Invalid, NotFound
from ..extensions import db
from ..practices.services import authorise
from . import notifications
from .models import Challenge, ChallengeAnswer, ChallengeState, ChallengeTopic, Offer, TopicWatch
from .services import set_topics, topic_slugs

TITLE_MAX = 200
TEXT_MAX = 20_000
MATCHES = 5


def get_challenge(challenge_id: int) -> Challenge:
    challenge = db.session.get(Challenge, challenge_id)
    if challenge is None:
        raise NotFound()
    return challenge


def _text(value: str | None, field: str, missing: str) -> str:
    value = (value or "").strip()
    if not value:
        raise Invalid(missing, field)
    if len(value) > TEXT_MAX:
        raise Invalid(_("Bitte höchstens %(max)d Zeichen eingeben.", max=TEXT_MAX), field)
    return value


def create_challenge(actor, organisation: Organisation, data: dict[str, Any]) -> Challenge:
    """Post a challenge of ``organisation`` (a Kommune or Landkreis); watching providers hear of it.
    ``actor=None`` is the system itself (demo data)."""
    authorise(actor, "challenge.create", organisation)
    challenge = Challenge(organisation=organisation, author=actor)
    _apply(challenge, data)
    db.session.add(challenge)
    db.session.flush()
    notifications.challenge_posted(challenge)
    return challenge


def update_challenge(actor, challenge: Challenge, data: dict[str, Any]) -> Challenge:
    """The municipality changes its open challenge; the search index and the matches follow."""
    require(actor, "challenge.edit", challenge)
    _apply(challenge, data)
    challenge.updated_at = utcnow()
    db.session.flush()
    return challenge


def _apply(challenge: Challenge, data: dict[str, Any]) -> None:
    title = (data.get("title") or "").strip()
    if not title:
        raise Invalid(_("Bitte geben Sie einen Titel an."), "title")
    if len(title) > TITLE_MAX:
        raise Invalid(_("Bitte höchstens %(max)d Zeichen eingeben.", max=TITLE_MAX), "title")
    description = _text(data.get("description"), "description",
                        _("Bitte beschreiben Sie, wofür Sie eine Lösung suchen."))
    deadline = data.get("deadline")
    if not isinstance(deadline, date):
        raise Invalid(_("Bitte geben Sie an, bis wann Sie Antworten erwarten."), "deadline")
    if deadline < date.today():
        raise Invalid(_("Die Frist darf nicht in der Vergangenheit liegen."), "deadline")
    slugs = topic_slugs(data.get("topics"))
    challenge.title, challenge.slug = title, slugify(title)[:120]
    challenge.description, challenge.description_html = description, render_markdown(description)
    challenge.deadline = deadline
    set_topics(challenge, ChallengeTopic, slugs)


def answer(actor, challenge: Challenge, offer: Offer, message: str) -> ChallengeAnswer:
    """A provider answers with one of its offers; the municipality is told."""
    require(actor, "challenge.answer", challenge)
    require(actor, "offer.edit", offer)
    if challenge.deadline < date.today():
        raise Invalid(_("Die Frist für Antworten ist abgelaufen."), "offer")
    if any(a.offer_id == offer.id for a in challenge.answers):
        raise Invalid(_("Mit diesem Angebot wurde schon geantwortet."), "offer")
    message = _text(message, "message", _("Bitte schreiben Sie, wie Ihr Angebot hier hilft."))
    reply = ChallengeAnswer(challenge=challenge, offer=offer, author=actor, message=message,
                            message_html=render_markdown(message))
    db.session.add(reply)
    db.session.flush()
    notifications.answer_received(reply)
    return reply


def mark_helpful(actor, reply: ChallengeAnswer, helpful: bool = True) -> ChallengeAnswer:
    """The municipality marks an answer as helpful (or takes the mark back)."""
    require(actor, "challenge.manage", reply.challenge)
    reply.helpful_at = utcnow() if helpful else None
    db.session.flush()
    return reply


def close_challenge(actor, challenge: Challenge, outcome: str,
                    chosen: ChallengeAnswer | None = None) -> Challenge:
    """Close a challenge, saying what the municipality chose (optionally one of the answers)."""
    require(actor, "challenge.manage", challenge)
    if not challenge.is_open:
        raise Invalid(_("Das Gesuch ist schon abgeschlossen."))
    if chosen is not None and chosen.challenge_id != challenge.id:
        raise Invalid(_("Diese Antwort gehört nicht zu diesem Gesuch."), "chosen")
    outcome = _text(outcome, "outcome", _("Bitte schreiben Sie, wofür Sie sich entschieden haben."))
    for reply in challenge.answers:
        reply.chosen = reply is chosen
    challenge.outcome = outcome
    challenge.outcome_html = render_markdown(outcome)
    challenge.state = ChallengeState.CLOSED
    challenge.closed_at = utcnow()
    db.session.flush()
    return challenge


def watched_topics(user) -> list[str]:
    return list(db.session.scalars(sa.select(TopicWatch.topic).where(TopicWatch.user_id == user.id)))


def watch_topics(actor, topics) -> list[str]:
    """Replace the Handlungsfelder whose new challenges ``actor`` hears of (none is allowed)."""
    require(actor, "offer.watch_topics")
    slugs = topic_slugs(topics) if topics else []
    db.session.execute(sa.delete(TopicWatch).where(TopicWatch.user_id == actor.id))
    db.session.add_all(TopicWatch(user_id=actor.id, topic=slug) for slug in slugs)
    db.session.flush()
    return slugs


def matches(challenge: Challenge, user) -> tuple[list, list]:
    """Practices, then offers, that resemble the challenge (search hits the viewer may see)."""
    practices = search.more_like_this("challenge", challenge.id, user=user, kinds=["practice"], limit=MATCHES)
    offers = search.more_like_this("challenge", challenge.id, user=user, kinds=["offer"], limit=MATCHES)
    # The index drops a withdrawn offer only once the indexer ran; until then the database says.
    live = set(db.session.scalars(sa.select(Offer.id).where(
        Offer.id.in_([hit.id for hit in offers]), Offer.withdrawn_at.is_(None))))
    return practices, [hit for hit in offers if hit.id in live]


def challenge_page(page: int, per_page: int):
    """Open challenges first (by deadline), then the closed ones."""
    query = sa.select(Challenge).order_by(Challenge.state == ChallengeState.CLOSED, Challenge.deadline)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)
