"""A burst of people entering at once against a real server on SQLite: every connection is
admitted (no "database is locked"), everyone is in the presence list, and the room's event
numbers have no gaps."""

import os
import threading
from datetime import timedelta

import socketio as python_socketio
from werkzeug.security import generate_password_hash

from stadtnetz import create_app
from stadtnetz.accounts.models import User
from stadtnetz.database import utcnow
from stadtnetz.extensions import db
from stadtnetz.forum.models import WorkingGroup
from stadtnetz.webtalks.models import Webtalk
from stadtnetz.webtalks.room_models import RoomConnection, RoomEvent
from tests.conftest import PASSWORD, config_for_tests, free_port
from tests.webtalks.test_two_processes import USER_AGENT, _logged_in_cookie, _serve

PEOPLE = 40


def _arrange(database_url: str) -> tuple[int, list[str]]:
    app = create_app(config_for_tests(SQLALCHEMY_DATABASE_URI=database_url, REDIS_URL=None))
    with app.app_context():
        db.create_all()
        password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")  # fast logins
        emails = [f"person{n}@example.org" for n in range(PEOPLE)]
        db.session.add_all(User(email=email, name=f"Person {n:02d}", email_confirmed_at=utcnow(),
                                password_hash=password_hash) for n, email in enumerate(emails))
        now = utcnow()
        talk = Webtalk(group=WorkingGroup(name="AG Andrang", slug="ag-andrang"), title="Andrang",
                       starts_at=now - timedelta(minutes=5), ends_at=now + timedelta(hours=1))
        db.session.add(talk)
        db.session.commit()
        talk_id = talk.id
        db.engine.dispose()
    return talk_id, emails


def _in_parallel(calls) -> None:
    threads = [threading.Thread(target=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)


def test_everyone_entering_at_once_gets_in(tmp_path):
    database_url = f"sqlite:///{tmp_path / 'burst.sqlite3'}"
    talk_id, emails = _arrange(database_url)
    env = {**os.environ, "STADTNETZ_DATABASE_URL": database_url, "STADTNETZ_SECRET_KEY": "s" * 40,
           "STADTNETZ_INSTANCE_PATH": str(tmp_path / "instance"), "STADTNETZ_RATELIMIT_ENABLED": "0"}
    env.pop("STADTNETZ_REDIS_URL", None)
    port = free_port()
    server = _serve(port, env, tmp_path / "server.log")
    clients, failures = [], []
    try:
        cookies = [_logged_in_cookie(port, email) for email in emails]
        start = threading.Barrier(PEOPLE)

        def enter(cookie: str) -> None:
            client = python_socketio.Client(reconnection=False)
            start.wait()
            try:
                client.connect(f"http://127.0.0.1:{port}", namespaces=["/webtalk"], transports=["websocket"],
                               headers={"Cookie": cookie, "User-Agent": USER_AGENT},
                               auth={"talk": talk_id}, wait_timeout=30)
                clients.append(client)
            except python_socketio.exceptions.ConnectionError as error:
                failures.append(str(error))

        _in_parallel([lambda cookie=cookie: enter(cookie) for cookie in cookies])
        assert failures == []
        assert len(clients) == PEOPLE

        app = create_app(config_for_tests(SQLALCHEMY_DATABASE_URI=database_url, REDIS_URL=None))
        with app.app_context():
            connected = db.session.scalars(db.select(RoomConnection.user_id).where(
                RoomConnection.webtalk_id == talk_id)).all()
            numbers = db.session.scalars(db.select(RoomEvent.seq).where(
                RoomEvent.webtalk_id == talk_id, RoomEvent.kind == "presence").order_by(RoomEvent.seq)).all()
            db.engine.dispose()
        assert len(set(connected)) == PEOPLE
        assert numbers == list(range(1, PEOPLE + 1))
        assert "database is locked" not in (tmp_path / "server.log").read_text()
    finally:
        _in_parallel([client.disconnect for client in clients])  # each waits for its socket to close
        server.terminate()
        server.wait(10)
