"""Connection leases: rows of a process that died expire, the room hears who left, and the
connections this process holds are renewed, never expired."""

import threading
from datetime import timedelta

from stadtnetz.database import utcnow
from stadtnetz.webtalks import leases, room
from stadtnetz.webtalks.room_models import RoomConnection, RoomEvent

NS = "/webtalk"


def _row(db, talk, user, sid, age):
    db.session.add(RoomConnection(sid=sid, webtalk_id=talk.id, user_id=user.id, seen_at=utcnow() - age))
    db.session.commit()


def _departures(client) -> list[dict]:
    return [
        r["args"][0]
        for r in client.get_received(NS)
        if r["name"] == "event" and r["args"][0]["kind"] == "presence" and not r["args"][0]["present"]
    ]


def test_lapsed_connections_of_a_dead_process_expire_and_the_room_hears_who_left(
    db, make_user, make_talk, room_client
):
    ada, ben, cem = make_user(name="Ada"), make_user(name="Ben"), make_user(name="Cem")
    talk = make_talk()
    here = room_client(talk, ada)  # held by this process
    _row(db, talk, ben, "crashed-process-sid", timedelta(minutes=5))
    _row(db, talk, cem, "live-process-sid", timedelta(seconds=10))
    held = db.session.scalar(db.select(RoomConnection).where(RoomConnection.user_id == ada.id))
    held.seen_at = utcnow() - timedelta(minutes=5)  # lapsed only because no renewal ran yet
    db.session.commit()
    here.get_received(NS)

    leases.sweep()

    db.session.expire_all()
    assert {p["name"] for p in room.presence(talk)} == {"Ada", "Cem"}
    assert db.session.get(RoomConnection, "crashed-process-sid") is None
    renewed = db.session.scalar(db.select(RoomConnection).where(RoomConnection.user_id == ada.id))
    assert renewed.seen_at > utcnow() - timedelta(seconds=30)
    left = _departures(here)
    assert [(e["user"]["name"], e["present"]) for e in left] == [("Ben", False)]
    stored = db.session.scalar(db.select(RoomEvent).where(RoomEvent.seq == left[0]["id"]))
    assert stored.kind == "presence" and stored.user_id == ben.id


def test_a_person_with_a_live_connection_elsewhere_stays_present(db, make_user, make_talk, room_client):
    ada, ben = make_user(name="Ada"), make_user(name="Ben")
    talk = make_talk()
    here = room_client(talk, ada)
    _row(db, talk, ben, "ben-on-the-dead-process", timedelta(minutes=5))
    _row(db, talk, ben, "ben-on-a-live-process", timedelta(seconds=5))
    here.get_received(NS)

    leases.sweep()

    db.session.expire_all()
    assert {p["name"] for p in room.presence(talk)} == {"Ada", "Ben"}
    assert db.session.get(RoomConnection, "ben-on-the-dead-process") is None
    assert _departures(here) == []


def test_a_starting_server_cleans_up_at_once(app, db, make_user, make_talk):
    ben = make_user(name="Ben")
    talk = make_talk()
    _row(db, talk, ben, "left-by-a-crash", timedelta(minutes=2))
    stop = threading.Event()
    stop.set()  # one round, as at the start, then stop

    leases.keep(app, stop)

    db.session.expire_all()
    assert db.session.get(RoomConnection, "left-by-a-crash") is None
    assert room.presence(talk) == []


def test_a_closed_connection_is_no_longer_held(make_user, make_talk, room_client):
    talk = make_talk()
    client = room_client(talk, make_user())
    assert len(leases._held_now()) == 1
    client.disconnect(namespace=NS)
    assert leases._held_now() == []
