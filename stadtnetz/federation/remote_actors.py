"""Actors of other servers, fetched over HTTP and kept with their public key.

``remote_actor(uri)`` returns the stored actor or fetches it (signed GET, SSRF guard, only from
instances we may receive from). The document must name itself with the URI's host, and its
key must belong to it; the summary is sanitised with the allowlist of local content.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..content import sanitize_html
from ..database import UTCDateTime, utcnow
from ..extensions import db
from ..forum import versions
from . import instances
from .fetch import FetchError, fetch_json
from .remote_content import FederatedPost

ACTOR_TYPES = frozenset({"Person", "Organization", "Group", "Application", "Service"})
REFRESH_AFTER = timedelta(days=1)


class RemoteActor(db.Model):
    """A remote actor as last fetched."""

    __tablename__ = "federation_remote_actor"

    id: Mapped[int] = mapped_column(primary_key=True)
    uri: Mapped[str] = mapped_column(sa.String(500), unique=True)
    type: Mapped[str] = mapped_column(sa.String(40))
    preferred_username: Mapped[str] = mapped_column(sa.String(200), default="")
    name: Mapped[str] = mapped_column(sa.String(300), default="")
    summary_html: Mapped[str] = mapped_column(sa.Text, default="")
    url: Mapped[str] = mapped_column(sa.String(500), default="")
    inbox: Mapped[str] = mapped_column(sa.String(500))
    shared_inbox: Mapped[str | None] = mapped_column(sa.String(500))
    followers: Mapped[str | None] = mapped_column(sa.String(500))
    key_id: Mapped[str] = mapped_column(sa.String(500), index=True)
    public_key_pem: Mapped[str] = mapped_column(sa.Text)
    instance_host: Mapped[str] = mapped_column(sa.String(260), index=True)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def handle(self) -> str:
        """``@name@host`` as people write it."""
        return f"@{self.preferred_username}@{self.instance_host}"

    @property
    def delivery_inbox(self) -> str:
        return self.shared_inbox or self.inbox


def _text(document: dict, key: str, limit: int) -> str:
    value = document.get(key)
    return value[:limit] if isinstance(value, str) else ""


def _same_host_url(value, host: str) -> str | None:
    is_url = isinstance(value, str) and value.startswith(("https://", "http://"))
    return value if is_url and instances.host_of(value) == host else None


def _fields(uri: str, document: dict) -> dict:
    """Validate an actor document; the columns to store. FetchError if it is not one."""
    host = instances.host_of(uri)
    if document.get("id") != uri:
        raise FetchError(f"the document at {uri} names another id")
    if document.get("type") not in ACTOR_TYPES:
        raise FetchError(f"{uri} is not an actor")
    key = document.get("publicKey")
    key = key[0] if isinstance(key, list) and key else key
    if not isinstance(key, dict) or key.get("owner") != uri or not isinstance(key.get("publicKeyPem"), str):
        raise FetchError(f"{uri} has no public key of its own")
    inbox = _same_host_url(document.get("inbox"), host)
    if inbox is None or not _same_host_url(key.get("id"), host):
        raise FetchError(f"{uri} has no inbox or key on its own host")
    endpoints = document.get("endpoints") if isinstance(document.get("endpoints"), dict) else {}
    url = document.get("url")
    url = url if isinstance(url, str) and url.startswith(("https://", "http://")) else ""
    return {
        "type": document["type"],
        "preferred_username": _text(document, "preferredUsername", 200),
        "name": _text(document, "name", 300),
        "summary_html": sanitize_html(_text(document, "summary", 20_000)),
        "url": url[:500],
        "inbox": inbox[:500],
        "shared_inbox": (_same_host_url(endpoints.get("sharedInbox"), host) or None),
        "followers": _same_host_url(document.get("followers"), host),
        "key_id": key["id"][:500],
        "public_key_pem": key["publicKeyPem"],
        "instance_host": host,
    }


def find_remote_actor(uri: str) -> RemoteActor | None:
    return db.session.scalar(sa.select(RemoteActor).where(RemoteActor.uri == uri))


def store_actor_document(uri: str, document: dict) -> RemoteActor:
    """Store (or update) the actor ``uri`` from its fetched document."""
    fields = _fields(uri, document)
    actor = find_remote_actor(uri)
    if actor is None:
        actor = RemoteActor(uri=uri, **fields)
        db.session.add(actor)
    else:
        shown = _shown(actor)
        for column, value in fields.items():
            setattr(actor, column, value)
        if _shown(actor) != shown:  # cached thread pages show the old name and handle
            posts = sa.select(FederatedPost.post_id).where(FederatedPost.actor_uri == uri)
            versions.posts_shown_changed(db.session.connection(), posts)
    actor.fetched_at = utcnow()
    instances.instance_for(fields["instance_host"])
    db.session.flush()
    return actor


def _shown(actor: RemoteActor) -> tuple[str, str]:
    """What the forum shows of a remote author beside their posts."""
    return actor.name, actor.handle


def remote_actor(uri: str, refresh: bool = False) -> RemoteActor:
    """The actor ``uri``, fetched when unknown, stale or ``refresh`` is asked; FetchError if not."""
    actor = find_remote_actor(uri)
    if actor is not None and not refresh and utcnow() - actor.fetched_at < REFRESH_AFTER:
        return actor
    return store_actor_document(uri, fetch_json(uri))


def actor_for_key(key_id: str, refresh: bool = False) -> RemoteActor:
    """The actor owning ``key_id``: stored, or fetched (Mastodon's ``actor#main-key`` as well as
    keys served as their own document with an ``owner``). FetchError if it cannot be had."""
    if not refresh:
        actor = db.session.scalar(sa.select(RemoteActor).where(RemoteActor.key_id == key_id))
        if actor is not None:
            return actor
    url = key_id.split("#", 1)[0]
    document = fetch_json(url)
    if document.get("type") in ACTOR_TYPES:
        if _same_host_url(document.get("id"), instances.host_of(url)) is None:
            raise FetchError(f"the document at {url} names an actor of another host")
        actor = store_actor_document(document["id"], document)
    elif isinstance(document.get("owner"), str):
        actor = remote_actor(document["owner"], refresh=True)
    else:
        raise FetchError(f"{key_id} names neither an actor nor a key")
    if actor.key_id != key_id:
        raise FetchError(f"{key_id} is not the key of {actor.uri}")
    return actor
