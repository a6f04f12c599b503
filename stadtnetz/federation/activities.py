"""The activities we send, built as plain dicts, and the record of every activity sent.

Each activity gets its id under ``{BASE}/ap/activities/<uuid>``; ``SentActivity`` keeps its JSON
so that the id dereferences (``routes.activity``) and the delivery jobs need not copy it.
Addressing follows the object: public content goes to ``as:Public`` and the actor's followers.
"""

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Mapped, mapped_column

from ..database import UTCDateTime, utcnow
from ..extensions import db
from .actors import LocalActor
from .objects import CONTEXT, PUBLIC, xsd_time


class SentActivity(db.Model):
    """An activity one of our actors sent; its deliveries are jobs of ``federation_delivery``."""

    __tablename__ = "federation_sent_activity"

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    actor_uri: Mapped[str] = mapped_column(sa.String(500), index=True)
    type: Mapped[str] = mapped_column(sa.String(20))
    object_uri: Mapped[str] = mapped_column(sa.String(500), default="", index=True)
    json: Mapped[dict] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def activity_uri(activity_id: str) -> str:
    return f"{current_app.config['BASE_URL']}/ap/activities/{activity_id}"


def _build(kind: str, actor: LocalActor, obj: Any, to: list[str] | None = None,
           cc: list[str] | None = None, **extra) -> dict[str, Any]:
    """An activity of ``actor`` about ``obj``; addressed like the object unless told otherwise."""
    if isinstance(obj, dict):
        to = to if to is not None else obj.get("to", [PUBLIC])
        cc = cc if cc is not None else obj.get("cc", [actor.followers])
        obj = {key: value for key, value in obj.items() if key != "@context"}
    return {
        "@context": CONTEXT,
        "id": activity_uri(str(uuid.uuid4())),
        "type": kind,
        "actor": actor.uri,
        "object": obj,
        "to": to if to is not None else [PUBLIC],
        "cc": cc if cc is not None else [actor.followers],
        "published": xsd_time(utcnow()),
        **extra,
    }


def create(actor: LocalActor, obj: dict) -> dict[str, Any]:
    return _build("Create", actor, obj)


def update(actor: LocalActor, obj: dict) -> dict[str, Any]:
    return _build("Update", actor, obj)


def delete(actor: LocalActor, tombstone: dict) -> dict[str, Any]:
    """Delete of an object, carrying its ``Tombstone`` (Mastodon and Lemmy accept both)."""
    return _build("Delete", actor, tombstone, to=[PUBLIC], cc=[actor.followers])


def announce(group: LocalActor, activity: dict) -> dict[str, Any]:
    """The group relays ``activity`` to its followers (FEP-1b12): the whole activity, embedded."""
    return _build("Announce", group, activity, to=[PUBLIC], cc=[group.followers])


def follow(actor: LocalActor, target_uri: str) -> dict[str, Any]:
    return _build("Follow", actor, target_uri, to=[target_uri], cc=[])


def accept(actor: LocalActor, follow_activity: dict) -> dict[str, Any]:
    """Accept of a Follow; the Follow goes back embedded, as Mastodon expects."""
    return _build("Accept", actor, follow_activity, to=[follow_activity.get("actor")], cc=[])


def reject(actor: LocalActor, follow_activity: dict) -> dict[str, Any]:
    return _build("Reject", actor, follow_activity, to=[follow_activity.get("actor")], cc=[])


def undo(actor: LocalActor, activity: dict) -> dict[str, Any]:
    return _build("Undo", actor, activity, to=activity.get("to"), cc=activity.get("cc"))


def like(actor: LocalActor, object_uri: str, object_owner: str) -> dict[str, Any]:
    return _build("Like", actor, object_uri, to=[object_owner], cc=[])


def flag(actor: LocalActor, object_uris: list[str], reason: str, origin_actor: str) -> dict[str, Any]:
    """A report to the moderators of ``origin_actor``'s server; sent by the instance actor, so
    the reporting person stays unnamed."""
    return _build("Flag", actor, object_uris, to=[origin_actor], cc=[], content=reason)


def record(activity: dict[str, Any]) -> SentActivity:
    """Keep ``activity`` in the current transaction, so it is served and delivered."""
    obj = activity.get("object")
    object_uri = obj.get("id", "") if isinstance(obj, dict) else obj if isinstance(obj, str) else ""
    row = SentActivity(id=activity["id"].rsplit("/", 1)[-1], actor_uri=activity["actor"],
                       type=activity["type"], object_uri=object_uri[:500], json=activity)
    db.session.add(row)
    return row
