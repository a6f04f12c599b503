"""The inbox processor: what each stored activity does here (the ``federation_inbox`` queue).

The inbox view has verified the signature and stored the activity; this worker gives it
effect, once: Follow/Accept/Reject/Undo change the follow tables, Create/Update/Delete and
Announce change the copies of remote content (``remote_content``), Flag reaches our
moderators. An activity that cannot take effect (unknown type, an object nobody here follows,
invalid fields) is marked processed with the reason; one that failed for a passing reason (the
origin did not answer) raises, so the outbox retries it.
"""

import logging
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from .. import outbox
from ..database import utcnow
from ..errors import Invalid
from ..extensions import db
from ..forum.models import Post
from . import activities, delivery, remote_objects
from .actors import local_actor_for, local_actor_from_uri
from .fetch import FetchError, fetch_json
from .follows import Follower, Following, FollowState, is_followed_here, local_key
from .inbox import InboxActivity
from .instances import host_of
from .remote_actors import remote_actor
from .remote_objects import link

log = logging.getLogger(__name__)
QUEUE = "federation_inbox"


class Ignored(Exception):
    """The activity takes no effect here; the message says why (kept on the inbox row)."""


def object_id(value: Any) -> str:
    """The id of an embedded object or a bare link."""
    if isinstance(value, dict):
        value = value.get("id")
    if not isinstance(value, str) or not value:
        raise Ignored("object without id")
    return value


@outbox.handler(QUEUE)
def process(payload: dict[str, Any]) -> None:
    """Give one stored activity its effect (at most once)."""
    row = db.session.get(InboxActivity, payload["id"])
    if row is None or row.processed_at is not None:
        return
    try:
        # A savepoint: an activity that takes no effect leaves nothing half done behind.
        with db.session.begin_nested():
            handle(row.json)
    except (Ignored, Invalid, remote_objects.Outdated) as reason:
        row.error = str(getattr(reason, "message", reason))[:2000]
        log.info("Inbox activity %s ignored: %s", row.activity_id, row.error)
    row.processed_at = utcnow()


def handle(activity: dict[str, Any], via: str | None = None) -> None:
    """Dispatch on the activity's type; ``via`` is the group that announced it."""
    kind = activity.get("type")
    func = HANDLERS.get(kind if isinstance(kind, str) else "")
    if func is None:
        raise Ignored(f"unsupported activity type {kind!r}")
    actor = object_id(activity.get("actor"))
    func(activity, actor, via)


def _follow(activity: dict, actor: str, _via) -> None:
    """Someone follows one of our actors (members-only groups are no actors): accepted at once."""
    target = local_actor_from_uri(object_id(activity.get("object")))
    if target is None:
        raise Ignored("Follow of an unknown local actor")
    kind, local_id = local_key(target)
    follower = db.session.scalar(sa.select(Follower).filter_by(
        local_kind=kind, local_id=local_id, actor_uri=actor))
    if follower is None:
        follower = Follower(local_kind=kind, local_id=local_id, actor_uri=actor)
        db.session.add(follower)
    follower.follow_id = object_id(activity)
    delivery.send(activities.accept(target, activity), target, remote_actor(actor).inbox)


def _answer_to_follow(activity: dict, actor: str, accepted: bool) -> None:
    follow = activity.get("object")
    follow_id = object_id(follow)
    following = db.session.scalar(sa.select(Following).filter_by(follow_id=follow_id, actor_uri=actor))
    if following is None:
        raise Ignored("answer to a Follow we did not send")
    if accepted:
        following.state, following.accepted_at = FollowState.ACCEPTED, utcnow()
    else:
        db.session.delete(following)


def _accept(activity: dict, actor: str, _via) -> None:
    _answer_to_follow(activity, actor, accepted=True)


def _reject(activity: dict, actor: str, _via) -> None:
    _answer_to_follow(activity, actor, accepted=False)


def _undo(activity: dict, actor: str, _via) -> None:
    """Undo of a Follow (by its id, or by what it followed) or of a Like."""
    undone = activity.get("object")
    undone_id = object_id(undone)
    kind = undone.get("type") if isinstance(undone, dict) else None
    if kind == "Like":
        remote_objects.unlike(undone_id, actor)
        return
    if kind not in (None, "Follow"):
        raise Ignored(f"Undo of {kind!r} is not supported")
    match = Follower.follow_id == undone_id
    target = local_actor_from_uri(link(undone.get("object")) or "") if kind else None
    if target is not None:
        local_kind, local_id = local_key(target)
        match = sa.or_(match, sa.and_(Follower.local_kind == local_kind, Follower.local_id == local_id))
    removed = db.session.execute(sa.delete(Follower).where(Follower.actor_uri == actor, match)).rowcount
    if not removed and kind is None:
        # A bare id may name a Like as well.
        remote_objects.unlike(undone_id, actor)


def _create_or_update(activity: dict, actor: str, via: str | None, signer: str | None = None) -> None:
    """Store the object; an embedded copy is believed only when it comes signed from the
    object's own host (``signer``: who signed the delivery, the actor unless relayed)."""
    obj = activity.get("object")
    if not isinstance(obj, dict) or host_of(object_id(obj)) != host_of(signer or actor):
        obj = _fetch(object_id(obj))
    if host_of(object_id(obj)) != host_of(actor):
        raise Ignored("object and actor come from different hosts")
    if obj.get("type") == "Note" and _to_local_group(obj):
        _reply_to_local_group(activity, obj, actor)
        return
    if not _wanted(obj, actor, via):
        raise Ignored("nobody here follows the object's actor")
    if obj.get("type") == "Note" and remote_objects.known_thread_for(obj) is None:
        _fetch_thread(obj, via)
    remote_objects.store(obj, actor)


def _fetch_thread(note: dict, via: str | None) -> None:
    """A reply in a followed group's thread we never received (we followed later): fetch the
    thread from its origin first, so the reply has its place."""
    uri = link(note.get("context")) or link(note.get("inReplyTo"))
    if not uri or remote_objects.exists(uri):
        return
    page = _fetch(uri)
    author = link(page.get("attributedTo")) or ""
    if page.get("type") == "Page" and link(page) == uri and _wanted(page, author, via):
        remote_objects.store(page, author)


def _wanted(obj: dict, actor: str, via: str | None) -> bool:
    """Content is kept when somebody here follows its actor, group or announcing group, or
    when it answers a remote thread we keep."""
    candidates = {actor, via, link(obj.get("attributedTo")), link(obj.get("audience"))}
    if any(uri and is_followed_here(uri) for uri in candidates):
        return True
    return remote_objects.known_thread_for(obj) is not None or remote_objects.exists(object_id(obj))


def _to_local_group(obj: dict) -> bool:
    return local_actor_from_uri(link(obj.get("audience")) or "") is not None or (
        remote_objects.local_thread_for(obj) is not None
    )


def _reply_to_local_group(activity: dict, obj: dict, actor: str) -> None:
    """A remote user answers in one of our groups: the reply becomes a post of the thread and
    the group announces it to its followers (FEP-1b12)."""
    post = remote_objects.store_local_reply(obj, actor)
    group = local_actor_for(post.thread.group)
    delivery.send_to_followers(activities.announce(group, activity), group)


def _delete(activity: dict, actor: str, _via) -> None:
    uri = object_id(activity.get("object"))
    if host_of(uri) != host_of(actor):
        raise Ignored("Delete of an object from another host")
    if uri == actor:
        db.session.execute(sa.delete(Follower).where(Follower.actor_uri == actor))
        db.session.execute(sa.delete(Following).where(Following.actor_uri == actor))
        return
    deleted = remote_objects.delete(uri)
    if deleted is None:
        raise Ignored("Delete of an object we do not keep")
    if isinstance(deleted, Post):
        # A remote user took back a reply in one of our groups: the group tells its followers.
        group = local_actor_for(deleted.thread.group)
        delivery.send_to_followers(activities.announce(group, activity), group)


def _announce(activity: dict, actor: str, _via) -> None:
    """A group relays an activity (Lemmy embeds it) or an object (Mastodon links it)."""
    inner = activity.get("object")
    kind = inner.get("type") if isinstance(inner, dict) else None
    if kind in ("Create", "Update"):
        _create_or_update(inner, object_id(inner.get("actor")), via=actor, signer=actor)
    elif kind == "Delete":
        # Believed only when the origin no longer serves the object.
        uri = object_id(inner.get("object"))
        if _gone(uri) and remote_objects.delete(uri) is None:
            raise Ignored("Delete of an object we do not keep")
    elif kind in HANDLERS:
        raise Ignored(f"relayed {kind} takes no effect here")
    else:
        obj = _fetch(object_id(inner))
        owner = link(obj.get("attributedTo")) or actor
        _create_or_update({"type": "Create", "object": obj}, owner, via=actor)


def _gone(uri: str) -> bool:
    try:
        _fetch(uri)
    except Ignored:
        return True
    return False


def _fetch(uri: str) -> dict:
    try:
        return fetch_json(uri)
    except FetchError as error:
        if error.status in (404, 410):
            raise Ignored(f"{uri} is gone ({error.status})") from error
        raise


def _like(activity: dict, actor: str, _via) -> None:
    remote_objects.like(object_id(activity), actor, object_id(activity.get("object")))


def _flag(activity: dict, actor: str, _via) -> None:
    objects = activity.get("object")
    uris = [object_id(o) for o in (objects if isinstance(objects, list) else [objects])]
    content = activity.get("content")
    remote_objects.report(object_id(activity), actor, host_of(actor), uris,
                          content if isinstance(content, str) else "")


HANDLERS: dict[str, Callable[[dict, str, str | None], None]] = {
    "Follow": _follow,
    "Accept": _accept,
    "Reject": _reject,
    "Undo": _undo,
    "Create": _create_or_update,
    "Update": _create_or_update,
    "Delete": _delete,
    "Announce": _announce,
    "Like": _like,
    "Flag": _flag,
}
