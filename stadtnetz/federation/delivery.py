"""Delivery: our public activities reach the inboxes of our actors' followers.

When a feature signals a change, the listener here builds the activity, keeps it
(``activities.record``) and writes one ``federation_delivery`` outbox job per target inbox (the
shared inbox where a follower's server has one), all in the transaction of the change: no
change without its deliveries, no delivery of a change that rolled back. The worker signs each
request at send time. A 2xx answer ends the job; 429, 5xx and network errors retry with the
outbox's exponential backoff and jitter for about six days (``MAX_ATTEMPTS``); any other 4xx is
final. Consecutive failures mark the instance unavailable (``instances.record_failure``) until
it answers again. A worker killed between sending and marking done sends once more after the
lease: receivers drop the repeat by its activity id, so every activity takes effect once.

Only public content leaves: published practices, threads and posts of public working groups,
public webtalks of public groups. Drafts and members-only content never do.
"""

import json
import re
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from .. import outbox, signals
from ..accounts.permissions import require
from ..database import utcnow
from ..errors import Invalid, NotFound
from ..extensions import db
from ..forum.models import Post, Thread
from ..practices.models import Practice
from ..practices.topics import PracticeState
from . import activities, keys, objects
from .actors import LocalActor, local_actor_for, local_actor_from_uri
from .fetch import FetchError, final_status, post_activity
from .follows import follower_inboxes
from .instances import (
    Instance,
    InstanceState,
    host_of,
    local_host,
    may_deliver_to,
    record_failure,
    record_success,
    set_state,
)
from .remote_actors import remote_actor
from .remote_content import RemotePractice

QUEUE = "federation_delivery"
#: 15 attempts: the backoff doubles from 30 s, so the last try comes about six days after the first.
MAX_ATTEMPTS = 15


class DeliveryFailed(Exception):
    """The inbox did not take the activity this time (network error, 429, 5xx): try again later."""


def send(activity: dict[str, Any], actor: LocalActor, inbox: str) -> activities.SentActivity:
    """Record ``activity`` of ``actor`` and deliver it to one inbox (an Accept, a Flag…)."""
    return _deliver(activity, actor, {inbox})


def send_to_followers(activity: dict[str, Any], actor: LocalActor) -> activities.SentActivity:
    """Record ``activity`` and deliver it to the followers of ``actor``, one job per inbox, and
    to the instances that follow our instance actor."""
    inboxes = follower_inboxes(actor) | follower_inboxes(local_actor_for(None))
    return _deliver(activity, actor, inboxes)


def _deliver(activity: dict[str, Any], actor: LocalActor, inboxes: set[str]) -> activities.SentActivity:
    if activity["actor"] != actor.uri:
        raise ValueError("an activity is delivered by its own actor")
    sent = activities.record(activity)
    hosts = {host_of(inbox) for inbox in inboxes}
    allowed = {host for host in hosts if host != local_host() and may_deliver_to(host)}
    targets = sorted(inbox for inbox in inboxes if host_of(inbox) in allowed)
    if targets:
        # The key is made on first use, committed in a transaction of its own (keys.py): made
        # here, it is already stored when the worker sends and the receiver fetches it from us.
        keys.private_key(actor)
    for inbox in targets:
        outbox.enqueue(QUEUE, {"activity": sent.id, "inbox": inbox})
    return sent


@outbox.handler(QUEUE, max_attempts=MAX_ATTEMPTS)
def deliver(payload: dict[str, Any]) -> None:
    """Send one recorded activity to one inbox, signed now by its actor."""
    sent = db.session.get(activities.SentActivity, payload["activity"])
    inbox = payload["inbox"]
    host = host_of(inbox)
    actor = local_actor_from_uri(sent.actor_uri) if sent is not None else None
    if actor is None:
        raise outbox.GiveUp("Die Aktivität oder ihr Akteur existiert nicht mehr.")
    if not may_deliver_to(host):
        raise outbox.GiveUp(f"Zustellung an {host} ist nicht erlaubt (gesperrt oder Föderation aus).")
    body = json.dumps(sent.json, separators=(",", ":")).encode()
    try:
        status = post_activity(inbox, body, actor)
    except FetchError as error:
        if error.final:  # our guard refused the address or URL: no retry will change that
            raise outbox.GiveUp(f"{inbox}: {error} (endgültig)") from error
        _count_failure(host)
        raise DeliveryFailed(str(error)) from error
    if 200 <= status < 300:
        record_success(host)
        return
    if not final_status(status):
        _count_failure(host)
        raise DeliveryFailed(f"{inbox} antwortete mit HTTP {status}")
    record_success(host)  # it answered: the server is there, it just refuses this activity
    db.session.commit()
    raise outbox.GiveUp(f"{inbox} lehnte mit HTTP {status} ab (endgültig)")


def _count_failure(host: str) -> None:
    # Committed at once: the outbox rolls the handler's transaction back when it raises.
    record_failure(host)
    db.session.commit()


# --- The admin page's services ------------------------------------------------------------------

HOST_PATTERN = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$")


def set_instance_state(actor, host: str, state: InstanceState) -> Instance:
    """Allow or block an instance (or return it to the default); a host may be named before
    any contact, so an allowlist can be prepared."""
    require(actor, "federation.manage")
    host = (host or "").strip().lower()
    if len(host) > 260 or not HOST_PATTERN.match(host):
        raise Invalid(_l("Bitte geben Sie einen Hostnamen an, z. B. stadtnetz.example.org."), "host")
    if host == local_host():
        raise Invalid(_l("Das ist diese Instanz selbst."), "host")
    instance = set_state(host, state)
    db.session.flush()
    return instance


def retry_delivery(actor, job_id: int) -> outbox.OutboxJob:
    """Put a failed delivery back in the queue, due now, with fresh attempts."""
    require(actor, "federation.manage")
    job = db.session.get(outbox.OutboxJob, job_id)
    if job is None or job.queue != QUEUE or job.failed_at is None:
        raise NotFound()
    job.failed_at, job.attempts, job.run_after, job.lease_until = None, 0, utcnow(), None
    db.session.flush()
    return job


def failed_jobs(limit: int = 100) -> list[outbox.OutboxJob]:
    """Deliveries given up for good, newest first, with their reasons."""
    return list(db.session.scalars(
        sa.select(outbox.OutboxJob)
        .where(outbox.OutboxJob.queue == QUEUE, outbox.OutboxJob.failed_at.is_not(None))
        .order_by(outbox.OutboxJob.failed_at.desc())
        .limit(limit)
    ))


# --- Likes of remote practices by our users ------------------------------------------------------


def _standing_like(actor: LocalActor, object_uri: str) -> activities.SentActivity | None:
    """The actor's Like of ``object_uri`` that no Undo took back yet."""
    sent = activities.SentActivity
    mine = sa.select(sent).filter_by(actor_uri=actor.uri)
    likes = db.session.scalars(mine.filter_by(type="Like", object_uri=object_uri)).all()
    if not likes:
        return None
    like_ids = [like.json["id"] for like in likes]
    undone = {row.object_uri for row in db.session.scalars(mine.filter_by(type="Undo").where(
        sent.object_uri.in_(like_ids)))}
    return next((like for like in likes if like.json["id"] not in undone), None)


def _liked_practice(object_uri: str) -> tuple[RemotePractice, str]:
    """The remote practice ``object_uri`` and the inbox of its origin's actor."""
    practice = db.session.scalar(sa.select(RemotePractice).filter_by(uri=object_uri))
    if practice is None or practice.is_deleted:
        raise NotFound(_l("Dieses Praxisbeispiel gibt es im Netzwerk nicht (mehr)."))
    try:
        origin = remote_actor(practice.actor_uri)
    except FetchError as error:
        message = _l("Die Herkunftsinstanz ist gerade nicht erreichbar. Bitte versuchen Sie es später.")
        raise Invalid(message) from error
    return practice, origin.shared_inbox or origin.inbox


def liked_remote(user, object_uri: str) -> bool:
    """True if ``user`` currently likes the remote object."""
    return _standing_like(local_actor_for(user), object_uri) is not None


def like_remote(user, object_uri: str) -> activities.SentActivity:
    """``user`` likes a remote practice: the Like goes to the origin, which counts it."""
    require(user, "federation.like")
    practice, inbox = _liked_practice(object_uri)
    actor = local_actor_for(user)
    if _standing_like(actor, object_uri) is not None:
        raise Invalid(_l("Dieses Praxisbeispiel gefällt Ihnen bereits."))
    return send(activities.like(actor, practice.uri, practice.actor_uri), actor, inbox)


def unlike_remote(user, object_uri: str) -> activities.SentActivity:
    """``user`` takes a Like back: an Undo of it goes to the origin."""
    require(user, "federation.like")
    actor = local_actor_for(user)
    like = _standing_like(actor, object_uri)
    if like is None:
        raise NotFound(_l("Dieses Praxisbeispiel haben Sie nicht mit „Gefällt mir“ markiert."))
    _practice, inbox = _liked_practice(object_uri)
    return send(activities.undo(actor, like.json), actor, inbox)


# --- Listeners: the features' signals become activities ---------------------------------------


def _public_practice(practice: Practice) -> bool:
    return practice.state == PracticeState.PUBLISHED


def _public_thread(thread: Thread) -> bool:
    return thread.group.is_public


def _announced(activity: dict[str, Any], author: LocalActor, group: LocalActor) -> None:
    """Forum content: the author's activity goes to the author's followers, and the group
    announces it to its own (FEP-1b12), as Lemmy does for a local community."""
    send_to_followers(activity, author)
    send_to_followers(activities.announce(group, activity), group)


def _author(obj, group: LocalActor) -> LocalActor:
    return local_actor_for(obj.author) if obj.author is not None else group


@signals.practice_published.connect
def _practice_published(practice: Practice, **_extra) -> None:
    if _public_practice(practice):
        organisation = local_actor_for(practice.organisation)
        send_to_followers(activities.create(organisation, objects.practice_article(practice)), organisation)


@signals.practice_updated.connect
def _practice_updated(practice: Practice, **_extra) -> None:
    if _public_practice(practice):
        organisation = local_actor_for(practice.organisation)
        send_to_followers(activities.update(organisation, objects.practice_article(practice)), organisation)


@signals.practice_withdrawn.connect
def _practice_withdrawn(practice: Practice, **_extra) -> None:
    organisation = local_actor_for(practice.organisation)
    tombstone = objects.tombstone(objects.object_uri("practices", practice.id), "Article", utcnow())
    send_to_followers(activities.delete(organisation, tombstone), organisation)


@signals.thread_created.connect
def _thread_created(thread: Thread, **_extra) -> None:
    if _public_thread(thread):
        group = local_actor_for(thread.group)
        author = _author(thread, group)
        _announced(activities.create(author, objects.thread_page(thread)), author, group)


def _post_activity(post: Post, build) -> None:
    if _public_thread(post.thread) and post.is_visible:
        group = local_actor_for(post.thread.group)
        author = _author(post, group)
        _announced(build(author, objects.post_note(post)), author, group)


@signals.post_created.connect
def _post_created(post: Post, **_extra) -> None:
    _post_activity(post, activities.create)


@signals.post_updated.connect
def _post_updated(post: Post, **_extra) -> None:
    _post_activity(post, activities.update)


@signals.post_deleted.connect
def _post_deleted(post: Post, **_extra) -> None:
    if _public_thread(post.thread):
        group = local_actor_for(post.thread.group)
        author = _author(post, group)
        tombstone = objects.tombstone(objects.object_uri("posts", post.id), "Note", post.deleted_at)
        _announced(activities.delete(author, tombstone), author, group)


def _webtalk_activity(talk, build) -> None:
    if talk.is_public and talk.group.is_public:
        group = local_actor_for(talk.group)
        send_to_followers(build(group, objects.webtalk_event(talk)), group)


@signals.webtalk_scheduled.connect
def _webtalk_scheduled(talk, **_extra) -> None:
    _webtalk_activity(talk, activities.create)


@signals.webtalk_updated.connect
def _webtalk_updated(talk, **_extra) -> None:
    _webtalk_activity(talk, activities.update)


@signals.webtalk_cancelled.connect
def _webtalk_cancelled(talk, **_extra) -> None:
    # Mobilizon cancels with an Update whose ``ical:status`` is CANCELLED; the Event stays.
    _webtalk_activity(talk, activities.update)
