"""Federation benchmark: one practice delivered to 1,000 inboxes served on loopback.

A Stadtnetz app (temporary SQLite, ``FEDERATION=open``, loopback allowed) has an organisation
with ``--inboxes`` remote followers, each with its own inbox, spread over ``--hosts`` receiving
servers. The receivers run in a child process (so they do not share the sender's interpreter
lock) and answer 202 at once, keeping nothing. The run measures

- publishing: the transaction that publishes the practice and writes one delivery job per inbox;
- delivery: the federation worker's loop (``outbox.run_pending``) until every job is done, as
  ``flask federation worker`` runs it: wall time, deliveries/s and the sender's CPU time;
- signing: ``sign_headers`` (draft-cavage rsa-sha256 with Digest) per request, on its own;
- the baseline, in the same run: the same body POSTed unsigned to the same inboxes with the
  same HTTP client (urllib3, one connection per request), no queue, no database, no signing.

    .venv/bin/python bench/federation.py                 # 1,000 inboxes on 10 hosts
    .venv/bin/python bench/federation.py --inboxes 200   # a quick run
"""

import argparse
import json
import multiprocessing
import os
import socket
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa
import urllib3

from stadtnetz import create_app, outbox
from stadtnetz.accounts.models import Organisation, OrganisationType
from stadtnetz.extensions import db
from stadtnetz.federation import delivery, keys
from stadtnetz.federation.actors import local_actor_for
from stadtnetz.federation.follows import Follower, local_key
from stadtnetz.federation.remote_actors import RemoteActor
from stadtnetz.federation.signatures import sign_headers
from stadtnetz.outbox import OutboxJob
from stadtnetz.practices import services


def free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    for probe in sockets:
        probe.bind(("127.0.0.1", 0))
    ports = [probe.getsockname()[1] for probe in sockets]
    for probe in sockets:
        probe.close()
    return ports


def serve_inboxes(ports: list[int], ready) -> None:
    """The receivers: a threaded Werkzeug server per port answering 202 to every POST."""
    import logging
    import threading

    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    def accept(environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        environ["wsgi.input"].read(length)
        start_response("202 Accepted", [("Content-Length", "0")])
        return [b""]

    servers = [make_server("127.0.0.1", port, accept, threaded=True) for port in ports]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    ready.set()
    threading.Event().wait()


def build_app(folder: Path):
    return create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}",
        "SECRET_KEY": "federation-bench-secret-key-of-sufficient-length",
        "BASE_URL": "http://127.0.0.1:5999",
        "SERVER_NAME": "127.0.0.1:5999",
        "FEDERATION": "open",
        "FEDERATION_ALLOW_LOOPBACK": True,
        "RATELIMIT_ENABLED": False,
        "SEARCH_INDEX_DIR": str(folder / "index"),
        "MAIL_DIR": str(folder / "mail"),
    })


def add_followers(organisation: Organisation, inboxes: list[str]) -> None:
    kind, local_id = local_key(local_actor_for(organisation))
    for n, inbox in enumerate(inboxes):
        uri = inbox.removesuffix("/inbox")
        db.session.add(RemoteActor(uri=uri, type="Person", inbox=inbox, key_id=f"{uri}#main-key",
                                   public_key_pem="-", instance_host=uri.split("/")[2]))
        db.session.add(Follower(local_kind=kind, local_id=local_id, actor_uri=uri, follow_id=f"{uri}/f/{n}"))
    db.session.commit()


def measure_signing(actor, inbox: str, body: bytes, rounds: int) -> dict[str, float]:
    key = keys.private_key(actor)
    start_cpu, start = time.process_time(), time.perf_counter()
    for _ in range(rounds):
        sign_headers("POST", inbox, body, actor.key_id, key)
    return {"wall_ms": (time.perf_counter() - start) / rounds * 1000,
            "cpu_ms": (time.process_time() - start_cpu) / rounds * 1000}


def baseline(inboxes: list[str], body: bytes) -> dict[str, float]:
    """Unsigned POSTs of the same body, one connection per request, no queue or database."""
    start_cpu, start = time.process_time(), time.perf_counter()
    for inbox in inboxes:
        parts = urllib3.util.parse_url(inbox)
        with urllib3.HTTPConnectionPool(parts.host, parts.port, retries=False, maxsize=1) as pool:
            response = pool.urlopen("POST", parts.path, body=body,
                                    headers={"Content-Type": "application/activity+json"})
            assert response.status == 202, response.status
    wall = time.perf_counter() - start
    return {"wall_s": wall, "per_s": len(inboxes) / wall, "cpu_s": time.process_time() - start_cpu}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inboxes", type=int, default=1000)
    parser.add_argument("--hosts", type=int, default=10)
    parser.add_argument("--sign-rounds", type=int, default=1000)
    args = parser.parse_args()

    ports = free_ports(args.hosts)
    inboxes = [f"http://127.0.0.1:{ports[n % args.hosts]}/users/u{n}/inbox" for n in range(args.inboxes)]
    ready = multiprocessing.Event()
    receivers = multiprocessing.Process(target=serve_inboxes, args=(ports, ready), daemon=True)
    receivers.start()
    ready.wait(30)

    with tempfile.TemporaryDirectory() as tmp, build_app(Path(tmp)).app_context():
        db.create_all()
        organisation = Organisation(name="Stadt Bench", slug="bench", type=OrganisationType.KOMMUNE)
        db.session.add(organisation)
        db.session.flush()
        add_followers(organisation, inboxes)
        actor = local_actor_for(organisation)
        keys.private_key(actor)  # the key exists before the clock starts
        db.session.commit()

        start = time.perf_counter()
        practice = services.create_practice(None, organisation, {
            "title": "Leerstandskataster mit Eigentümeransprache",
            "teaser": "Ein Kataster für alle Läden.",
            "situation": "Viele Läden standen leer. " * 20,
            "implementation": "Erfasst und angesprochen. " * 20,
            "topics": ["leerstand", "digitalisierung"]})
        services.publish_practice(None, practice)
        db.session.commit()
        publish_s = time.perf_counter() - start
        jobs = db.session.scalar(sa.select(sa.func.count(OutboxJob.id)).filter_by(queue=delivery.QUEUE))
        sent = db.session.scalar(sa.select(delivery.activities.SentActivity))
        body = json.dumps(sent.json, separators=(",", ":")).encode()

        start_cpu, start = time.process_time(), time.perf_counter()
        delivered = 0
        while (done := outbox.run_pending(delivery.QUEUE, limit=200)):
            delivered += done
        wall = time.perf_counter() - start
        cpu = time.process_time() - start_cpu
        failed = outbox.pending_count(delivery.QUEUE)

        signing = measure_signing(actor, inboxes[0], body, args.sign_rounds)
        base = baseline(inboxes, body)

    receivers.terminate()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"Federation delivery: {args.inboxes} inboxes on {args.hosts} loopback hosts, "
          f"activity {len(body)} bytes, {os.cpu_count()} CPUs, load {load}")
    print(f"  publish + {jobs} delivery jobs in one transaction: {publish_s * 1000:.0f} ms")
    print(f"  Stadtnetz worker: {delivered} delivered in {wall:.2f} s = {delivered / wall:.0f} deliveries/s, "
          f"sender CPU {cpu:.2f} s ({cpu / max(delivered, 1) * 1000:.2f} ms each), not delivered: {failed}")
    print(f"  signing per request (rsa-sha256 + Digest): {signing['wall_ms']:.3f} ms wall, "
          f"{signing['cpu_ms']:.3f} ms CPU ({args.sign_rounds} rounds)")
    print(f"  baseline, unsigned POSTs, no queue: {args.inboxes} in {base['wall_s']:.2f} s = "
          f"{base['per_s']:.0f} POSTs/s, sender CPU {base['cpu_s']:.2f} s")
    print(f"  worker overhead over the baseline: {(wall - base['wall_s']) / args.inboxes * 1000:.2f} ms per "
          f"delivery (signing {signing['wall_ms']:.2f} ms of it)")


if __name__ == "__main__":
    main()
