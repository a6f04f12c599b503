"""Offer services: publish an offer (at a limited rate per provider), edit or withdraw it, name
practices as references, confirm them on the practice's side, and recommend an offer for a
municipality. Search follows every change through the session listeners of ``search``.
They check the policy, validate, ``flush()`` and raise ``Invalid``, ``PermissionDenied`` or
``NotFound``; the caller commits. As with practices, ``actor=None`` is the system itself.
"""

from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from ..accounts.models import Organisation
from ..accounts.organisations import slugify
from ..accounts.permissions import can, municipal_organisations, require
from ..content import render_markdown
from ..database import utcnow
from ..directory.models import LAENDER
from ..errors import Invalid, NotFound
from ..extensions import db
from ..practices.models import Practice
from ..practices.services import authorise
from ..practices.topics import Topic
from . import notifications
from .models import Offer, OfferReference, OfferTopic, PriceModel, Recommendation

#: New offers one provider organisation may publish within ``RATE_WINDOW``: offers inform,
#: they must not flood the network.
OFFERS_PER_WINDOW = 3
RATE_WINDOW = timedelta(hours=24)
MAX_LENGTHS = {"title": 200, "teaser": 500, "price_note": 300, "contact_name": 120, "contact_email": 254}
NOTE_MAX = 300


def get_offer(offer_id: int) -> Offer:
    offer = db.session.get(Offer, offer_id)
    if offer is None:
        raise NotFound()
    return offer


def create_offer(actor, organisation: Organisation, data: dict[str, Any]) -> Offer:
    """Publish a new offer of ``organisation`` (a Lösungsanbieter the actor belongs to);
    ``actor=None`` is the system itself (demo data)."""
    authorise(actor, "offer.create", organisation)
    check_rate(organisation)
    offer = Offer(organisation=organisation, author=actor)
    _apply(offer, data)
    db.session.add(offer)
    db.session.flush()
    return offer


def update_offer(actor, offer: Offer, data: dict[str, Any]) -> Offer:
    """Change what an offer says (its provider stays); the search index follows."""
    require(actor, "offer.edit", offer)
    _apply(offer, data)
    offer.updated_at = utcnow()
    db.session.flush()
    return offer


def withdraw_offer(actor, offer: Offer) -> Offer:
    """Take an offer off lists, search, the API and challenge matches; its page stays to say so.
    References and recommendations are kept, but shown nowhere while it is withdrawn."""
    require(actor, "offer.edit", offer)
    offer.withdrawn_at = utcnow()
    db.session.flush()
    return offer


def check_rate(organisation: Organisation) -> None:
    """Raise ``Invalid`` when ``organisation`` has published its share of offers for now.

    The provider's row is locked until the transaction ends, so two members publishing at the
    same moment are counted one after the other, not both against the same count."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.select(Organisation.id).where(Organisation.id == organisation.id)
                           .with_for_update())
    else:  # SQLite: a write takes the database's write lock
        db.session.execute(sa.update(Organisation).where(Organisation.id == organisation.id)
                           .values(id=Organisation.id), execution_options={"synchronize_session": False})
    since = utcnow() - RATE_WINDOW
    recent = db.session.scalars(
        sa.select(Offer.created_at).where(Offer.organisation_id == organisation.id, Offer.created_at > since)
        .order_by(Offer.created_at)
    ).all()
    if len(recent) >= OFFERS_PER_WINDOW:
        hours = max(1, round((recent[0] + RATE_WINDOW - utcnow()).total_seconds() / 3600))
        raise Invalid(_(
            "%(name)s hat in den letzten 24 Stunden schon %(count)d Angebote veröffentlicht, mehr sind "
            "nicht möglich. Das nächste können Sie in etwa %(hours)d Stunden veröffentlichen.",
            name=organisation.name, count=OFFERS_PER_WINDOW, hours=hours))


def _apply(offer: Offer, data: dict[str, Any]) -> None:
    values = {key: (data.get(key) or "").strip() for key in MAX_LENGTHS}
    for key, limit in MAX_LENGTHS.items():
        if len(values[key]) > limit:
            raise Invalid(_("Bitte höchstens %(max)d Zeichen eingeben.", max=limit), key)
    if not values["title"]:
        raise Invalid(_("Bitte geben Sie einen Titel an."), "title")
    if not values["teaser"]:
        raise Invalid(_("Bitte beschreiben Sie das Angebot in ein, zwei Sätzen."), "teaser")
    description = (data.get("description") or "").strip()
    if not description:
        raise Invalid(_("Bitte beschreiben Sie, was das Angebot leistet."), "description")
    try:
        price_model = PriceModel(data.get("price_model"))
    except ValueError:
        raise Invalid(_("Bitte wählen Sie ein Preismodell."), "price_model") from None
    regions = list(dict.fromkeys(data.get("regions") or []))
    if any(key not in LAENDER for key in regions):
        raise Invalid(_("Unbekanntes Land."), "regions")
    topics = topic_slugs(data.get("topics"))
    # Only now, with everything valid, is the offer changed.
    for key, value in values.items():
        setattr(offer, key, value)
    offer.slug = slugify(offer.title)[:120]
    offer.description = description
    offer.description_html = render_markdown(description)
    offer.price_model = price_model
    offer.regions = regions
    set_topics(offer, OfferTopic, topics)


def set_topics(owner, row_type, slugs: list[str]) -> None:
    """Make ``owner``'s Handlungsfelder ``slugs``, keeping the rows that stay (deleting and
    inserting the same key in one flush would collide)."""
    kept = [row for row in owner.topic_rows if row.topic in slugs]
    present = {row.topic for row in kept}
    owner.topic_rows = kept + [row_type(topic=slug) for slug in slugs if slug not in present]


def topic_slugs(topics) -> list[str]:
    """Known Handlungsfeld slugs, each once; at least one."""
    slugs = list(dict.fromkeys(topics or []))
    if not slugs:
        raise Invalid(_("Bitte wählen Sie mindestens ein Handlungsfeld."), "topics")
    for slug in slugs:
        if Topic.by_slug(slug) is None:
            raise Invalid(_("Unbekanntes Handlungsfeld: %(topic)s", topic=slug), "topics")
    return slugs


def add_reference(actor, offer: Offer, practice: Practice) -> OfferReference:
    """Name a published practice the offer was used in; it shows once the practice confirms."""
    require(actor, "offer.edit", offer)
    if not practice.is_public:
        raise NotFound()
    if any(reference.practice_id == practice.id for reference in offer.references):
        raise Invalid(_("Dieses Praxisbeispiel ist schon als Referenz genannt."), "practice")
    reference = OfferReference(offer=offer, practice=practice)
    db.session.add(reference)
    db.session.flush()
    notifications.reference_proposed(reference)
    return reference


def confirm_reference(actor, reference: OfferReference) -> OfferReference:
    """A verified member of the practice's organisation confirms the offer was used there."""
    require(actor, "offer.confirm_reference", reference)
    if reference.is_confirmed:
        raise Invalid(_("Diese Referenz ist schon bestätigt."))
    reference.confirmed_at = utcnow()
    reference.confirmed_by = actor
    db.session.flush()
    return reference


def decline_reference(actor, reference: OfferReference) -> None:
    """The practice's organisation says the offer was not used there: the reference goes."""
    require(actor, "offer.confirm_reference", reference)
    db.session.delete(reference)
    db.session.flush()


def recommending_organisations(user, offer: Offer) -> list[Organisation]:
    """The municipalities ``user`` may still recommend ``offer`` for."""
    if not can(user, "offer.recommend", offer):
        return []
    taken = {recommendation.organisation_id for recommendation in offer.recommendations}
    return [o for o in municipal_organisations(user) if o.id not in taken]


def recommend(actor, offer: Offer, organisation: Organisation, note: str) -> Recommendation:
    """Recommend ``offer`` on behalf of ``organisation`` (a municipality), once, with a note."""
    require(actor, "offer.recommend", offer)
    if organisation not in municipal_organisations(actor):
        raise Invalid(_("Empfehlen können nur verifizierte Mitglieder einer Kommune oder eines Landkreises."),
                      "organisation")
    if any(r.organisation_id == organisation.id for r in offer.recommendations):
        raise Invalid(_("%(name)s empfiehlt dieses Angebot schon.", name=organisation.name), "organisation")
    note = (note or "").strip()
    if not note:
        raise Invalid(_("Bitte schreiben Sie kurz, warum Sie das Angebot empfehlen."), "note")
    if len(note) > NOTE_MAX:
        raise Invalid(_("Bitte höchstens %(max)d Zeichen eingeben.", max=NOTE_MAX), "note")
    recommendation = Recommendation(offer=offer, organisation=organisation, user=actor, note=note)
    db.session.add(recommendation)
    db.session.flush()
    return recommendation
