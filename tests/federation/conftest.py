"""The two-instance harness: Stadtnetz A and B as real HTTP servers on loopback.

Each instance is a full app with its own database (SQLite file, or its own PostgreSQL database
beside ``STADTNETZ_TEST_DATABASE_URL``), its own keys, its own port and
``BASE_URL = http://127.0.0.1:<port>``, federating openly and allowed to reach loopback. The
server runs in a thread; tests do their database work inside ``with instance.context():`` and
run the workers of one instance by hand (``instance.run_queue(...)``, ``settle(a, b)``) or as a
real ``flask --app stadtnetz federation worker`` process that can be killed with SIGKILL.
"""

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from werkzeug.serving import make_server

from stadtnetz import create_app, outbox
from stadtnetz.extensions import db
from tests.conftest import TEST_DATABASE_URL, config_for_tests

REPO = Path(__file__).resolve().parents[2]
FLASK = str(Path(sys.executable).with_name("flask"))
FEDERATION_QUEUES = ("federation_delivery", "federation_inbox")


class _LateApp:
    """A WSGI callable whose app is set after the server knows its port (no port race)."""

    app: Flask | None = None

    def __call__(self, environ, start_response):
        return self.app(environ, start_response)


def _database_url(tmp_path: Path, name: str) -> str:
    """A fresh database for instance ``name``: a SQLite file, or a PostgreSQL database."""
    if not TEST_DATABASE_URL:
        return f"sqlite:///{tmp_path / name / 'stadtnetz.sqlite3'}"
    base = sa.make_url(TEST_DATABASE_URL)
    database = f"{base.database}_fed_{name}"
    engine = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{database}"'))
    engine.dispose()
    return base.set(database=database).render_as_string(hide_password=False)


class Instance:
    """One Stadtnetz instance served on 127.0.0.1, with its worker process when started."""

    def __init__(self, name: str, tmp_path: Path):
        self.name = name
        self.folder = tmp_path / name
        self.folder.mkdir(parents=True, exist_ok=True)
        self._wsgi = _LateApp()
        self.server = make_server("127.0.0.1", 0, self._wsgi, threaded=True)
        self.port = self.server.port
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.host = f"127.0.0.1:{self.port}"
        self.settings = {
            "BASE_URL": self.base_url,
            "SERVER_NAME": self.host,
            "PREFERRED_URL_SCHEME": "http",
            "SECRET_KEY": f"federation-test-secret-{name}-" + "x" * 32,
            "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path, name),
            "SEARCH_INDEX_DIR": str(self.folder / "search-index"),
            "ATTACHMENT_DIR": str(self.folder / "attachments"),
            "MAIL_DIR": str(self.folder / "mail"),
            "MAIL_URL": None,
            "FEDERATION": "open",
            "FEDERATION_ALLOW_LOOPBACK": True,
        }
        self.app = create_app(config_for_tests(**self.settings))
        self._wsgi.app = self.app
        with self.context():
            db.create_all()
        self._thread = threading.Thread(target=self.server.serve_forever, name=f"instance-{name}",
                                        daemon=True)
        self._thread.start()
        self.worker: subprocess.Popen | None = None
        #: What the worker processes printed (read it when a test fails).
        self.worker_log = self.folder / "worker.log"

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    @contextmanager
    def context(self) -> Iterator[Flask]:
        """An app context of this instance; its session is committed on a clean exit."""
        with self.app.app_context():
            yield self.app
            db.session.commit()

    def client(self):
        """A Flask test client of this instance (requests run in their own app context)."""
        return self.app.test_client()

    def run_queue(self, queue: str, rounds: int = 20) -> int:
        """Run the due jobs of ``queue`` until none is left due; return how many succeeded."""
        done = 0
        with self.app.app_context():
            for _round in range(rounds):
                ran = outbox.run_pending(queue)
                done += ran
                if not ran:
                    break
            db.session.remove()
        return done

    def pending(self, queue: str) -> int:
        with self.app.app_context():
            return outbox.pending_count(queue)

    def environment(self) -> dict[str, str]:
        """The environment a worker process of this instance needs: the same settings."""
        env = {key: value for key, value in os.environ.items() if not key.startswith("STADTNETZ_")}
        env.update({
            "STADTNETZ_INSTANCE_PATH": str(self.folder / "instance"),
            "STADTNETZ_BASE_URL": self.base_url,
            "STADTNETZ_SECRET_KEY": self.settings["SECRET_KEY"],
            "STADTNETZ_DATABASE_URL": self.settings["SQLALCHEMY_DATABASE_URI"],
            "STADTNETZ_SEARCH_INDEX_DIR": self.settings["SEARCH_INDEX_DIR"],
            "STADTNETZ_ATTACHMENT_DIR": self.settings["ATTACHMENT_DIR"],
            "STADTNETZ_FEDERATION": "open",
            "STADTNETZ_FEDERATION_ALLOW_LOOPBACK": "1",
            "STADTNETZ_RATELIMIT_ENABLED": "0",
            "PYTHONUNBUFFERED": "1",
        })
        return env

    def start_worker(self, *extra_args: str) -> subprocess.Popen:
        """Start ``flask --app stadtnetz federation worker`` for this instance (output in
        ``worker_log``)."""
        self.stop_worker()
        with open(self.worker_log, "ab") as log:  # the child keeps its own copy of the handle
            self.worker = subprocess.Popen(
                [FLASK, "--app", "stadtnetz", "federation", "worker", *extra_args],
                cwd=REPO, env=self.environment(), stdout=log, stderr=subprocess.STDOUT,
            )
        return self.worker

    def kill_worker(self) -> None:
        """SIGKILL the worker: no clean-up, no chance to finish what it holds."""
        if self.worker and self.worker.poll() is None:
            self.worker.send_signal(signal.SIGKILL)
            self.worker.wait(timeout=10)

    def stop_worker(self) -> None:
        if self.worker and self.worker.poll() is None:
            self.worker.terminate()
            try:
                self.worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill_worker()
        self.worker = None

    def close(self) -> None:
        self.stop_worker()
        self.server.shutdown()
        self.server.server_close()
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()


def run_queue(instance: Instance, queue: str = "federation_delivery") -> int:
    """Run the due jobs of one queue of ``instance`` (the contract's spelling)."""
    return instance.run_queue(queue)


def settle(*instances: Instance, rounds: int = 10) -> None:
    """Run the federation queues of every instance until none of them does anything more."""
    for _round in range(rounds):
        if not sum(i.run_queue(q) for i in instances for q in FEDERATION_QUEUES if q in outbox.queues()):
            return
    raise AssertionError("the federation queues did not settle")


def wait_until(condition, timeout: float = 20.0, interval: float = 0.1):
    """Poll ``condition`` until it returns something true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")


@pytest.fixture
def instances(tmp_path) -> Iterator[tuple[Instance, Instance]]:
    """Instances A and B, serving on loopback; closed (and their workers stopped) afterwards."""
    a = Instance("a", tmp_path)
    b = Instance("b", tmp_path)
    yield a, b
    b.close()
    a.close()


@pytest.fixture
def instance_a(instances) -> Instance:
    return instances[0]


@pytest.fixture
def instance_b(instances) -> Instance:
    return instances[1]
