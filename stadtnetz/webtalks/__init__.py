"""Webtalks: scheduled online talks with registration, calendars, and a live room over
Socket.IO (``events.py``) whose record becomes the talk's archive."""

import os

from flask import Blueprint

bp = Blueprint("webtalks", __name__)


@bp.record_once
def _set_up(state) -> None:
    """Read the embeddable stage origins and attach the live room's Socket.IO namespace.

    ``STADTNETZ_WEBTALK_EMBED_ORIGINS`` lists, comma-separated, the origins (``https://host``)
    whose stages the room may show in a frame; any other stage is shown as a link.
    """
    from ..extensions import socketio
    from .events import RoomNamespace

    app = state.app
    origins = os.environ.get("STADTNETZ_WEBTALK_EMBED_ORIGINS", "")
    app.config.setdefault(
        "WEBTALK_EMBED_ORIGINS", [o.strip().rstrip("/") for o in origins.split(",") if o.strip()]
    )
    socketio.on_namespace(RoomNamespace("/webtalk"))


from . import calendar_routes, privacy, reminders, room_routes, routes  # noqa: E402,F401  (routes register on bp)
