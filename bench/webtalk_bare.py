"""The ceiling for ``bench/webtalk.py``: a bare python-socketio server doing the same broadcast.

Same stack as ``flask serve`` (threading mode, WebSocket through simple-websocket, Werkzeug's
threaded server, the same GIL switch interval) but no app: no login, no database, no
rendering. Every connection joins one room; a ``chat`` is sent to the room at once, shaped like
the Stadtnetz room's event.

    .venv/bin/python bench/webtalk_bare.py --port 5050
"""

import argparse
import itertools
import sys
from html import escape

import socketio
from werkzeug.serving import run_simple

from stadtnetz.cli import SWITCH_INTERVAL

server = socketio.Server(async_mode="threading")
ids = itertools.count(1)


@server.on("connect", namespace="/webtalk")
def connect(sid, _environ, _auth=None):
    server.enter_room(sid, "room", namespace="/webtalk")


@server.on("chat", namespace="/webtalk")
def chat(_sid, data):
    event = {"id": next(ids), "kind": "chat", "html": f"<p>{escape(data['text'])}</p>"}
    server.emit("event", event, to="room", namespace="/webtalk")
    return {"ok": True, "id": event["id"]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    port = parser.parse_args().port
    sys.setswitchinterval(SWITCH_INTERVAL)
    run_simple("127.0.0.1", port, socketio.WSGIApp(server), threaded=True)


if __name__ == "__main__":
    main()
