"""The ActivityPub documents we serve: actors, their collections, objects and activities.

Every answer is ``application/activity+json``. Actor URLs asked for by a browser (Accept
prefers HTML) redirect to the actor's page. Objects follow the rules of delivery: only what
is public leaves (published practices, threads and visible posts of public groups, public
webtalks); drafts and members-only content answer 404, withdrawn or deleted content 410 with
a Tombstone. With ``FEDERATION=off`` none of this exists (404).
"""

from flask import abort, current_app, redirect, request

from ..extensions import db
from ..forum.models import Post, Thread
from ..practices.models import Practice
from ..practices.topics import PracticeState
from ..webtalks.models import Webtalk
from . import bp, instances, objects
from .activities import SentActivity
from .actors import KIND_OF_SEGMENT, PUBLIC, LocalActor, actor_document, load_actor
from .follows import Follower, local_key

AP_MIMETYPE = "application/activity+json"
# What an outbox lists: the actor's own posts and what a group relayed (never Follow, Accept…).
OUTBOX_TYPES = ("Create", "Announce")
OUTBOX_ITEMS = 20


@bp.before_request
def federation_enabled():
    """With federation off, no ActivityPub endpoint exists."""
    if instances.mode() is instances.FederationMode.OFF and (
        request.path.startswith(("/ap/", "/.well-known/", "/nodeinfo/"))
    ):
        abort(404)


def activity_json(document: dict, status: int = 200):
    response = current_app.response_class(current_app.json.dumps(document), status=status,
                                          mimetype=AP_MIMETYPE)
    response.headers["Vary"] = "Accept"
    return response


def _actor_or_404(kind: str, ident: str = "") -> LocalActor:
    actor = load_actor(KIND_OF_SEGMENT.get(kind, kind), ident)
    if actor is None:
        abort(404)
    return actor


def _wants_html() -> bool:
    best = request.accept_mimetypes.best_match([AP_MIMETYPE, "application/ld+json", "text/html"])
    return best == "text/html"


@bp.get("/ap/instance", defaults={"kind": "instance", "ident": ""})
@bp.get("/ap/<any(organisations, users, groups):kind>/<ident>")
def actor(kind: str, ident: str):
    """An actor document (or, for a browser, the actor's page)."""
    local = _actor_or_404(kind, ident)
    if _wants_html():
        return redirect(local.url, 303)
    return activity_json(actor_document(local))


def _collection(uri: str, total: int | None = None) -> dict:
    document = {"@context": objects.CONTEXT, "id": uri, "type": "OrderedCollection"}
    if total is not None:
        document["totalItems"] = total
    return document


def _is_public(activity: dict) -> bool:
    addressed = [activity.get("to"), activity.get("cc")]
    return PUBLIC in {item for value in addressed for item in (value if isinstance(value, list) else [value])}


@bp.get("/ap/instance/outbox", defaults={"kind": "instance", "ident": ""})
@bp.get("/ap/<any(organisations, users, groups):kind>/<ident>/outbox")
def actor_outbox(kind: str, ident: str):
    """The outbox: what the actor published or relayed, the newest ``OUTBOX_ITEMS`` of it inline."""
    local = _actor_or_404(kind, ident)
    posts = db.select(SentActivity).where(SentActivity.actor_uri == local.uri,
                                          SentActivity.type.in_(OUTBOX_TYPES))
    total = db.session.scalar(db.select(db.func.count()).select_from(posts.subquery()))
    newest = db.session.scalars(posts.order_by(SentActivity.created_at.desc()).limit(OUTBOX_ITEMS))
    items = [row.json for row in newest if _is_public(row.json)]
    return activity_json(_collection(local.outbox, total) | {"orderedItems": items})


@bp.get("/ap/instance/followers", defaults={"kind": "instance", "ident": ""})
@bp.get("/ap/<any(organisations, users, groups):kind>/<ident>/followers")
def actor_followers(kind: str, ident: str):
    """The followers collection: its size only (who follows whom is not published)."""
    local = _actor_or_404(kind, ident)
    local_kind, local_id = local_key(local)
    total = db.session.scalar(
        db.select(db.func.count(Follower.id)).where(Follower.local_kind == local_kind,
                                                    Follower.local_id == local_id)
    )
    return activity_json(_collection(local.followers, total))


@bp.get("/ap/practices/<int:object_id>")
def practice(object_id: int):
    found = db.session.get(Practice, object_id)
    uri = objects.object_uri("practices", object_id)
    if found is None or found.state == PracticeState.DRAFT:
        abort(404)
    if found.state == PracticeState.ARCHIVED:
        return activity_json(objects.tombstone(uri, "Article", found.archived_at), 410)
    return activity_json(objects.practice_article(found))


@bp.get("/ap/threads/<int:object_id>")
def thread(object_id: int):
    found = db.session.get(Thread, object_id)
    if found is None or not found.group.is_public:
        abort(404)
    return activity_json(objects.thread_page(found))


@bp.get("/ap/posts/<int:object_id>")
def post(object_id: int):
    found = db.session.get(Post, object_id)
    if found is None or not found.thread.group.is_public or found.is_hidden:
        abort(404)
    if found.is_deleted:
        return activity_json(objects.tombstone(objects.object_uri("posts", object_id), "Note",
                                               found.deleted_at), 410)
    return activity_json(objects.post_note(found))


@bp.get("/ap/webtalks/<int:object_id>")
def webtalk(object_id: int):
    found = db.session.get(Webtalk, object_id)
    if found is None or not found.is_public or not found.group.is_public:
        abort(404)
    return activity_json(objects.webtalk_event(found))


@bp.get("/ap/activities/<activity_id>")
def activity(activity_id: str):
    """A public activity we sent; activities addressed to someone in particular stay private."""
    found = db.session.get(SentActivity, activity_id)
    if found is None or not _is_public(found.json):
        abort(404)
    return activity_json(found.json)
