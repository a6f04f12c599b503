"""The API's routes: read-only JSON over published practices and the search index.

Each route parses its query parameters through a schema (a bad one answers 400 naming it),
asks the search module with the viewer's visibility, and dumps its answer through a schema.
"""

from urllib.parse import urlencode

from flask import jsonify, request, url_for
from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields

from .. import search
from ..errors import ERROR_TEXTS, Invalid
from ..extensions import db
from ..practices import queries
from ..practices.models import Practice
from ..practices.services import get_practice
from ..web import acting_user
from . import bp
from .schemas import (
    FILTERS,
    BrowseArgs,
    ErrorSchema,
    PracticeListSchema,
    PracticeSchema,
    SearchArgs,
    SearchResultSchema,
    public_url,
)

SEARCH_FACETS = ("kind", *FILTERS)


class BadParameters(Exception):
    """One or more query parameters are invalid: {parameter: [messages]}."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


@bp.errorhandler(BadParameters)
def bad_parameters(error: BadParameters):
    """400 with the first bad parameter named and every message listed."""
    parameter, messages = next(iter(error.errors.items()))
    return jsonify(ErrorSchema().dump({
        "error": ERROR_TEXTS[400][0], "detail": f"{parameter}: {messages[0]}", "parameter": parameter,
        "errors": error.errors,
    })), 400


@bp.errorhandler(Invalid)
def invalid(error: Invalid):
    """A service refused the input (e.g. the search module): a 400 like a bad parameter."""
    return bad_parameters(BadParameters({error.field or "q": [str(error.message)]}))


def _messages(value) -> list[str]:
    """marshmallow's messages for one parameter, flattened (lists report per item)."""
    if isinstance(value, dict):
        return [m for item in value.values() for m in _messages(item)]
    if isinstance(value, list):
        return [m for item in value for m in _messages(item)]
    return [str(value)]


def parse_args(schema: Schema) -> dict:
    """The request's query parameters loaded through ``schema``; empty ones count as absent."""
    raw, repeated = {}, {}
    for name in request.args:
        values = [v for v in request.args.getlist(name) if v != ""]
        if not values:
            continue
        if isinstance(schema.fields.get(name), fields.List):
            raw[name] = values
        else:
            raw[name] = values[0]
            if len(values) > 1:
                repeated[name] = [_("Nur einmal erlaubt.")]
    try:
        loaded = schema.load(raw)
    except ValidationError as error:
        raise BadParameters({**repeated, **{k: _messages(v) for k, v in error.messages.items()}}) from None
    if repeated:
        raise BadParameters(repeated)
    return loaded


def _search(args: dict, kinds: list[str] | None, facets: tuple[str, ...]):
    """Ask the search module, as the viewer, with the filters given."""
    return search.search(
        q=args["q"],
        kinds=kinds,
        filters={name: args[name] for name in FILTERS if args.get(name)},
        user=acting_user(),
        sort=args.get("sort") or ("relevance" if args["q"].strip() else "newest"),
        page=args["page"],
        per_page=args["per_page"],
        facets=facets,
    )


def pagination(results) -> dict:
    """Page figures and links that keep every other parameter as given."""

    def link(page: int) -> str:
        params = [(k, v) for k, v in request.args.items(multi=True) if k != "page"] + [("page", page)]
        return public_url(url_for(request.endpoint, **request.view_args) + "?" + urlencode(params))

    last = results.pages
    return {
        "page": results.page, "per_page": results.per_page, "total": results.total, "pages": results.pages,
        "links": {
            "self": link(results.page), "first": link(1), "last": link(last),
            "prev": link(results.page - 1) if results.page > 1 else None,
            "next": link(results.page + 1) if results.page < last else None,
        },
    }


@bp.get("/practices")
def practices():
    """Published practices, filtered and sorted as on the browse page, one page at a time."""
    results = _search(parse_args(BrowseArgs()), kinds=["practice"], facets=())
    ids = [hit.id for hit in results.hits]
    # The index is a cache: the database decides what is published right now.
    found = {p.id: p for p in db.session.scalars(queries.published().where(Practice.id.in_(ids)))}
    items = [found[i] for i in ids if i in found]
    return jsonify(PracticeListSchema().dump({"items": items, "pagination": pagination(results)}))


@bp.get("/practices/<int:practice_id>")
def practice(practice_id: int):
    """One practice, if the viewer may read it (drafts only their writers)."""
    return jsonify(PracticeSchema().dump(get_practice(practice_id, acting_user())))


@bp.get("/search")
def search_all():
    """Search every kind of content the viewer may see: hits with highlights, facets, pages."""
    args = parse_args(SearchArgs())
    results = _search(args, kinds=args.get("kinds"), facets=SEARCH_FACETS)
    return jsonify(SearchResultSchema().dump({
        "q": args["q"], "corrected": results.corrected, "hits": results.hits, "facets": results.facets,
        "pagination": pagination(results),
    }))


