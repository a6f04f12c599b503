"""Our users following organisations, groups and people of other instances: the handle is
resolved through WebFinger, the Follow is sent, and the remote Accept (``processing``) makes the
follow effective. The follow tables themselves are in ``follows``."""

import re
from urllib.parse import urlencode

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from ..accounts.models import User
from ..accounts.permissions import require
from ..errors import Invalid, NotFound
from ..extensions import db
from . import activities, delivery
from .actors import local_actor_for
from .fetch import FetchError, fetch_json
from .follows import Following
from .remote_actors import remote_actor

_HANDLE = re.compile(r"^@?([A-Za-z0-9_.~!-]+)@([A-Za-z0-9.-]+(?::\d{1,5})?)$")
_LOOPBACK = ("127.", "localhost")


def resolve_handle(handle: str) -> str:
    """The actor id of ``@name@host`` (through WebFinger) or of an actor URL as given."""
    handle = (handle or "").strip()
    if handle.startswith(("https://", "http://")):
        return handle
    match = _HANDLE.match(handle)
    if match is None:
        raise Invalid(_l("Bitte geben Sie eine Adresse wie @stadt@beispiel.de oder die Adresse "
                         "eines Profils (https://…) an."), "handle")
    name, host = match.groups()
    # Plain http only where the test setting lets us reach loopback servers at all.
    loopback = current_app.config.get("FEDERATION_ALLOW_LOOPBACK") and host.startswith(_LOOPBACK)
    url = f"{'http' if loopback else 'https'}://{host}/.well-known/webfinger?" + urlencode(
        {"resource": f"acct:{name}@{host}"})
    try:
        document = fetch_json(url)
    except FetchError as error:
        raise NotFound(_l("Unter dieser Adresse wurde kein Profil gefunden.")) from error
    for link in document.get("links") or []:
        if (isinstance(link, dict) and link.get("rel") == "self" and isinstance(link.get("href"), str)
                and link.get("type", "").startswith(("application/activity+json", "application/ld+json"))):
            return link["href"]
    raise NotFound(_l("Unter dieser Adresse wurde kein Profil gefunden."))


def follow_remote(user: User, handle_or_uri: str) -> Following:
    """Follow a remote organisation, group or person; pending until it accepts."""
    require(user, "federation.follow")
    uri = resolve_handle(handle_or_uri)
    try:
        remote = remote_actor(uri)
    except FetchError as error:
        raise NotFound(_l("Unter dieser Adresse wurde kein Profil gefunden.")) from error
    existing = db.session.scalar(sa.select(Following).filter_by(user_id=user.id, actor_uri=remote.uri))
    if existing is not None:
        raise Invalid(_l("Sie folgen diesem Profil bereits."), "handle")
    actor = local_actor_for(user)
    activity = activities.follow(actor, remote.uri)
    following = Following(user=user, actor_uri=remote.uri, follow_id=activity["id"])
    db.session.add(following)
    delivery.send(activity, actor, remote.inbox)
    db.session.flush()
    return following


def unfollow_remote(user: User, following: Following) -> None:
    """End a follow (tell the remote side with Undo)."""
    if following.user_id != user.id:
        raise NotFound(_l("Diesem Profil folgen Sie nicht."))
    actor = local_actor_for(user)
    follow = {"id": following.follow_id, "type": "Follow", "actor": actor.uri, "object": following.actor_uri}
    if following.remote is not None:
        delivery.send(activities.undo(actor, follow), actor, following.remote.inbox)
    db.session.delete(following)
    db.session.flush()


def followings_of(user: User) -> list[Following]:
    return list(db.session.scalars(
        sa.select(Following).where(Following.user_id == user.id).order_by(Following.created_at.desc())
    ))
