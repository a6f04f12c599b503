"""Received ActivityPub objects turned into this instance's copies (``remote_content``),
remote replies to our own groups turned into posts of our threads, and our users' replies to
remote threads (kept as copies too, sent to the origin group).

Every write here is idempotent: an object is found by its id, and an update that is not newer
than the copy (``updated``, else ``published``) changes nothing. Remote HTML passes through
``content.sanitize_html`` (inside the parsers of ``objects``).
"""

import re
import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from ..accounts.models import User
from ..accounts.permissions import require
from ..content import render_markdown, sanitize_html
from ..database import utcnow
from ..errors import Invalid
from ..extensions import db
from ..forum.activity_models import ModerationAction
from ..forum.models import Post, Thread
from ..forum.posting import quotable
from ..practices.models import SECTIONS
from . import activities, delivery, objects
from .actors import local_actor_for
from .instances import host_of, local_host
from .remote_actors import remote_actor
from .remote_content import (
    FederatedPost,
    RemoteLike,
    RemoteObject,
    RemotePost,
    RemotePractice,
    RemoteReport,
    RemoteThread,
    RemoteWebtalk,
)

COPIES = (RemotePractice, RemoteWebtalk, RemoteThread, RemotePost)
_LOCAL_PATH = re.compile(r"^/ap/(threads|posts)/(\d+)$")
#: The parsed practice fields kept as ``RemotePractice.facts``.
FACTS = ("started_on", "ended_on", "total_cost", "funding_amount", "own_share", "funding_programme",
         "contact_name", "contact_role", "licence", "municipality", "key_figures", "partners")


class Outdated(Exception):
    """The object is not newer than our copy, or was deleted: nothing to do."""


def link(value: Any) -> str | None:
    """The first id of a link, an object or a list of them."""
    if isinstance(value, list):
        value = next(iter(value), None)
    if isinstance(value, dict):
        value = value.get("id") or value.get("href")
    return value if isinstance(value, str) else None


def parse_time(value: Any) -> datetime | None:
    """An xsd:dateTime with its zone, or None when missing or malformed."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None


def envelope(obj: dict) -> dict[str, Any]:
    """What every received object carries besides its content: ids, links and times."""
    uri = link(obj)
    if not uri:
        raise Invalid("object without id")
    url = link(obj.get("url"))
    published = parse_time(obj.get("published")) or utcnow()
    return {
        "uri": uri,
        "url": url if url and url.startswith(("https://", "http://")) else uri,
        "attributed_to": link(obj.get("attributedTo")),
        "audience": link(obj.get("audience")),
        "in_reply_to": link(obj.get("inReplyTo")),
        "published": published,
        "updated": parse_time(obj.get("updated")) or published,
    }


def _copy(model: type, obj: dict, actor_uri: str):
    """The copy of ``obj`` to fill in (new, or older than ``obj``), or raise ``Outdated``."""
    meta = envelope(obj)
    copy = db.session.scalar(sa.select(model).filter_by(uri=meta["uri"]))
    if copy is None:
        copy = model(uri=meta["uri"], host=host_of(meta["uri"]), published_at=meta["published"])
        db.session.add(copy)
    elif copy.is_deleted or copy.updated_at >= meta["updated"]:
        raise Outdated(meta["uri"])
    copy.actor_uri, copy.url = actor_uri, meta["url"]
    copy.updated_at, copy.received_at = meta["updated"], utcnow()
    return copy


def store(obj: dict, actor_uri: str) -> object | None:
    """Create or update the copy of an Article, Event, Page or Note; None when outdated."""
    store_kind = STORERS.get(obj.get("type"))
    if store_kind is None:
        raise Invalid(f"unsupported object type {obj.get('type')!r}")
    try:
        return store_kind(obj, actor_uri)
    except Outdated:
        return None


def _store_practice(obj: dict, actor_uri: str) -> RemotePractice:
    fields = objects.practice_fields_from_article(obj)
    practice = _copy(RemotePractice, obj, link(obj.get("attributedTo")) or actor_uri)
    for name in ("title", "teaser", "organisation_name", "status", "tags", "topics"):
        setattr(practice, name, fields[name])
    practice.sections = {name: fields[f"{name}_html"] for name, _label in SECTIONS}
    if not any(practice.sections.values()):
        # Not from a Stadtnetz: the content is the whole body.
        practice.sections = {SECTIONS[0][0]: fields["content_html"]}
    practice.facts = {name: fields[name] for name in FACTS}
    return practice


def _store_webtalk(obj: dict, actor_uri: str) -> RemoteWebtalk:
    fields = objects.event_fields(obj)
    talk = _copy(RemoteWebtalk, obj, link(obj.get("attributedTo")) or actor_uri)
    for name in ("title", "description_html", "starts_at", "timezone", "room_url"):
        setattr(talk, name, fields[name])
    talk.ends_at = fields["ends_at"] or fields["starts_at"]
    talk.cancelled = str(obj.get("ical:status", "")).upper() == "CANCELLED"
    return talk


def _store_thread(obj: dict, actor_uri: str) -> RemoteThread:
    fields = objects.note_fields(obj)
    thread = _copy(RemoteThread, obj, link(obj.get("audience")) or actor_uri)
    thread.title, thread.html = fields["title"], fields["html"]
    thread.author_uri = link(obj.get("attributedTo")) or actor_uri
    return thread


def _store_post(obj: dict, actor_uri: str) -> RemotePost:
    thread = known_thread_for(obj)
    if thread is None:
        raise Invalid("reply to a thread we do not keep")
    fields = objects.note_fields(obj)
    post = _copy(RemotePost, obj, thread.actor_uri)
    post.thread, post.html = thread, fields["html"]
    post.in_reply_to = link(obj.get("inReplyTo")) or thread.uri
    post.author_uri = link(obj.get("attributedTo")) or actor_uri
    return post


STORERS = {"Article": _store_practice, "Event": _store_webtalk, "Page": _store_thread, "Note": _store_post}


def exists(uri: str) -> bool:
    return any(db.session.scalar(sa.select(model.id).filter_by(uri=uri)) for model in COPIES)


def known_thread_for(obj: dict) -> RemoteThread | None:
    """The remote thread a Note answers (directly or through one of its posts)."""
    target = link(obj.get("inReplyTo")) or link(obj.get("context"))
    if not target:
        return None
    thread = db.session.scalar(sa.select(RemoteThread).filter_by(uri=target))
    if thread is None:
        post = db.session.scalar(sa.select(RemotePost).filter_by(uri=target))
        thread = post.thread if post else None
    return thread


def _local(uri: str | None) -> tuple[str, int] | None:
    """("threads"|"posts", id) for one of our own object ids."""
    base = current_app.config["BASE_URL"]
    if not uri or not uri.startswith(base + "/"):
        return None
    match = _LOCAL_PATH.match(uri[len(base):])
    return (match[1], int(match[2])) if match else None


def local_thread_for(obj: dict) -> tuple[Thread, Post | None] | None:
    """Our thread (and the post quoted) that a remote Note answers, if it answers ours."""
    target = link(obj.get("inReplyTo"))
    local = _local(target)
    if local is None:
        federated = db.session.scalar(sa.select(FederatedPost).filter_by(uri=target)) if target else None
        return (federated.post.thread, federated.post) if federated else None
    kind, pk = local
    if kind == "threads":
        thread = db.session.get(Thread, pk)
        return (thread, None) if thread else None
    post = db.session.get(Post, pk)
    return (post.thread, post) if post else None


def store_local_reply(obj: dict, actor_uri: str) -> Post:
    """A remote user's Note in one of our public, open threads becomes (or updates) a post."""
    target = local_thread_for(obj)
    if target is None:
        raise Invalid("reply to a thread we do not have")
    thread, quoted = target
    if not thread.group.is_public or thread.locked:
        raise Invalid("the thread takes no remote replies")
    html, meta = objects.note_fields(obj)["html"], envelope(obj)
    federated = db.session.scalar(sa.select(FederatedPost).filter_by(uri=meta["uri"]))
    if federated is not None:
        if federated.updated_at >= meta["updated"] or federated.post.is_deleted:
            raise Outdated(meta["uri"])
        federated.post.html, federated.post.body = html, Markup(html).striptags()
        federated.post.edited_at, federated.updated_at = utcnow(), meta["updated"]
        return federated.post
    # Counted in SQL before the insert, as the posting service does: the UPDATE locks the
    # thread's row, so the post's number in the thread is taken one after the other.
    thread.post_count = Thread.post_count + 1
    post = Post(thread=thread, author_id=None, body=Markup(html).striptags(), html=html,
                created_at=meta["published"], reply_to=quotable(thread, quoted))
    db.session.add(post)
    db.session.flush()
    db.session.add(FederatedPost(post=post, uri=meta["uri"], actor_uri=actor_uri, updated_at=meta["updated"]))
    thread.last_post_id, thread.last_post_at = post.id, post.created_at
    return post


def delete(uri: str) -> RemoteObject | Post | None:
    """Tombstone our copy of ``uri``, or delete a remote user's post in our thread; the thing
    deleted, None if we keep nothing of that id."""
    for model in COPIES:
        copy = db.session.scalar(sa.select(model).filter_by(uri=uri))
        if copy is not None:
            copy.deleted_at = copy.deleted_at or utcnow()
            return copy
    federated = db.session.scalar(sa.select(FederatedPost).filter_by(uri=uri))
    if federated is not None:
        federated.post.deleted_at = federated.post.deleted_at or utcnow()
        return federated.post
    return None


def like(activity_id: str, actor_uri: str, object_uri: str) -> None:
    """Count a remote Like of one of our objects (once per actor and object)."""
    if not object_uri.startswith(current_app.config["BASE_URL"] + "/"):
        raise Invalid("Like of an object that is not ours")
    if db.session.scalar(sa.select(RemoteLike.id).filter_by(actor_uri=actor_uri, object_uri=object_uri)):
        return
    db.session.add(RemoteLike(activity_id=activity_id, actor_uri=actor_uri, object_uri=object_uri))


def unlike(like_id: str, actor_uri: str) -> None:
    db.session.execute(sa.delete(RemoteLike).where(RemoteLike.activity_id == like_id,
                                                   RemoteLike.actor_uri == actor_uri))


def report(activity_id: str, actor_uri: str, host: str, uris: list[str], reason: str) -> RemoteReport:
    """Keep a remote report; reported posts of ours wait in our moderators' queue, the reason
    in their audit log."""
    row = RemoteReport(activity_id=activity_id, actor_uri=actor_uri, host=host, objects=uris,
                       reason=sanitize_html(reason)[:5000])
    db.session.add(row)
    for uri in uris:
        local = _local(uri)
        post = db.session.get(Post, local[1]) if local and local[0] == "posts" else None
        if post is None:
            federated = db.session.scalar(sa.select(FederatedPost).filter_by(uri=uri))
            post = federated.post if federated else None
        if post is not None:
            post.awaiting_review = True
            db.session.add(ModerationAction(action="remote_report", group_id=post.thread.group_id,
                                            thread_id=post.thread_id, post_id=post.id,
                                            reason=f"{host}: {Markup(row.reason).striptags()}"[:5000]))
    return row


def reply_note(post: RemotePost) -> dict:
    """Our user's reply to a remote thread as the ``Note`` its origin group receives."""
    return {
        "@context": objects.CONTEXT,
        "id": post.uri,
        "type": "Note",
        "content": post.html,
        "mediaType": "text/html",
        "attributedTo": post.author_uri,
        "inReplyTo": post.in_reply_to,
        "context": post.thread.uri,
        "audience": post.thread.actor_uri,
        "to": [post.thread.actor_uri, objects.PUBLIC],
        "cc": [],
        "published": objects.xsd_time(post.published_at),
        "url": post.uri,
    }


def reply_to_remote_thread(user: User, thread: RemoteThread, body: str) -> RemotePost:
    """Answer a remote group's thread: kept here, sent to the group, which announces it."""
    require(user, "federation.reply", thread)
    body = (body or "").strip()
    if not body:
        raise Invalid(_l("Bitte schreiben Sie einen Beitrag."), "body")
    actor, now = local_actor_for(user), utcnow()
    uri = f"{current_app.config['BASE_URL']}/ap/replies/{uuid.uuid4()}"
    post = RemotePost(thread=thread, uri=uri, url=uri, host=local_host(), actor_uri=thread.actor_uri,
                      in_reply_to=thread.uri, author_uri=actor.uri, html=render_markdown(body),
                      local_author=user, published_at=now, updated_at=now)
    db.session.add(post)
    delivery.send(activities.create(actor, reply_note(post)), actor, remote_actor(thread.actor_uri).inbox)
    db.session.flush()
    return post
