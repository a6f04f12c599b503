"""Webtalk room benchmark: one chat message broadcast to 100, 500 and 1,000 clients in one room.

For each size it measures, per delivered copy, the time from sending the message to its
arrival at the client (p50/p95/p99) and the deliveries per second, against three servers
started fresh for the run, all on loopback:

- ``stadtnetz``: one ``flask serve`` process (SQLite; each message is authorised, rendered
  and stored before it is sent);
- ``stadtnetz 2x redis``: two ``flask serve`` processes over Redis, the clients split evenly
  and the sender on the first (needs ``--redis``);
- ``bare``: a bare python-socketio server (``webtalk_bare.py``) on the same stack, the ceiling.

The clients are the official JavaScript client (npm ``socket.io-client``, pinned in
``bench/package.json``: ``npm ci --prefix bench`` once) in one Node process
(``webtalk_clients.js``), WebSocket transport without per-message compression: Node decodes a
copy in a few dozen microseconds, so the generator costs the shared two CPUs far less than the
servers do. The room's clients share one account (like many tabs); five sender accounts take
turns, so the room's chat rate limit (5 messages per 10 seconds and person) is never reached.
Before each size the servers' outbox workers finish the new talk's jobs (its search indexing),
so that work does not land in the measurement. "spread" is the median time from the first to
the last copy of one broadcast: the fan-out. Run from the project root:

    .venv/bin/python bench/webtalk.py --redis redis://127.0.0.1:6379/0
    .venv/bin/python bench/webtalk.py --sizes 50 --messages 5        # a smoke run
"""

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import requests
import sqlalchemy as sa
from measure import percentiles
from werkzeug.security import generate_password_hash

from stadtnetz import create_app
from stadtnetz.accounts.models import User
from stadtnetz.database import utcnow
from stadtnetz.extensions import db
from stadtnetz.forum.models import WorkingGroup
from stadtnetz.outbox import OutboxJob
from stadtnetz.webtalks.models import Webtalk

ROOT = Path(__file__).resolve().parent.parent
FLASK = str(Path(sys.executable).with_name("flask"))
PASSWORD = "bench-passwort-123"
USER_AGENT = "stadtnetz-bench"  # strong session protection ties a session to its user agent
SENDERS = 5
# Joining writes to the database (the open connection); SQLite takes one writer at a time.
CONNECT_AT_ONCE = 10
PAUSE_MS = 500  # five senders in turn stay under the chat rate limit
NODE = shutil.which("node") or "node"
CLIENTS = ROOT / "bench" / "webtalk_clients.js"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server on port {port} exited with {process.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"server on port {port} did not start")


class Servers:
    """Server processes started for one configuration, stopped on exit."""

    def __init__(self, commands: list[list[str]], env: dict):
        self.ports = [free_port() for _ in commands]
        self.processes = [
            subprocess.Popen([*command, "--port", str(port)], env=env, cwd=ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for command, port in zip(commands, self.ports, strict=True)
        ]

    def __enter__(self) -> list[int]:
        for port, process in zip(self.ports, self.processes, strict=True):
            wait_for_port(port, process)
        return self.ports

    def __exit__(self, *_exc) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.wait(30)


def prepare_database(database_url: str) -> None:
    """The schema, the listening account and the sender accounts."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "REDIS_URL": None})
    with app.app_context():
        db.create_all()
        password_hash = generate_password_hash(PASSWORD)
        for n in range(SENDERS + 1):
            db.session.add(User(email=f"bench{n}@example.org", name=f"Bench {n}", email_confirmed_at=utcnow(),
                                password_hash=password_hash))
        db.session.add(WorkingGroup(name="Benchmark", slug="benchmark"))
        db.session.commit()
        db.engine.dispose()


def new_talk(database_url: str) -> int:
    """A running talk with an empty room, so joining clients replay no history."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "REDIS_URL": None})
    with app.app_context():
        now = utcnow()
        group = db.session.scalar(db.select(WorkingGroup))
        talk = Webtalk(group=group, title="Benchmark", starts_at=now - timedelta(minutes=5),
                       ends_at=now + timedelta(hours=2))
        db.session.add(talk)
        db.session.commit()
        talk_id = talk.id
        db.engine.dispose()
    return talk_id


def wait_for_outbox(database_url: str, seconds: float = 120) -> None:
    """Until the servers' outbox workers have done the due jobs of the new talk (its search
    indexing loads the compound lexicon: seconds of CPU that would land in the measurement)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "REDIS_URL": None})
    due = sa.select(sa.func.count(OutboxJob.id)).where(
        OutboxJob.done_at.is_(None), OutboxJob.failed_at.is_(None))
    deadline = time.monotonic() + seconds
    with app.app_context():
        while db.session.scalar(due.where(OutboxJob.run_after <= utcnow())):
            db.session.rollback()
            if time.monotonic() > deadline:
                raise RuntimeError("the servers' outbox workers did not finish their jobs")
            time.sleep(0.2)
        db.engine.dispose()


def session_cookie(port: int, email: str) -> str:
    """Log in through the form, as a browser does; the cookie for the socket."""
    http = requests.Session()
    http.headers["User-Agent"] = USER_AGENT
    page = http.get(f"http://127.0.0.1:{port}/anmelden", timeout=30).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    http.post(f"http://127.0.0.1:{port}/anmelden", timeout=30, allow_redirects=False,
              data={"csrf_token": token, "email": email, "password": PASSWORD})
    return f"session={http.cookies['session']}"


def measure(ports: list[int], cookies: dict, talk_id: int, size: int, messages: int) -> dict:
    """Connect ``size`` listeners (spread over ``ports``) and time ``messages`` broadcasts."""
    plan = {
        "listeners": [{"url": f"http://127.0.0.1:{ports[n % len(ports)]}",
                       "cookie": cookies.get((ports[n % len(ports)], "listener"))} for n in range(size)],
        "senders": [{"url": f"http://127.0.0.1:{ports[0]}", "cookie": cookies.get((ports[0], f"sender{n}"))}
                    for n in range(SENDERS)],
        "talk": talk_id, "messages": messages, "pause_ms": PAUSE_MS, "connect_at_once": CONNECT_AT_ONCE,
        "user_agent": USER_AGENT,
    }
    run = subprocess.run([NODE, str(CLIENTS)], input=json.dumps(plan), capture_output=True, text=True,
                         cwd=ROOT, timeout=600)
    if run.returncode != 0:
        raise RuntimeError(f"room clients failed: {run.stderr[-2000:]}")
    result = json.loads(run.stdout)
    latencies = [ms / 1000 for message in result["latencies_ms"] for ms in message]
    rates = sorted(size / (max(message) / 1000) for message in result["latencies_ms"])
    spreads = sorted(result["spreads_ms"])
    return {**percentiles(latencies), "deliveries_per_s": rates[len(rates) // 2],
            "spread_ms": spreads[len(spreads) // 2], "connect_retries": result["connect_retries"]}


def run_configuration(name: str, commands: list[list[str]], env: dict, database_url: str | None,
                      sizes: list[int], messages: int) -> list[dict]:
    rows = []
    with Servers(commands, env) as ports:
        cookies = {}
        if database_url:
            for port in ports:
                cookies[(port, "listener")] = session_cookie(port, "bench0@example.org")
                for n in range(SENDERS):
                    cookies[(port, f"sender{n}")] = session_cookie(port, f"bench{n + 1}@example.org")
        for size in sizes:
            talk_id = 0
            if database_url:
                talk_id = new_talk(database_url)
                wait_for_outbox(database_url)
            result = measure(ports, cookies, talk_id, size, messages)
            rows.append({"server": name, "clients": size, **result})
            print(f"{name:22} {size:6d}  p50 {result['p50']:7.1f} ms  p95 {result['p95']:7.1f} ms  "
                  f"p99 {result['p99']:7.1f} ms  spread {result['spread_ms']:6.1f} ms  "
              f"{result['deliveries_per_s']:7.0f} deliveries/s  "
                  f"({result['connect_retries']} connection retries)", flush=True)
    return rows


def main() -> None:
    if not (ROOT / "bench" / "node_modules" / "socket.io-client").is_dir():
        sys.exit("bench/webtalk.py needs socket.io-client: run `npm ci --prefix bench` first")
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 500, 1000])
    parser.add_argument("--messages", type=int, default=20, help="broadcasts per size")
    parser.add_argument("--redis", help="Redis URL for the two-process configuration")
    parser.add_argument("--servers", nargs="+", choices=["bare", "stadtnetz", "redis"],
                        default=["bare", "stadtnetz", "redis"], help="configurations to run")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        database_url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        prepare_database(database_url)
        env = {**os.environ, "STADTNETZ_DATABASE_URL": database_url, "STADTNETZ_SECRET_KEY": "b" * 40,
               "STADTNETZ_INSTANCE_PATH": str(Path(tmp) / "instance"), "STADTNETZ_RATELIMIT_ENABLED": "0"}
        env.pop("STADTNETZ_REDIS_URL", None)
        serve = [FLASK, "--app", "stadtnetz", "serve"]
        print(f"{'server':22} {'clients':>6}  latency from send to arrival, {args.messages} broadcasts each")
        bare = [[sys.executable, "bench/webtalk_bare.py"]]
        rows = []
        if "bare" in args.servers:
            rows += run_configuration("bare python-socketio", bare, env, None, args.sizes, args.messages)
        if "stadtnetz" in args.servers:
            rows += run_configuration("stadtnetz", [serve], env, database_url, args.sizes, args.messages)
        if args.redis and "redis" in args.servers:
            redis_env = {**env, "STADTNETZ_REDIS_URL": args.redis}
            rows += run_configuration("stadtnetz 2x redis", [serve, serve], redis_env, database_url,
                                      args.sizes, args.messages)
    ceiling = {row["clients"]: row["p95"] for row in rows if row["server"].startswith("bare")}
    print("\np95 compared with the bare server:")
    for row in rows:
        if not row["server"].startswith("bare") and row["clients"] in ceiling:
            print(f"{row['server']:22} {row['clients']:6d}  {row['p95'] / ceiling[row['clients']]:.2f}x")


if __name__ == "__main__":
    main()
