"""The local ActivityPub actors and their documents.

Every organisation is an ``Organization``, every user a ``Person``, every public working group
a ``Group`` (FEP-1b12, as Lemmy reads it) and the instance itself an ``Application`` that signs
our outgoing fetches. Ids are built from ``BASE_URL``, never from the request's host:

    {BASE}/ap/instance · {BASE}/ap/organisations/<slug> · {BASE}/ap/users/<id> · {BASE}/ap/groups/<slug>

Each actor ``X`` has ``X/inbox``, ``X/outbox``, ``X/followers``, the key ``X#main-key`` and the
shared inbox ``{BASE}/ap/inbox``. Preferred usernames (the WebFinger names) are the slug for
organisations and groups, ``u.<id>`` for users and ``instance.actor`` for the instance; slugs
never contain a dot, so the names cannot clash (see ``discovery.py`` for the lookup order).
"""

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import current_app

from ..accounts.models import Organisation, User
from ..content import render_markdown
from ..extensions import db
from ..forum.models import WorkingGroup
from ..mail import absolute_url
from . import keys

AS_CONTEXT = "https://www.w3.org/ns/activitystreams"
SECURITY_CONTEXT = "https://w3id.org/security/v1"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
ACTOR_CONTEXT = [
    AS_CONTEXT,
    SECURITY_CONTEXT,
    {
        "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
        "toot": "http://joinmastodon.org/ns#",
        "discoverable": "toot:discoverable",
        "lemmy": "https://join-lemmy.org/ns#",
        "postingRestrictedToMods": "lemmy:postingRestrictedToMods",
    },
]
INSTANCE_USERNAME = "instance.actor"
USER_PREFIX = "u."
KINDS = {"instance": "Application", "organisation": "Organization", "user": "Person", "group": "Group"}
_PATHS = {"organisation": "organisations", "user": "users", "group": "groups"}
#: The URL segment of an actor path (``/ap/<segment>/<id or slug>``) → the actor kind.
KIND_OF_SEGMENT = {segment: kind for kind, segment in _PATHS.items()}


def base_url() -> str:
    return current_app.config["BASE_URL"]


@dataclass(frozen=True)
class LocalActor:
    """One of our actors: ``kind`` in ``KINDS`` and the model object (None for the instance)."""

    kind: str
    obj: Any = None

    @property
    def ref(self) -> int:
        """The key's owner id: the object's primary key, 0 for the instance."""
        return self.obj.id if self.obj is not None else 0

    @property
    def type(self) -> str:
        return KINDS[self.kind]

    @property
    def uri(self) -> str:
        if self.kind == "instance":
            return f"{base_url()}/ap/instance"
        segment = self.obj.id if self.kind == "user" else self.obj.slug
        return f"{base_url()}/ap/{_PATHS[self.kind]}/{segment}"

    @property
    def inbox(self) -> str:
        return f"{self.uri}/inbox"

    @property
    def outbox(self) -> str:
        return f"{self.uri}/outbox"

    @property
    def followers(self) -> str:
        return f"{self.uri}/followers"

    @property
    def shared_inbox(self) -> str:
        return f"{base_url()}/ap/inbox"

    @property
    def key_id(self) -> str:
        return f"{self.uri}#main-key"

    @property
    def preferred_username(self) -> str:
        if self.kind == "instance":
            return INSTANCE_USERNAME
        if self.kind == "user":
            return f"{USER_PREFIX}{self.obj.id}"
        return self.obj.slug

    @property
    def name(self) -> str:
        return self.obj.name if self.obj is not None else "Stadtnetz"

    @property
    def url(self) -> str:
        """The HTML page of the actor."""
        if self.kind == "organisation":
            return absolute_url("accounts.organisation", slug=self.obj.slug)
        if self.kind == "user":
            return absolute_url("accounts.profile", user_id=self.obj.id)
        if self.kind == "group":
            return absolute_url("forum.group", slug=self.obj.slug)
        return base_url() + "/"


def local_actor_for(obj=None) -> LocalActor:
    """The actor of an organisation, user or working group; the instance actor for None."""
    if obj is None:
        return LocalActor("instance")
    if isinstance(obj, Organisation):
        return LocalActor("organisation", obj)
    if isinstance(obj, User):
        return LocalActor("user", obj)
    if isinstance(obj, WorkingGroup):
        return LocalActor("group", obj)
    raise TypeError(f"no actor for {type(obj).__name__}")


def load_actor(kind: str, ident: str) -> LocalActor | None:
    """The actor named by a URL segment (slug or id); None if there is none or it is private."""
    if kind == "instance":
        return LocalActor("instance")
    if kind == "organisation":
        obj = db.session.scalar(sa.select(Organisation).where(Organisation.slug == ident))
    elif kind == "user":
        obj = db.session.get(User, int(ident)) if ident.isdigit() else None
    elif kind == "group":
        obj = db.session.scalar(sa.select(WorkingGroup).where(WorkingGroup.slug == ident))
        # Members-only groups never federate.
        obj = obj if obj is not None and obj.is_public else None
    else:
        return None
    return LocalActor(kind, obj) if obj is not None else None


def local_actor_from_uri(uri: str) -> LocalActor | None:
    """Our actor with id ``uri`` (a ``#main-key`` fragment is allowed), or None."""
    prefix = f"{base_url()}/ap/"
    if not uri.startswith(prefix):
        return None
    path = uri[len(prefix):].split("#", 1)[0]
    if path == "instance":
        return LocalActor("instance")
    segment, _, ident = path.partition("/")
    kind = KIND_OF_SEGMENT.get(segment)
    if kind is None or not ident or "/" in ident:
        return None
    return load_actor(kind, ident)


def _summary(actor: LocalActor) -> str:
    if actor.kind in ("organisation", "group"):
        return render_markdown(actor.obj.description or "")
    if actor.kind == "user":
        parts = [actor.obj.job_title, actor.obj.bio]
        return render_markdown("\n\n".join(part for part in parts if part))
    return ""


def actor_document(actor: LocalActor) -> dict:
    """The actor's ActivityStreams document, with its public key."""
    document = {
        "@context": ACTOR_CONTEXT,
        "id": actor.uri,
        "type": actor.type,
        "preferredUsername": actor.preferred_username,
        "name": actor.name,
        "summary": _summary(actor),
        "url": actor.url,
        "inbox": actor.inbox,
        "outbox": actor.outbox,
        "followers": actor.followers,
        "endpoints": {"sharedInbox": actor.shared_inbox},
        "manuallyApprovesFollowers": False,
        "discoverable": actor.kind != "instance",
        "publicKey": {"id": actor.key_id, "owner": actor.uri, "publicKeyPem": keys.public_pem(actor)},
    }
    if actor.obj is not None and getattr(actor.obj, "created_at", None):
        document["published"] = actor.obj.created_at.isoformat().replace("+00:00", "Z")
    if actor.kind == "group":
        document["postingRestrictedToMods"] = False
    return document
