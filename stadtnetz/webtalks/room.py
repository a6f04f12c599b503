"""The live room's services: entering and leaving, presence, chat, hands, reactions, and the
moderator's mute and remove. Questions and polls are in ``qa.py``.

Every change is written as a ``RoomEvent`` whose ``seq`` rises by one per room, without gaps
(a failed change rolls its number back with it). ``begin``
takes the next number with one ``UPDATE … RETURNING`` on the talk's row, which also holds
the room's lock until the transaction commits (a row lock on PostgreSQL, the write lock on
SQLite): events are committed in the order of their numbers, so a client that has seen
number n has seen everything before it, and asks for what follows after a reconnect.
The Socket.IO handlers (``events.py``) commit and broadcast; nothing here emits.
"""

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..accounts.models import User
from ..accounts.permissions import can, require
from ..content import render_markdown
from ..database import utcnow
from ..errors import Invalid, NotFound, PermissionDenied
from ..extensions import db
from .models import Webtalk
from .room_models import HandRaise, RoomConnection, RoomEvent, RoomParticipant

CHAT_MAX = 2000
#: At most this many chat messages per person within the window.
CHAT_RATE = 5
CHAT_WINDOW = timedelta(seconds=10)
REACTIONS = ("👏", "👍", "❤️", "😂", "🎉", "🤔")


#: The Socket.IO namespace of the live room (``events.py``).
NAMESPACE = "/webtalk"


def channel(talk_id: int) -> str:
    """The Socket.IO room every participant of a talk is in."""
    return f"webtalk-{talk_id}"


@dataclass
class Presence:
    """Who is connected to which room, as the handlers see it."""

    talk: Webtalk
    user: User


def begin(talk: Webtalk) -> int:
    """Lock the room and take the next event number (unused if the transaction rolls back)."""
    statement = (
        sa.update(Webtalk)
        .where(Webtalk.id == talk.id)
        .values(last_event_id=Webtalk.last_event_id + 1)
        .returning(Webtalk.last_event_id)
    )
    return db.session.execute(statement, execution_options={"synchronize_session": False}).scalar_one()


def record(talk: Webtalk, seq: int, kind: str, subject: User | None = None, **payload) -> RoomEvent:
    """Store event ``seq`` of ``talk`` (taken with ``begin`` in this transaction).

    ``subject`` is the person the event is about (whose name it carries), so their data can be
    exported and forgotten; the acting moderator is not recorded.
    """
    event = RoomEvent(
        webtalk_id=talk.id, seq=seq, kind=kind, user_id=subject.id if subject else None, payload=payload
    )
    db.session.add(event)
    db.session.flush()
    return event


def role_of(user: User, talk: Webtalk) -> str:
    if can(user, "webtalk.moderate", talk):
        return "moderator"
    return "speaker" if user.id in talk.speaker_user_ids() else "participant"


def person(user: User, talk: Webtalk) -> dict:
    """How a person appears in events and the presence list."""
    return {"id": user.id, "name": user.name, "role": role_of(user, talk)}


def participant(talk: Webtalk, user_id: int) -> RoomParticipant:
    """The moderator's record of a person in the room (created when first needed)."""
    row = db.session.get(RoomParticipant, (talk.id, user_id))
    if row is None:
        row = RoomParticipant(webtalk_id=talk.id, user_id=user_id)
        db.session.add(row)
    return row


def _is_removed(talk: Webtalk, user: User) -> bool:
    row = db.session.get(RoomParticipant, (talk.id, user.id))
    return row is not None and row.removed_at is not None


def enter(user: User, talk_id: int, sid: str) -> RoomEvent | None:
    """Open a connection to the room; the first connection of a person announces them."""
    talk = db.session.get(Webtalk, talk_id) if talk_id is not None else None
    if talk is None:
        raise NotFound(talk_id)
    require(user, "webtalk.enter_room", talk)
    if _is_removed(talk, user):
        raise PermissionDenied(_l("Die Moderation hat Sie aus diesem Raum entfernt."))
    if not talk.room_is_open() and not can(user, "webtalk.moderate", talk):
        raise PermissionDenied(_l("Der Raum ist nur während des Webtalks geöffnet."))
    already_here = _is_connected(talk, user.id)
    me = None if already_here else person(user, talk)  # read before the writes: the lock is held briefly
    db.session.add(RoomConnection(sid=sid, webtalk_id=talk.id, user_id=user.id))
    if already_here:
        return None
    return record(talk, begin(talk), "presence", user, user=me, present=True)


def connection(sid: str) -> Presence:
    """The talk and person behind an open connection; refused when there is none."""
    row = db.session.get(RoomConnection, sid)
    if row is None:
        raise PermissionDenied(_l("Sie sind nicht (mehr) im Raum."))
    return Presence(db.session.get(Webtalk, row.webtalk_id), row.user)


def _is_connected(talk: Webtalk, user_id: int, besides: str | None = None) -> bool:
    """Whether the person has a connection to the room (other than ``besides``): one row
    looked up, however many tabs they have open."""
    query = sa.select(RoomConnection.sid).where(
        RoomConnection.webtalk_id == talk.id, RoomConnection.user_id == user_id, RoomConnection.sid != besides
    )
    return db.session.scalar(query.limit(1)) is not None


def _connections_of(talk: Webtalk, user_id: int) -> list[RoomConnection]:
    query = sa.select(RoomConnection).where(
        RoomConnection.webtalk_id == talk.id, RoomConnection.user_id == user_id
    )
    return list(db.session.scalars(query))


def leave(sid: str) -> RoomEvent | None:
    """Close a connection; a person whose last connection closes leaves the presence list."""
    row = db.session.get(RoomConnection, sid)
    if row is None:
        return None
    talk, user = db.session.get(Webtalk, row.webtalk_id), row.user
    still_here = _is_connected(talk, user.id, besides=sid)
    me = None if still_here else person(user, talk)  # read before the writes, as in ``enter``
    db.session.delete(row)
    if still_here:
        return None
    return record(talk, begin(talk), "presence", user, user=me, present=False)


def events_after(talk: Webtalk, last_id: int) -> list[dict]:
    """Every event of the room after ``last_id``, in order: what a returning client missed."""
    query = (
        sa.select(RoomEvent)
        .where(RoomEvent.webtalk_id == talk.id, RoomEvent.seq > last_id)
        .order_by(RoomEvent.seq)
    )
    return [event.message() for event in db.session.scalars(query)]


def presence(talk: Webtalk) -> list[dict]:
    """Everyone connected now, by name."""
    query = sa.select(RoomConnection).where(RoomConnection.webtalk_id == talk.id)
    users = {row.user.id: row.user for row in db.session.scalars(query)}
    return sorted((person(user, talk) for user in users.values()), key=lambda p: p["name"])


def send_chat(user: User, talk: Webtalk, text: str) -> RoomEvent:
    """Post a chat message (Markdown, sanitised); muted people and floods are refused."""
    text = (text or "").strip()
    if not text:
        raise Invalid(_l("Bitte schreiben Sie eine Nachricht."), "text")
    if len(text) > CHAT_MAX:
        raise Invalid(_l("Die Nachricht ist zu lang (höchstens %(max)d Zeichen).", max=CHAT_MAX), "text")
    # Checked and rendered before the room's lock is taken, so the lock (SQLite's one writer)
    # is held only for the insert: a second tab racing the rate limit gets one message more.
    row = db.session.get(RoomParticipant, (talk.id, user.id))
    if row is not None and row.muted_at is not None:
        raise PermissionDenied(_l("Die Moderation hat Ihren Chat stummgeschaltet."))
    recent = db.session.scalar(
        sa.select(sa.func.count(RoomEvent.id)).where(
            RoomEvent.webtalk_id == talk.id,
            RoomEvent.user_id == user.id,
            RoomEvent.kind == "chat",
            RoomEvent.created_at > utcnow() - CHAT_WINDOW,
        )
    )
    if recent >= CHAT_RATE:
        raise Invalid(_l("Sie schreiben sehr schnell. Bitte warten Sie einen Moment."), "text")
    author, html = person(user, talk), render_markdown(text)
    return record(talk, begin(talk), "chat", user, user=author, html=html)


def delete_chat(moderator: User, talk: Webtalk, message_id: int) -> RoomEvent:
    """Remove a chat message; its text leaves the log, so no returning client receives it."""
    require(moderator, "webtalk.moderate", talk)
    seq = begin(talk)
    message = db.session.scalar(
        sa.select(RoomEvent).where(
            RoomEvent.webtalk_id == talk.id, RoomEvent.seq == message_id, RoomEvent.kind == "chat"
        )
    )
    if message is None or message.deleted_at is not None:
        raise Invalid(_l("Diese Nachricht gibt es nicht (mehr)."))
    message.deleted_at = utcnow()
    message.payload = {**message.payload, "html": "", "deleted": True}
    return record(talk, seq, "chat_deleted", None, message=message_id)


def raise_hand(user: User, talk: Webtalk) -> RoomEvent:
    """Join the queue of raised hands."""
    seq = begin(talk)
    if _open_hand(talk, user.id) is not None:
        raise Invalid(_l("Ihre Hand ist schon gehoben."))
    db.session.add(HandRaise(webtalk_id=talk.id, user_id=user.id))
    return record(talk, seq, "hand", user, user=person(user, talk), raised=True)


def lower_hand(actor: User, talk: Webtalk, user_id: int) -> RoomEvent:
    """Lower a hand: one's own (no ``user_id``), or (the moderator, taking the next speaker) anyone's."""
    if user_id is None:
        user_id = actor.id
    if user_id != actor.id:
        require(actor, "webtalk.moderate", talk)
    seq = begin(talk)
    hand = _open_hand(talk, user_id)
    if hand is None:
        raise Invalid(_l("Diese Hand ist nicht gehoben."))
    hand.lowered_at = utcnow()
    return record(talk, seq, "hand", hand.user, user=person(hand.user, talk), raised=False)


def _open_hand(talk: Webtalk, user_id: int) -> HandRaise | None:
    return db.session.scalar(
        sa.select(HandRaise).where(
            HandRaise.webtalk_id == talk.id, HandRaise.user_id == user_id, HandRaise.lowered_at.is_(None)
        )
    )


def hand_queue(talk: Webtalk) -> list[dict]:
    """Raised hands, first raised first."""
    query = (
        sa.select(HandRaise)
        .where(HandRaise.webtalk_id == talk.id, HandRaise.lowered_at.is_(None))
        .order_by(HandRaise.raised_at, HandRaise.id)
    )
    return [person(hand.user, talk) for hand in db.session.scalars(query)]


def react(user: User, talk: Webtalk, emoji: str) -> RoomEvent:
    """Send one of the room's reactions."""
    if emoji not in REACTIONS:
        raise Invalid(_l("Diese Reaktion gibt es nicht."))
    seq = begin(talk)
    return record(talk, seq, "reaction", user, user=person(user, talk), emoji=emoji)


def set_muted(moderator: User, talk: Webtalk, user_id: int, muted: bool) -> RoomEvent:
    """Mute (or unmute) a person's chat."""
    require(moderator, "webtalk.moderate", talk)
    target = _present_user(user_id)
    seq = begin(talk)
    participant(talk, target.id).muted_at = utcnow() if muted else None
    return record(talk, seq, "muted", target, user=person(target, talk), muted=muted)


def remove(moderator: User, talk: Webtalk, user_id: int) -> RoomEvent:
    """Remove a person from the room for good (the handler then closes their connections)."""
    require(moderator, "webtalk.moderate", talk)
    target = _present_user(user_id)
    if can(target, "webtalk.moderate", talk):
        raise Invalid(_l("Moderatorinnen und Moderatoren können nicht entfernt werden."))
    seq = begin(talk)
    participant(talk, target.id).removed_at = utcnow()
    return record(talk, seq, "removed", target, user=person(target, talk))


def sids_of(talk: Webtalk, user_id: int) -> list[str]:
    """The open connections of a person in the room."""
    return [row.sid for row in _connections_of(talk, user_id)]


def _present_user(user_id: int) -> User:
    user = db.session.get(User, user_id) if user_id is not None else None
    if user is None:
        raise Invalid(_l("Diese Person gibt es nicht."))
    return user
