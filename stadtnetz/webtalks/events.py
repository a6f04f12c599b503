"""Socket.IO handlers of the live room (namespace ``/webtalk``): each a few lines that call
the room services, commit, and broadcast the stored event to the room.

The connection is authenticated with the web session (Flask-Login's ``current_user``) and
refused otherwise. The client sends ``{"talk": id, "last_id": n}`` when it connects (and again
on every reconnect) and first receives every event after ``n``, in order. Each handler answers
through the acknowledgement: ``{"ok": true, "id": …}`` or ``{"ok": false, "error": …}``.
"""

from flask import request
from flask_babel import gettext as _
from flask_babel.speaklater import LazyString
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, Namespace, disconnect, emit, join_room

from ..errors import DomainError
from ..extensions import db
from ..web import acting_user
from . import leases, qa, room


def _arg(data, name: str, kind: type, default=None):
    """A value from the client's message, of the expected type, or ``default``."""
    value = data.get(name, default) if isinstance(data, dict) else default
    return value if isinstance(value, kind) else default


def _refusal(error: DomainError) -> str:
    """The reason shown to the person; a bare permission name becomes a sentence."""
    reason = getattr(error, "message", None) or (error.args[0] if error.args else None)
    return str(reason) if isinstance(reason, LazyString) else _("Das ist Ihnen hier nicht möglich.")


class RoomNamespace(Namespace):
    """The live room: presence, chat, Q&A, polls, hands, reactions, moderation."""

    def on_connect(self, auth=None):
        if not current_user.is_authenticated:
            raise ConnectionRefusedError(_("Bitte melden Sie sich an."))
        talk_id, last_id = _arg(auth, "talk", int), _arg(auth, "last_id", int, 0)
        try:
            event = room.enter(acting_user(), talk_id, request.sid)
        except DomainError as error:
            db.session.rollback()
            raise ConnectionRefusedError(_refusal(error)) from None
        message = event.message() if event is not None else None  # before the commit expires it
        db.session.commit()
        leases.opened(request.sid)
        join_room(room.channel(talk_id))
        for missed in room.events_after(room.connection(request.sid).talk, last_id):
            emit("event", missed)
        if message is not None:
            emit("event", message, to=room.channel(talk_id), include_self=False)

    def on_disconnect(self, *_reason):
        leases.closed(request.sid)
        event = room.leave(request.sid)
        message = event.message() if event is not None else None
        db.session.commit()
        if message is not None:
            emit("event", message, to=room.channel(event.webtalk_id))

    def _act(self, service, *args) -> dict:
        """Run a room service for the sender, then commit and broadcast its event."""
        try:
            here = room.connection(request.sid)
            event = service(here.user, here.talk, *args)
        except DomainError as error:
            db.session.rollback()
            return {"ok": False, "error": _refusal(error)}
        message = event.message()  # before the commit expires the row: no reload
        db.session.commit()
        emit("event", message, to=room.channel(event.webtalk_id))
        return {"ok": True, "id": message["id"]}

    def on_sync(self, data):
        """Everything after the client's last id (it noticed a gap)."""
        try:
            here = room.connection(request.sid)
        except DomainError as error:
            return {"ok": False, "error": _refusal(error)}
        return {"ok": True, "events": room.events_after(here.talk, _arg(data, "last_id", int, 0))}

    def on_chat(self, data):
        return self._act(room.send_chat, _arg(data, "text", str, ""))

    def on_delete_chat(self, data):
        return self._act(room.delete_chat, _arg(data, "id", int))

    def on_ask(self, data):
        return self._act(qa.ask, _arg(data, "text", str, ""), _arg(data, "anonymous", bool, False))

    def on_upvote(self, data):
        return self._act(qa.upvote, _arg(data, "id", int))

    def on_settle(self, data):
        return self._act(
            qa.settle, _arg(data, "id", int), _arg(data, "state", str, ""), _arg(data, "answer", str, "")
        )

    def on_open_poll(self, data):
        return self._act(
            qa.open_poll,
            _arg(data, "question", str, ""),
            _arg(data, "options", list, []),
            _arg(data, "multiple", bool, False),
        )

    def on_vote(self, data):
        return self._act(qa.vote, _arg(data, "id", int), _arg(data, "choices", list, []))

    def on_close_poll(self, data):
        return self._act(qa.close_poll, _arg(data, "id", int))

    def on_raise_hand(self, _data=None):
        return self._act(room.raise_hand)

    def on_lower_hand(self, data):
        return self._act(room.lower_hand, _arg(data, "user", int))

    def on_react(self, data):
        return self._act(room.react, _arg(data, "emoji", str, ""))

    def on_mute(self, data):
        return self._act(room.set_muted, _arg(data, "user", int), _arg(data, "muted", bool, True))

    def on_remove(self, data):
        user_id = _arg(data, "user", int)
        answer = self._act(room.remove, user_id)
        if answer["ok"]:  # their connections close; on_disconnect tells the room they left
            for sid in room.sids_of(room.connection(request.sid).talk, user_id):
                disconnect(sid)
        return answer
