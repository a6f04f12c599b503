"""The API's shapes as marshmallow schemas: the query parameters each route accepts (validated
into Python values, errors in German naming the parameter) and the JSON each route answers.
The OpenAPI document is generated from these same schemas, so docs and behaviour cannot drift.
"""

from typing import ClassVar

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from ..directory.models import LAENDER, SizeClass
from ..practices.models import SECTIONS
from ..practices.topics import COST_RANGES, PracticeStatus, Topic
from ..search.engine import MAX_PER_PAGE, SORTS
from ..search.indexing import registry as search_registry

#: The browse page's filters: query parameter → allowed values (None: any text).
FILTERS = {
    "topic": [topic.slug for topic in Topic],
    "land": list(LAENDER),
    "size_class": [size.slug for size in SizeClass],
    "status": [status.value for status in PracticeStatus],
    "funding": None,
    "cost_range": [slug for slug, _label, _low, _high in COST_RANGES],
}


def _one_of(choices) -> validate.OneOf:
    return validate.OneOf(choices, error=_l("Erlaubt sind: {choices}."))


def _filter_field(choices, description) -> fields.List:
    item = fields.String(validate=_one_of(choices) if choices else validate.Length(max=200))
    return fields.List(item, metadata={"description": description})


class ArgsSchema(Schema):
    """Base of the query-parameter schemas: German messages, unknown parameters refused."""

    error_messages: ClassVar[dict] = {"unknown": _l("Unbekannter Parameter.")}


class BrowseArgs(ArgsSchema):
    """Words, filters, order and page, as on the browse page."""

    q = fields.String(load_default="",
                      validate=validate.Length(max=200, error=_l("Höchstens {max} Zeichen.")),
                      metadata={"description": _l("Suchbegriffe: Wörter, \"Phrasen\", -Ausschlüsse")})
    topic = _filter_field(FILTERS["topic"], _l("Handlungsfeld (mehrfach: eines davon)"))
    land = _filter_field(FILTERS["land"], _l("Land als zweistelliger Schlüssel"))
    size_class = _filter_field(FILTERS["size_class"], _l("Größenklasse der Kommune"))
    status = _filter_field(FILTERS["status"], _l("Stand des Projekts"))
    funding = _filter_field(FILTERS["funding"], _l("Förderprogramm"))
    cost_range = _filter_field(FILTERS["cost_range"], _l("Kostenrahmen"))
    sort = fields.String(validate=_one_of(list(SORTS)), metadata={
        "description": _l("Reihenfolge; ohne Suchbegriffe „newest“, sonst „relevance“")})
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, error=_l("Mindestens {min}.")),
                          error_messages={"invalid": _l("Keine ganze Zahl.")})
    per_page = fields.Integer(
        load_default=20, validate=validate.Range(min=1, max=MAX_PER_PAGE, error=_l("Von {min} bis {max}.")),
        error_messages={"invalid": _l("Keine ganze Zahl.")},
    )


class SearchArgs(BrowseArgs):
    """The browse parameters plus the content types to search (those registered when created)."""

    kinds = fields.List(fields.String(), metadata={"description": _l("Inhaltstypen (ohne: alle)")})

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fields["kinds"].inner.validators = [_one_of(sorted(search_registry))]


def id_parameter(name: str) -> dict:
    """The OpenAPI description of a numeric id in the path, e.g. ``/threads/{thread_id}``."""
    return {"in": "path", "name": name, "required": True, "schema": {"type": "integer", "minimum": 1}}


def public_url(path: str) -> str:
    """``path`` on the instance's public ``BASE_URL`` (behind a proxy the request's host differs)."""
    return current_app.config["BASE_URL"] + path


class TopicSchema(Schema):
    value = fields.String(attribute="slug")
    label = fields.String()


class StatusSchema(Schema):
    value = fields.String()
    label = fields.String()


class LinksSchema(Schema):
    self = fields.String()
    first = fields.String()
    prev = fields.String(allow_none=True)
    next = fields.String(allow_none=True)
    last = fields.String()


class PaginationSchema(Schema):
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()
    pages = fields.Integer()
    links = fields.Nested(LinksSchema)


class MunicipalitySchema(Schema):
    ags = fields.String()
    name = fields.String()
    land = fields.String(attribute="land_key")
    size_class = fields.Function(lambda m: m.size_class.slug if m.size_class else None, allow_none=True)


class OrganisationSchema(Schema):
    name = fields.String()
    slug = fields.String()


class PracticeSummarySchema(Schema):
    """A published practice as lists show it."""

    id = fields.Integer()
    title = fields.String()
    teaser = fields.String()
    url = fields.Function(lambda p: public_url(url_for("api.practice", practice_id=p.id)),
                          metadata={"description": _l("Dieses Praxisbeispiel in der API")})
    html_url = fields.Function(lambda p: public_url(p.url), metadata={"description": _l("Die Seite dazu")})
    topics = fields.List(fields.Nested(TopicSchema))
    tags = fields.List(fields.String())
    status = fields.Nested(StatusSchema)
    organisation = fields.Nested(OrganisationSchema)
    municipality = fields.Nested(MunicipalitySchema, allow_none=True)
    land = fields.String(attribute="land_key", allow_none=True)
    total_cost = fields.Integer(allow_none=True)
    cost_range = fields.String(allow_none=True)
    funding_programme = fields.String()
    published_at = fields.DateTime(allow_none=True)
    licence = fields.String()


class SectionSchema(Schema):
    key = fields.String()
    heading = fields.String()
    markdown = fields.String()
    html = fields.String()


class KeyFigureSchema(Schema):
    name = fields.String()
    before = fields.Decimal(as_string=True, allow_none=True)
    after = fields.Decimal(as_string=True, allow_none=True)
    unit = fields.String()
    measured_on = fields.Date(allow_none=True)


class PartnerSchema(Schema):
    name = fields.String()
    role = fields.String()


class FollowUpSchema(Schema):
    noted_on = fields.Date()
    html = fields.String(attribute="body_html")


class AdoptionSchema(Schema):
    organisation = fields.String(attribute="organisation.name")
    kind = fields.String()
    note = fields.String()
    created_at = fields.DateTime()


class PracticeSchema(PracticeSummarySchema):
    """Everything a practice's page shows, except the contact's mail and phone."""

    # Documented by hand: a list of SectionSchema items built from the model's columns.
    sections = fields.Method("get_sections",
                             metadata={"type": "array", "items": {"$ref": "#/components/schemas/Section"}})
    started_on = fields.Date(allow_none=True)
    ended_on = fields.Date(allow_none=True)
    funding_amount = fields.Integer(allow_none=True)
    own_share = fields.Integer(allow_none=True)
    contact_name = fields.String()
    contact_role = fields.String()
    key_figures = fields.List(fields.Nested(KeyFigureSchema))
    partners = fields.List(fields.Nested(PartnerSchema))
    follow_ups = fields.List(fields.Nested(FollowUpSchema))
    adoptions = fields.List(fields.Nested(AdoptionSchema))
    updated_at = fields.DateTime()

    def get_sections(self, practice) -> list[dict]:
        """The body's sections that have text, in reading order, as Markdown and HTML."""
        return [{"key": name, "heading": str(heading), "markdown": getattr(practice, name),
                 "html": getattr(practice, f"{name}_html")}
                for name, heading in SECTIONS if getattr(practice, name)]


class PracticeListSchema(Schema):
    items = fields.List(fields.Nested(PracticeSummarySchema))
    pagination = fields.Nested(PaginationSchema)


class HitSchema(Schema):
    kind = fields.String()
    id = fields.Integer()
    title = fields.String()
    # Local documents carry a path; remote (federated) ones a full URL.
    url = fields.Function(lambda hit: hit.url if "://" in hit.url else public_url(hit.url))
    teaser = fields.String()
    snippet = fields.String(metadata={"description": _l("HTML; Treffer in <mark>")})
    published = fields.DateTime(allow_none=True)
    municipality = fields.String(allow_none=True)
    organisation = fields.String(allow_none=True)
    score = fields.Float(allow_none=True)


class FacetValueSchema(Schema):
    value = fields.String()
    label = fields.String()
    count = fields.Integer()


class SearchResultSchema(Schema):
    q = fields.String()
    corrected = fields.String(allow_none=True,
                              metadata={"description": _l("Die Suche nach Tippfehlerkorrektur")})
    hits = fields.List(fields.Nested(HitSchema))
    facets = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(FacetValueSchema)))
    pagination = fields.Nested(PaginationSchema)


class ErrorSchema(Schema):
    error = fields.String()
    detail = fields.String()
    parameter = fields.String(allow_none=True, metadata={"description": _l("Der fehlerhafte Parameter")})
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))
