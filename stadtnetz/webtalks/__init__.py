"""Webtalks: scheduled online talks with registration, calendars, and a live room over
Socket.IO (``events.py``) whose record becomes the talk's archive."""

from flask import Blueprint

bp = Blueprint("webtalks", __name__)


@bp.record_once
def _set_up(state) -> None:
    """Attach the live room's Socket.IO namespace."""
    from ..extensions import socketio
    from .events import RoomNamespace
    from .room import NAMESPACE

    socketio.on_namespace(RoomNamespace(NAMESPACE))


from . import calendar_routes, privacy, reminders, room_routes, routes  # noqa: E402,F401  (routes register on bp)
