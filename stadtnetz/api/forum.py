"""The forum in the API: working groups, a group's threads and a thread's posts, read-only,
with the forum's visibility rules (a members-only group's threads answer 404 to outsiders).

Routes, their schemas and their part of the OpenAPI document live together here; the forum
module knows nothing of the API.
"""

from flask import jsonify, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from marshmallow import Schema, fields, pre_dump, validate
from sqlalchemy.orm import undefer

from ..accounts.permissions import may_read_group
from ..errors import NotFound
from ..extensions import db
from ..forum import posting
from ..forum.groups import all_groups
from ..forum.models import Thread, WorkingGroup
from . import bp
from .routes import pagination, parse_args
from .schemas import MAX_PER_PAGE, ArgsSchema, PaginationSchema, id_parameter, public_url


class PageArgs(ArgsSchema):
    """Which page of a list."""

    page = fields.Integer(
        load_default=1,
        validate=validate.Range(min=1, error=_l("Mindestens {min}.")),
        error_messages={"invalid": _l("Keine ganze Zahl.")},
    )
    per_page = fields.Integer(
        load_default=posting.PER_PAGE,
        validate=validate.Range(min=1, max=MAX_PER_PAGE, error=_l("Von {min} bis {max}.")),
        error_messages={"invalid": _l("Keine ganze Zahl.")},
    )


class GroupSchema(Schema):
    id = fields.Integer()
    slug = fields.String()
    name = fields.String()
    description = fields.String()
    visibility = fields.String(metadata={"enum": ["public", "members"]})
    readable = fields.Function(
        lambda g: may_read_group(current_user, g),
        metadata={"description": _l("Ob Sie die Themen dieser Gruppe lesen dürfen")},
    )
    threads_url = fields.Function(lambda g: public_url(url_for("api.group_threads", group_id=g.id)))
    html_url = fields.Function(lambda g: public_url(url_for("forum.group", slug=g.slug)))


class GroupListSchema(Schema):
    items = fields.List(fields.Nested(GroupSchema))


class PersonSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class _WithAuthor:
    """A thread or post whose ``author`` is its ``author_id`` and ``author_name`` (read in
    the same query as the rows): a page needs no user objects."""

    def __init__(self, entry):
        self._entry = entry

    def __getattr__(self, name: str):
        return getattr(self._entry, name)

    @property
    def author(self) -> dict | None:
        entry = self._entry
        return {"id": entry.author_id, "name": entry.author_name} if entry.author_id else None


class AuthoredSchema(Schema):
    author = fields.Nested(PersonSchema, allow_none=True)

    @pre_dump
    def _author_by_name(self, entry, **_kw):
        return entry if isinstance(entry, dict) else _WithAuthor(entry)


class ThreadSummarySchema(AuthoredSchema):
    id = fields.Integer()
    title = fields.String()
    created_at = fields.DateTime()
    last_post_at = fields.DateTime()
    post_count = fields.Integer()
    pinned = fields.Boolean()
    locked = fields.Boolean()
    url = fields.Function(lambda t: public_url(url_for("api.thread", thread_id=t.id)))
    html_url = fields.Function(lambda t: public_url(url_for("forum.thread", thread_id=t.id)))


class ThreadListSchema(Schema):
    group = fields.Nested(GroupSchema)
    items = fields.List(fields.Nested(ThreadSummarySchema))
    pagination = fields.Nested(PaginationSchema)


class PostSchema(AuthoredSchema):
    id = fields.Integer()
    provider = fields.Boolean(
        attribute="by_provider", metadata={"description": _l("Von einem Lösungsanbieter geschrieben")}
    )
    created_at = fields.DateTime()
    edited_at = fields.DateTime(allow_none=True)
    state = fields.Function(
        lambda p: "deleted" if p.is_deleted else "hidden" if p.is_hidden else "visible",
        metadata={"enum": ["visible", "hidden", "deleted"]},
    )
    html = fields.Function(
        lambda p: p.html if p.is_visible else None,
        allow_none=True,
        metadata={"description": _l("Der Text als HTML; leer, wenn ausgeblendet oder gelöscht")},
    )
    html_url = fields.Function(lambda p: public_url(posting.post_path(p)))


class LinkedPracticeSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    html_url = fields.Function(lambda p: public_url(p.url))


class ThreadSchema(ThreadSummarySchema):
    group = fields.Nested(GroupSchema)
    practices = fields.Function(
        lambda t: LinkedPracticeSchema(many=True).dump([p for p in t.practices if p.is_public]),
        metadata={"description": _l("Die Praxisbeispiele, die das Thema verknüpft")},
    )
    posts = fields.List(fields.Nested(PostSchema))
    pagination = fields.Nested(PaginationSchema)


def _readable_group(group_id: int) -> WorkingGroup:
    group = db.session.get(WorkingGroup, group_id)
    if group is None or not may_read_group(current_user, group):
        raise NotFound()
    return group


@bp.get("/groups")
def groups():
    """Every working group (members-only ones without their threads)."""
    return jsonify(GroupListSchema().dump({"items": all_groups()}))


@bp.get("/groups/<int:group_id>/threads")
def group_threads(group_id: int):
    """A page of a group's threads, pinned first, then by latest activity."""
    group = _readable_group(group_id)
    args = parse_args(PageArgs())
    page = posting.thread_list(group, args["page"], args["per_page"])
    return jsonify(
        ThreadListSchema().dump({"group": group, "items": page.items, "pagination": pagination(page)})
    )


@bp.get("/threads/<int:thread_id>")
def thread(thread_id: int):
    """A thread with one page of its posts (hidden and deleted ones without their text)."""
    found = db.session.get(Thread, thread_id, options=[undefer(Thread.author_name)])
    if found is None:
        raise NotFound()
    _readable_group(found.group_id)
    args = parse_args(PageArgs())
    page = posting.thread_posts(found, args["page"], args["per_page"])
    data = ThreadSchema().dump(found)
    data.update(
        ThreadSchema(only=("posts", "pagination")).dump(
            {"posts": page.items, "pagination": pagination(page)}
        )
    )
    return jsonify(data)


def _page_parameters() -> list[dict]:
    return [{"in": "query", "schema": PageArgs}]


def add_paths(spec, json_response, errors) -> None:
    """Add the forum routes to the OpenAPI document (``json_response``/``errors`` from openapi.py)."""
    spec.path(
        path=url_for("api.groups"),
        operations={
            "get": {
                "operationId": "listGroups",
                "summary": _("Alle Arbeitsgruppen"),
                "responses": {"200": json_response(GroupListSchema, _("Die Arbeitsgruppen"))},
            }
        },
    )
    spec.path(
        path=url_for("api.group_threads", group_id=0).replace("/0/", "/{group_id}/"),
        operations={
            "get": {
                "operationId": "listGroupThreads",
                "summary": _("Die Themen einer Arbeitsgruppe, seitenweise"),
                "parameters": [id_parameter("group_id"), *_page_parameters()],
                "responses": {
                    "200": json_response(ThreadListSchema, _("Eine Seite Themen")),
                    **errors(400, 404),
                },
            }
        },
    )
    spec.path(
        path=url_for("api.thread", thread_id=0).replace("/0", "/{thread_id}"),
        operations={
            "get": {
                "operationId": "getThread",
                "summary": _("Ein Thema mit einer Seite seiner Beiträge"),
                "parameters": [id_parameter("thread_id"), *_page_parameters()],
                "responses": {"200": json_response(ThreadSchema, _("Das Thema")), **errors(400, 404)},
            }
        },
    )
