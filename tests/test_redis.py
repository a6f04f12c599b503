"""With Redis configured, rate limits and Socket.IO messages hold across app processes.

Each test uses its own key prefix and deletes only the keys it made. Socket.IO publishes on
Redis channels and stores nothing.
"""

import json
import secrets
import subprocess
import sys
import time

import pytest
import redis
from socketio.redis_manager import RedisManager

from stadtnetz import create_app
from stadtnetz.extensions import db, socketio
from tests.conftest import config_for_tests
from tests.services import service_setting

pytestmark = pytest.mark.redis

SOCKETIO_CHANNEL = "flask-socketio"  # Flask-SocketIO's default
WRONG_LOGIN = {"email": "niemand@example.org", "password": "falsch-falsch-falsch"}


@pytest.fixture
def redis_url() -> str:
    """The Redis server from ``STADTNETZ_TEST_REDIS_URL``."""
    return service_setting("redis")


@pytest.fixture
def connection(redis_url):
    """A Redis connection of the test's own, to look at what the app stored."""
    client = redis.Redis.from_url(redis_url)
    yield client
    client.close()


@pytest.fixture
def key_prefix(connection):
    """A rate-limit key prefix of this test's own; its keys are deleted afterwards."""
    prefix = f"stadtnetz-test-{secrets.token_hex(4)}"
    yield prefix
    for key in connection.scan_iter(f"*{prefix}*"):
        connection.delete(key)


@pytest.fixture
def make_app(tmp_path, redis_url, key_prefix):
    """Make apps as separate app processes would run: on one Redis (and one SQLite file)."""

    def make():
        app = create_app(
            config_for_tests(
                SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'redis.sqlite3'}",
                REDIS_URL=redis_url,
                RATELIMIT_STORAGE_URI=redis_url,
                RATELIMIT_ENABLED=True,
                RATELIMIT_KEY_PREFIX=key_prefix,
                # A sliding window, so the test cannot straddle the start of a new minute.
                RATELIMIT_STRATEGY="moving-window",
            )
        )
        with app.app_context():
            db.create_all()
        return app

    return make


def test_the_login_limit_is_counted_in_redis_and_binds_every_app_process(make_app, connection, key_prefix):
    first = make_app().test_client()
    answers = [first.post("/anmelden", data=WRONG_LOGIN) for _ in range(11)]

    assert [answer.status_code for answer in answers] == [200] * 10 + [429]
    assert "Zu viele Anfragen" in answers[-1].get_data(as_text=True)
    assert connection.keys(f"*{key_prefix}*accounts.login*"), "no rate-limit counter in Redis"

    second = make_app().test_client()  # a fresh app: its limiter storage starts empty
    answer = second.post("/anmelden", data=WRONG_LOGIN)
    assert answer.status_code == 429
    assert "Zu viele Anfragen" in answer.get_data(as_text=True)


class EngineIOPolling:
    """A Socket.IO client speaking the long-polling transport through the Flask test client."""

    def __init__(self, client):
        self.client = client
        self.sid = None  # the handshake below runs without one
        self.sid = json.loads(self.request("GET")[0][1:])["sid"]

    def request(self, method: str, data: str | None = None) -> list[str]:
        """One polling request (a GET waits for news); the Engine.IO packets of the answer."""
        query = "EIO=4&transport=polling" + (f"&sid={self.sid}" if self.sid else "")
        response = self.client.open(f"/socket.io/?{query}", method=method, data=data)
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_data(as_text=True).split("\x1e")

    def connect(self) -> None:
        """Join the default namespace and wait for the server's acknowledgement."""
        self.request("POST", "40")
        assert self.request("GET")[0].startswith("40")

    def receive(self) -> list[list]:
        """Wait for the next events: each as [name, *arguments]."""
        return [json.loads(packet[2:]) for packet in self.request("GET") if packet.startswith("42")]

    def close(self) -> None:
        """End the Engine.IO session."""
        self.request("POST", "1")


def subscribers(connection: redis.Redis) -> int:
    """How many listeners the Socket.IO channel has on this Redis (other test runs count too)."""
    return dict(connection.pubsub_numsub(SOCKETIO_CHANNEL))[SOCKETIO_CHANNEL.encode()]


def wait_for_subscribers(connection: redis.Redis, more_than: int) -> None:
    """Wait (up to 10 s) until the app's Redis listener has subscribed."""
    deadline = time.monotonic() + 10
    while subscribers(connection) <= more_than:
        assert time.monotonic() < deadline, "the app never subscribed to the Socket.IO channel"
        time.sleep(0.05)


def test_a_socketio_message_emitted_by_another_process_reaches_a_connected_client(
    make_app, connection, redis_url
):
    before = subscribers(connection)
    app = make_app()
    assert isinstance(socketio.server.manager, RedisManager)
    client = EngineIOPolling(app.test_client())
    client.connect()
    wait_for_subscribers(connection, more_than=before)
    text = f"Hallo aus einem anderen Prozess {secrets.token_hex(4)}"

    # What a worker process does: a write-only Socket.IO on the same Redis, no app at all.
    emitter = (
        "import sys; from flask_socketio import SocketIO; "
        "SocketIO(message_queue=sys.argv[1]).emit('announcement', {'text': sys.argv[2]})"
    )
    subprocess.run([sys.executable, "-c", emitter, redis_url, text], check=True, timeout=60)

    assert client.receive() == [["announcement", {"text": text}]]
    client.close()
