"""Leases of the live room's open connections, so a crashed server process leaves no ghosts.

Every connection row (``RoomConnection``) holds a lease: its process renews ``seen_at`` of the
connections it holds every ``RENEW_EVERY``; a row not renewed for ``LEASE`` belongs to a
process that died without running its disconnect handlers, and any process expires it as if
the connection had closed (the room hears who left). ``flask serve`` runs ``keep`` in a
thread: once at the start, then periodically.
"""

import logging
import threading
from datetime import timedelta

import sqlalchemy as sa
from flask import Flask

from ..database import utcnow
from ..extensions import db, socketio
from . import room
from .room_models import RoomConnection

log = logging.getLogger(__name__)

RENEW_EVERY = timedelta(seconds=30)
#: Three missed renewals: the process is gone.
LEASE = 3 * RENEW_EVERY
BATCH = 500  # sids per UPDATE, well below SQLite's parameter limit

_held: set[str] = set()
_held_lock = threading.Lock()


def opened(sid: str) -> None:
    """This process now holds connection ``sid`` (after its row is committed)."""
    with _held_lock:
        _held.add(sid)


def closed(sid: str) -> None:
    with _held_lock:
        _held.discard(sid)


def _held_now() -> list[str]:
    with _held_lock:
        return sorted(_held)


def renew() -> int:
    """Extend the lease of every connection this process holds; return how many."""
    sids = _held_now()
    now = utcnow()
    for start in range(0, len(sids), BATCH):
        batch = sids[start : start + BATCH]
        db.session.execute(sa.update(RoomConnection).where(RoomConnection.sid.in_(batch)).values(seen_at=now))
    db.session.commit()
    return len(sids)


def expire() -> list[dict]:
    """Close the connections whose lease ran out, each in its own transaction; return the
    presence events of the people who thereby left (already committed, not yet sent)."""
    held = set(_held_now())
    query = sa.select(RoomConnection.sid).where(RoomConnection.seen_at < utcnow() - LEASE)
    stale = [sid for sid in db.session.scalars(query) if sid not in held]
    db.session.rollback()  # end the read before the writes
    departures = []
    for sid in stale:
        event = room.leave(sid)
        message = event.message() if event is not None else None
        db.session.commit()
        if message is not None:
            departures.append({"talk": event.webtalk_id, **message})
    if stale:
        log.info("Expired %d room connection(s) of a stopped process", len(stale))
    return departures


def sweep() -> None:
    """One round: renew this process's leases, expire the others' lapsed ones, tell the rooms."""
    renew()
    for departure in expire():
        talk_id = departure.pop("talk")
        socketio.emit("event", departure, to=room.channel(talk_id), namespace=room.NAMESPACE)


def keep(app: Flask, stop: threading.Event) -> None:
    """Sweep at once (a restart cleans up after a crash), then every ``RENEW_EVERY``."""
    while True:
        with app.app_context():
            try:
                sweep()
            except Exception:
                log.exception("Sweeping the room connections failed; retrying")
                db.session.rollback()
            finally:
                db.session.remove()
        if stop.wait(RENEW_EVERY.total_seconds()):
            return


def start_thread(app: Flask) -> threading.Event:
    """Run ``keep`` in a daemon thread; set the returned event to stop it."""
    stop = threading.Event()
    threading.Thread(target=keep, args=(app, stop), name="webtalk-leases", daemon=True).start()
    return stop
