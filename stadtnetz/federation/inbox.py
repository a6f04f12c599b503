"""The inboxes: receive a signed activity, check it, store it, answer 202.

As in Takahē, the view does no processing: it caps the body, parses it, verifies the HTTP
signature, checks that signer, actor and object origin agree and that the instance may talk
to us, then stores the activity and enqueues ``federation_inbox`` in the same transaction.
A repeated activity id is answered 202 and stored once. Refusals carry a German reason.
"""

from datetime import datetime, timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app, jsonify, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from .. import outbox
from ..database import UTCDateTime, utcnow
from ..extensions import csrf, db
from . import bp, instances
from .actors import KIND_OF_SEGMENT, load_actor
from .fetch import FetchError
from .remote_actors import RemoteActor, actor_for_key, find_remote_actor
from .signatures import SignatureError, signature_key_id, verify

MAX_BODY_BYTES = 1024 * 1024
QUEUE = "federation_inbox"
REFETCH_KEY_AFTER = timedelta(minutes=1)
# Activities whose object must come from the actor's own server.
AUTHORED_TYPES = frozenset({"Create", "Update", "Delete"})


class InboxActivity(db.Model):
    """An activity as received and verified; the ``federation_inbox`` worker processes it."""

    __tablename__ = "federation_inbox_activity"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[str] = mapped_column(sa.String(500), unique=True)
    actor_uri: Mapped[str] = mapped_column(sa.String(500), index=True)
    # The local actor whose own inbox received it; None for the shared inbox.
    recipient: Mapped[str | None] = mapped_column(sa.String(500))
    json: Mapped[dict] = mapped_column(sa.JSON)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(sa.Text)


class InboxRefused(Exception):
    """The activity is not accepted; ``status`` and a German ``message`` say why."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def _is_url(value) -> bool:
    is_http = isinstance(value, str) and value.startswith(("https://", "http://"))
    return is_http and bool(instances.host_of(value))


def _id_of(value) -> str | None:
    if isinstance(value, dict):
        value = value.get("id")
    return value if _is_url(value) else None


def parse_activity(body: bytes) -> dict:
    """The activity in ``body``; InboxRefused(400) unless it is a JSON-LD activity we can read."""
    try:
        activity = current_app.json.loads(body)
    except (ValueError, RecursionError) as error:  # RecursionError: absurdly deep nesting
        raise InboxRefused(400, _l("Der Inhalt ist kein gültiges JSON.")) from error
    if not isinstance(activity, dict):
        raise InboxRefused(400, _l("Der Inhalt ist kein JSON-Objekt."))
    if not isinstance(activity.get("@context"), str | list | dict):
        raise InboxRefused(400, _l("Die Aktivität hat keinen gültigen JSON-LD-@context."))
    if not _is_url(activity.get("id")) or not isinstance(activity.get("type"), str) or not activity["type"]:
        raise InboxRefused(400, _l("Die Aktivität braucht eine id (URL) und einen type."))
    if _id_of(activity.get("actor")) is None:
        raise InboxRefused(400, _l("Die Aktivität nennt keinen gültigen actor."))
    return activity


def _check_origin(activity: dict, actor_uri: str) -> None:
    """Activity id and authored objects must come from the actor's own server."""
    host = instances.host_of(actor_uri)
    if instances.host_of(activity["id"]) != host:
        raise InboxRefused(403, _l("Die Aktivität stammt nicht vom Server ihres Akteurs."))
    obj = activity.get("object")
    if activity["type"] in AUTHORED_TYPES:
        object_id = _id_of(obj)
        if object_id is None:
            raise InboxRefused(400, _l("Die Aktivität nennt kein gültiges Objekt."))
        if instances.host_of(object_id) != host:
            raise InboxRefused(403, _l("Das Objekt stammt nicht vom Server des Akteurs."))
        authors = obj.get("attributedTo") if isinstance(obj, dict) else None
        authors = authors if isinstance(authors, list) else [authors] if authors else []
        if any(instances.host_of(_id_of(author) or "") != host for author in authors):
            raise InboxRefused(403, _l("Das Objekt ist einem fremden Server zugeschrieben."))
    undone_actor = _id_of(obj.get("actor")) if isinstance(obj, dict) else None
    if activity["type"] == "Undo" and undone_actor not in (None, actor_uri):
        raise InboxRefused(403, _l("Nur der eigene Akteur kann eine Aktivität zurücknehmen."))


def _verified_signer(path: str, headers, body: bytes) -> RemoteActor:
    """Verify the signature; the remote actor whose key signed. Refetches a rotated key once."""
    key_id = signature_key_id(headers)
    if not key_id:
        raise InboxRefused(401, _l("Die Anfrage ist nicht signiert."))
    if not instances.may_receive_from(instances.host_of(key_id)):
        raise InboxRefused(403, _l("Mit diesem Server ist keine Föderation erlaubt."))
    found: dict[str, RemoteActor] = {}

    def resolve(wanted: str, refresh: bool = False) -> str | None:
        try:
            found["actor"] = actor_for_key(wanted, refresh=refresh)
        except FetchError:
            return None
        return found["actor"].public_key_pem

    scheme = urlsplit(current_app.config["BASE_URL"]).scheme
    try:
        verify("POST", path, headers, body, resolve, scheme=scheme)
    except SignatureError as error:
        stale = found.get("actor")
        if error.status != 401 or stale is None or utcnow() - stale.fetched_at < REFETCH_KEY_AFTER:
            raise InboxRefused(error.status, error.message) from error
        try:
            verify("POST", path, headers, body, lambda wanted: resolve(wanted, refresh=True), scheme=scheme)
        except SignatureError as retry_error:
            raise InboxRefused(retry_error.status, retry_error.message) from retry_error
    return found["actor"]


def receive(path: str, headers, body: bytes, recipient: str | None) -> InboxActivity | None:
    """Check and store one activity POSTed to ``path`` (with its query); None if it needs no
    storing (a repeat, or the deletion of an account we never knew)."""
    activity = parse_activity(body)
    actor_uri = _id_of(activity["actor"])
    if not instances.may_receive_from(instances.host_of(actor_uri)):
        raise InboxRefused(403, _l("Mit diesem Server ist keine Föderation erlaubt."))
    deletes_itself = activity["type"] == "Delete" and _id_of(activity.get("object")) == actor_uri
    if deletes_itself and find_remote_actor(actor_uri) is None:
        return None  # an account we never knew is gone: nothing to verify against, nothing to do
    signer = _verified_signer(path, headers, body)
    if signer.uri != actor_uri:
        raise InboxRefused(403, _l("Signierender Schlüssel und Akteur der Aktivität stimmen nicht überein."))
    _check_origin(activity, actor_uri)
    exists = sa.select(InboxActivity.id).where(InboxActivity.activity_id == activity["id"])
    if db.session.scalar(exists) is not None:
        return None
    row = InboxActivity(activity_id=activity["id"], actor_uri=actor_uri, recipient=recipient, json=activity)
    db.session.add(row)
    db.session.flush()
    outbox.enqueue(QUEUE, {"id": row.id})
    return row


def _read_body() -> bytes:
    if (request.content_length or 0) > MAX_BODY_BYTES:
        raise InboxRefused(413, _l("Die Aktivität ist größer als 1 MiB."))
    body = request.stream.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        raise InboxRefused(413, _l("Die Aktivität ist größer als 1 MiB."))
    return body


@bp.post("/ap/inbox", defaults={"kind": None, "ident": None})
@bp.post("/ap/instance/inbox", defaults={"kind": "instance", "ident": ""})
@bp.post("/ap/<any(organisations, users, groups):kind>/<ident>/inbox")
@csrf.exempt
def inbox(kind: str | None, ident: str | None):
    """Receive an activity: verify, store, 202. Processing happens in the worker."""
    recipient = None
    if kind is not None:
        actor = load_actor(KIND_OF_SEGMENT.get(kind, kind), ident)
        if actor is None:
            return jsonify(error=str(_l("Diesen Akteur gibt es hier nicht."))), 404
        recipient = actor.uri
    try:
        path = request.full_path if request.query_string else request.path
        receive(path, request.headers, _read_body(), recipient)
        db.session.commit()
    except InboxRefused as refused:
        db.session.rollback()
        return jsonify(error=str(refused.message)), refused.status
    except IntegrityError:
        db.session.rollback()  # the same activity arrived twice at once: the other one stored it
    return "", 202
