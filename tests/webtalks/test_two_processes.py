"""Two real server processes sharing one database and Redis: a chat message written on one
reaches a client connected to the other (python-socketio client, real HTTP login)."""

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
import socketio as python_socketio
from werkzeug.security import generate_password_hash

from stadtnetz import create_app
from stadtnetz.database import utcnow
from stadtnetz.extensions import db
from stadtnetz.forum.models import WorkingGroup
from stadtnetz.webtalks.models import Webtalk
from tests.conftest import PASSWORD, config_for_tests, free_port

FLASK = str(Path(sys.executable).with_name("flask"))


def _arrange(database_url: str) -> tuple[int, list[str]]:
    """Create the schema, two users and a running talk; return the talk's id and the addresses."""
    from datetime import timedelta

    from stadtnetz.accounts.models import User

    app = create_app(config_for_tests(SQLALCHEMY_DATABASE_URI=database_url, REDIS_URL=None))
    with app.app_context():
        db.create_all()
        emails = ["ada@example.org", "ben@example.org"]
        for email in emails:
            db.session.add(User(email=email, name=email.split("@")[0].title(), email_confirmed_at=utcnow(),
                                password_hash=generate_password_hash(PASSWORD)))
        group = WorkingGroup(name="AG Redis", slug="ag-redis")
        now = utcnow()
        talk = Webtalk(group=group, title="Zwei Prozesse", starts_at=now - timedelta(minutes=5),
                       ends_at=now + timedelta(hours=1))
        db.session.add(talk)
        db.session.commit()
        talk_id = talk.id
        db.engine.dispose()
    return talk_id, emails


def _serve(port: int, env: dict, log: Path) -> subprocess.Popen:
    with log.open("w") as output:
        process = subprocess.Popen([FLASK, "--app", "stadtnetz", "serve", "--port", str(port)], env=env,
                                   stdout=output, stderr=subprocess.STDOUT)
    for _ in range(300):
        try:
            requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return process
        except requests.RequestException:
            time.sleep(0.1)
    process.kill()
    process.wait()
    raise RuntimeError(f"server on port {port} did not start: {log.read_text()[-2000:]}")


#: Flask-Login's strong session protection ties the session to the browser's user agent.
USER_AGENT = "stadtnetz-two-process-test"


def _logged_in_cookie(port: int, email: str) -> str:
    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    page = session.get(f"http://127.0.0.1:{port}/anmelden", timeout=5).text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page)
    response = session.post(f"http://127.0.0.1:{port}/anmelden", timeout=5, allow_redirects=False,
                            data={"csrf_token": token.group(1), "email": email, "password": PASSWORD})
    assert response.status_code == 302, "login failed"
    return f"session={session.cookies['session']}"


@pytest.mark.redis
def test_chat_reaches_a_client_on_the_other_process(tmp_path):
    redis_url = os.environ["STADTNETZ_TEST_REDIS_URL"]
    database_url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    talk_id, emails = _arrange(database_url)
    env = {**os.environ, "STADTNETZ_DATABASE_URL": database_url, "STADTNETZ_REDIS_URL": redis_url,
           "STADTNETZ_SECRET_KEY": "s" * 40, "STADTNETZ_INSTANCE_PATH": str(tmp_path / "instance"),
           "STADTNETZ_RATELIMIT_ENABLED": "0"}
    ports = [free_port(), free_port()]
    servers, clients = [], []
    try:
        for port in ports:
            servers.append(_serve(port, env, tmp_path / f"server-{port}.log"))
        received = threading.Event()
        messages = []

        def on_event(event):
            if event["kind"] == "chat":
                messages.append(event)
                received.set()

        for port, email in zip(ports, emails, strict=True):
            client = python_socketio.Client()
            client.on("event", on_event if email == emails[1] else (lambda _e: None), namespace="/webtalk")
            headers = {"Cookie": _logged_in_cookie(port, email), "User-Agent": USER_AGENT}
            client.connect(f"http://127.0.0.1:{port}", namespaces=["/webtalk"], transports=["websocket"],
                           headers=headers, auth={"talk": talk_id}, wait_timeout=5)
            clients.append(client)
        ack = clients[0].call("chat", {"text": "Hallo von Prozess eins"}, namespace="/webtalk", timeout=5)
        assert ack["ok"] is True
        assert received.wait(5), "the chat did not cross to the other process"
        assert messages[0]["html"] == "<p>Hallo von Prozess eins</p>" and messages[0]["user"]["name"] == "Ada"
    finally:
        for client in clients:
            client.disconnect()
        for server in servers:
            server.terminate()
            server.wait(10)
