"""Offers and challenges in the API: providers' offers (always marked as provider content) and
municipalities' challenges, read-only, newest first, filtered by Handlungsfeld. Withdrawn offers
are not listed.

Routes, their schemas and their part of the OpenAPI document live together here; the offers
module knows nothing of the API.
"""

import sqlalchemy as sa
from flask import jsonify, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields

from ..extensions import db
from ..offers.models import Challenge, ChallengeState, ChallengeTopic, Offer, OfferTopic
from . import bp
from .forum import PageArgs
from .routes import pagination, parse_args
from .schemas import (
    FILTERS,
    OrganisationSchema,
    PaginationSchema,
    TopicSchema,
    _filter_field,
    _one_of,
    public_url,
)


class OfferArgs(PageArgs):
    topic = _filter_field(FILTERS["topic"], _l("Handlungsfeld (mehrfach: eines davon)"))


class ChallengeArgs(OfferArgs):
    state = fields.String(validate=_one_of([state.value for state in ChallengeState]),
                          metadata={"description": _l("offen (open) oder abgeschlossen (closed)")})


class ReferenceSchema(Schema):
    title = fields.String(attribute="practice.title")
    organisation = fields.String(attribute="practice.organisation.name")
    html_url = fields.Function(lambda r: public_url(r.practice.url))


class RecommendationSchema(Schema):
    organisation = fields.String(attribute="organisation.name")
    note = fields.String()
    created_at = fields.DateTime()


class OfferSchema(Schema):
    id = fields.Integer()
    provider_content = fields.Constant(True, metadata={
        "description": _l("Immer wahr: ein Angebot eines Lösungsanbieters, keine Erfahrung einer Kommune")})
    title = fields.String()
    teaser = fields.String()
    html = fields.String(attribute="description_html")
    provider = fields.Nested(OrganisationSchema, attribute="organisation")
    topics = fields.List(fields.Nested(TopicSchema))
    price_model = fields.String(attribute="price_model.value")
    price_note = fields.String()
    regions = fields.List(fields.String(), metadata={"description": _l("Länder; leer: ganz Deutschland")})
    references = fields.List(fields.Nested(ReferenceSchema), attribute="confirmed_references",
                             metadata={"description": _l("Nur von der Kommune bestätigte Referenzen")})
    recommendations = fields.List(fields.Nested(RecommendationSchema))
    created_at = fields.DateTime()
    updated_at = fields.DateTime(allow_none=True, metadata={"description": _l("Zuletzt geändert; null: nie")})
    html_url = fields.Function(lambda o: public_url(o.url))


class OfferListSchema(Schema):
    items = fields.List(fields.Nested(OfferSchema))
    pagination = fields.Nested(PaginationSchema)


class ChallengeSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    html = fields.String(attribute="description_html")
    organisation = fields.Nested(OrganisationSchema)
    topics = fields.List(fields.Nested(TopicSchema))
    deadline = fields.Date()
    state = fields.String(attribute="state.value", metadata={"enum": ["open", "closed"]})
    answers = fields.Function(lambda c: len(c.answers))
    outcome_html = fields.String(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime(allow_none=True, metadata={"description": _l("Zuletzt geändert; null: nie")})
    html_url = fields.Function(lambda c: public_url(c.url))


class ChallengeListSchema(Schema):
    items = fields.List(fields.Nested(ChallengeSchema))
    pagination = fields.Nested(PaginationSchema)


@bp.get("/offers")
def offers():
    """Providers' offers, newest first (withdrawn ones are gone)."""
    args = parse_args(OfferArgs())
    query = (sa.select(Offer).where(Offer.withdrawn_at.is_(None))
             .order_by(Offer.created_at.desc(), Offer.id.desc()))
    if args.get("topic"):
        query = query.where(Offer.id.in_(
            sa.select(OfferTopic.offer_id).where(OfferTopic.topic.in_(args["topic"]))))
    page = db.paginate(query, page=args["page"], per_page=args["per_page"], error_out=False)
    return jsonify(OfferListSchema().dump({"items": page.items, "pagination": pagination(page)}))


@bp.get("/challenges")
def challenges():
    """Municipalities' challenges, newest first."""
    args = parse_args(ChallengeArgs())
    query = sa.select(Challenge).order_by(Challenge.created_at.desc(), Challenge.id.desc())
    if args.get("topic"):
        query = query.where(Challenge.id.in_(
            sa.select(ChallengeTopic.challenge_id).where(ChallengeTopic.topic.in_(args["topic"]))))
    if args.get("state"):
        query = query.where(Challenge.state == ChallengeState(args["state"]))
    page = db.paginate(query, page=args["page"], per_page=args["per_page"], error_out=False)
    return jsonify(ChallengeListSchema().dump({"items": page.items, "pagination": pagination(page)}))


def add_paths(spec, json_response, errors) -> None:
    """Add the offer and challenge routes to the OpenAPI document."""
    spec.path(path=url_for("api.offers"), operations={"get": {
        "operationId": "listOffers",
        "summary": _("Angebote von Lösungsanbietern (Anbieterinhalte), neueste zuerst, ohne zurückgezogene"),
        "parameters": [{"in": "query", "schema": OfferArgs}],
        "responses": {"200": json_response(OfferListSchema, _("Eine Seite Angebote")), **errors(400)},
    }})
    spec.path(path=url_for("api.challenges"), operations={"get": {
        "operationId": "listChallenges",
        "summary": _("Gesuche von Kommunen, neueste zuerst"),
        "parameters": [{"in": "query", "schema": ChallengeArgs}],
        "responses": {"200": json_response(ChallengeListSchema, _("Eine Seite Gesuche")), **errors(400)},
    }})
