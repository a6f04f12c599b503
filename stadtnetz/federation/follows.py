"""Who follows whom across instances.

``Follower``: a remote actor follows one of our local actors (the instance, an organisation, a
user or a working group); delivery sends that actor's public activities to the followers'
inboxes. ``Following``: one of our users follows a remote actor; its content then reaches this
instance and the user's feed. The local actor is named by kind and id (0 for the instance, which
has no row of its own), the remote one by its ActivityPub id, resolved through ``RemoteActor``.
"""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..database import UTCDateTime, text_enum, utcnow
from ..extensions import db
from .remote_actors import RemoteActor


class FollowState(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"


def local_key(actor) -> tuple[str, int]:
    """(kind, id) naming a ``LocalActor`` in the follow tables."""
    return actor.kind, actor.ref


class Follower(db.Model):
    """A remote actor following one of our local actors (accepted on arrival)."""

    __tablename__ = "federation_follower"
    __table_args__ = (sa.UniqueConstraint("local_kind", "local_id", "actor_uri"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    local_kind: Mapped[str] = mapped_column(sa.String(16))
    local_id: Mapped[int] = mapped_column()
    actor_uri: Mapped[str] = mapped_column(sa.String(500), index=True)
    #: The id of the Follow activity, so an Undo of exactly that Follow ends it.
    follow_id: Mapped[str] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Following(db.Model):
    """One of our users following a remote actor; pending until the remote side accepts."""

    __tablename__ = "federation_following"
    __table_args__ = (sa.UniqueConstraint("user_id", "actor_uri"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"))
    actor_uri: Mapped[str] = mapped_column(sa.String(500), index=True)
    #: The id of our Follow activity, matched by the remote Accept, Reject and our Undo.
    follow_id: Mapped[str] = mapped_column(sa.String(500), unique=True)
    state: Mapped[FollowState] = mapped_column(text_enum(FollowState), default=FollowState.PENDING)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
    remote: Mapped[RemoteActor | None] = relationship(
        primaryjoin="foreign(Following.actor_uri) == RemoteActor.uri", viewonly=True
    )


def follower_inboxes(actor) -> set[str]:
    """The inboxes that receive ``actor``'s public activities: one per follower, the shared
    inbox where the follower's server has one."""
    kind, local_id = local_key(actor)
    rows = db.session.execute(
        sa.select(RemoteActor.shared_inbox, RemoteActor.inbox)
        .join(Follower, Follower.actor_uri == RemoteActor.uri)
        .where(Follower.local_kind == kind, Follower.local_id == local_id)
    )
    return {shared or inbox for shared, inbox in rows if shared or inbox}


def is_followed_here(actor_uri: str) -> bool:
    """Whether any local user follows the remote actor (and the follow was accepted)."""
    return db.session.scalar(
        sa.select(sa.exists().where(
            Following.actor_uri == actor_uri, Following.state == FollowState.ACCEPTED
        ))
    )

