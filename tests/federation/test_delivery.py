"""Delivery: one job per target inbox with the change, signed POSTs over real HTTP on loopback,
retries, final refusals, unavailable instances, and a worker process killed mid-delivery."""

import base64
import hashlib
import json
import threading
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from stadtnetz import outbox
from stadtnetz.database import utcnow
from stadtnetz.federation import delivery, keys, signatures
from stadtnetz.federation.activities import SentActivity
from stadtnetz.federation.actors import local_actor_for, local_actor_from_uri
from stadtnetz.federation.follows import Follower, local_key
from stadtnetz.federation.instances import UNAVAILABLE_AFTER, InstanceState, find_instance, set_state
from stadtnetz.federation.remote_actors import RemoteActor
from stadtnetz.outbox import OutboxJob
from tests.conftest import free_port
from tests.federation.conftest import wait_until


class ScriptedInbox:
    """An inbox on 127.0.0.1 that answers with the scripted statuses (then 202) and keeps what
    arrived; like a real receiver it takes each activity id once (``activity_ids``)."""

    def __init__(self, port: int | None = None):
        self.statuses: list[int] = []
        self.delay = 0.0
        self.requests: list[tuple[dict, bytes]] = []
        self.activity_ids: list[str] = []
        self._lock = threading.Lock()
        self.server = make_server("127.0.0.1", port or 0, self._app, threaded=True)
        self.host = f"127.0.0.1:{self.server.port}"
        self.url = f"http://{self.host}/inbox"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @Request.application
    def _app(self, request: Request) -> Response:
        body = request.get_data()
        with self._lock:
            self.requests.append((dict(request.headers), body))
            status = self.statuses.pop(0) if self.statuses else 202
        time.sleep(self.delay)
        if status == 202:
            activity_id = json.loads(body)["id"]
            with self._lock:
                if activity_id not in self.activity_ids:
                    self.activity_ids.append(activity_id)
        return Response("", status=status)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def inbox():
    server = ScriptedInbox()
    yield server
    server.close()


@pytest.fixture
def federating(app):
    app.config.update(FEDERATION="open", FEDERATION_ALLOW_LOOPBACK=True)
    return app


def add_follower(db, actor, uri: str, inbox: str, shared_inbox: str | None = None) -> RemoteActor:
    """A remote actor following our ``actor`` (as the inbox processor stores it)."""
    remote = db.session.scalar(sa.select(RemoteActor).filter_by(uri=uri))
    if remote is None:
        remote = RemoteActor(uri=uri, type="Person", inbox=inbox, shared_inbox=shared_inbox,
                             key_id=f"{uri}#main-key", public_key_pem="-", instance_host=uri.split("/")[2])
        db.session.add(remote)
    kind, local_id = local_key(actor)
    db.session.add(Follower(local_kind=kind, local_id=local_id, actor_uri=uri, follow_id=f"{uri}/follows/1"))
    db.session.commit()
    return remote


def delivery_jobs(db) -> list[OutboxJob]:
    query = sa.select(OutboxJob).filter_by(queue=delivery.QUEUE).order_by(OutboxJob.id)
    return list(db.session.scalars(query))


def test_publishing_writes_one_delivery_per_shared_inbox_with_the_change(
    federating, db, make_practice, make_organisation, inbox
):
    organisation = make_organisation()
    actor = local_actor_for(organisation)
    shared = f"http://{inbox.host}/shared"
    for name in ("anna", "ben"):
        add_follower(db, actor, f"http://{inbox.host}/users/{name}", f"http://{inbox.host}/users/{name}/inbox",
                     shared)
    add_follower(db, actor, "http://127.0.0.1:9/users/cem", "http://127.0.0.1:9/users/cem/inbox")
    practice = make_practice(organisation=organisation, state="draft")
    assert delivery_jobs(db) == []  # a draft leaves nothing

    from stadtnetz.practices import services
    services.publish_practice(None, practice)
    db.session.rollback()
    assert delivery_jobs(db) == [] and db.session.scalar(sa.select(sa.func.count(SentActivity.id))) == 0

    services.publish_practice(None, db.session.merge(practice))
    db.session.commit()
    jobs = delivery_jobs(db)
    assert {job.payload["inbox"] for job in jobs} == {"http://127.0.0.1:9/users/cem/inbox", shared}
    sent = db.session.get(SentActivity, jobs[0].payload["activity"])
    assert sent.json["type"] == "Create" and sent.json["object"]["type"] == "Article"
    assert sent.json["actor"] == actor.uri


def test_members_only_forum_content_never_leaves(federating, db, make_thread, make_group, make_user, inbox):
    author = make_user(created_at=utcnow() - timedelta(days=30))
    closed = make_group(members=[author], visibility="members")
    open_group = make_group(members=[author])
    for group in (closed, open_group):
        add_follower(db, local_actor_for(group), f"http://{inbox.host}/g{group.id}", inbox.url)
    make_thread(group=closed, author=author)
    assert delivery_jobs(db) == []
    make_thread(group=open_group, author=author)
    sent = [db.session.get(SentActivity, job.payload["activity"]).json for job in delivery_jobs(db)]
    assert [activity["type"] for activity in sent] == ["Announce"]
    assert sent[0]["object"]["type"] == "Create" and sent[0]["object"]["object"]["type"] == "Page"


def test_the_worker_signs_at_send_time_and_the_inbox_gets_the_activity(
    federating, db, make_practice, make_organisation, inbox
):
    organisation = make_organisation()
    actor = local_actor_for(organisation)
    add_follower(db, actor, f"http://{inbox.host}/users/anna", inbox.url)
    practice = make_practice(organisation=organisation)
    assert outbox.run_pending(delivery.QUEUE) == 1

    (headers, body), = inbox.requests
    activity = json.loads(body)
    assert activity["type"] == "Create" and activity["object"]["name"] == practice.title
    assert headers["Digest"] == "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()
    assert f'keyId="{actor.key_id}"' in headers["Signature"]
    signer = signatures.verify("POST", "/inbox", headers, body, lambda key_id: keys.public_pem(
        local_actor_from_uri(key_id)), scheme="http")
    assert signer == actor.key_id
    assert inbox.activity_ids == [activity["id"]]
    job, = delivery_jobs(db)
    assert job.done_at is not None
    assert find_instance(inbox.host).last_success is not None


@pytest.mark.parametrize("status", [429, 500, 503])
def test_busy_or_broken_inboxes_are_retried_later_with_backoff(
    federating, db, make_practice, make_organisation, inbox, status
):
    organisation = make_organisation()
    add_follower(db, local_actor_for(organisation), f"http://{inbox.host}/users/anna", inbox.url)
    make_practice(organisation=organisation)
    inbox.statuses = [status]
    assert outbox.run_pending(delivery.QUEUE) == 0
    job, = delivery_jobs(db)
    assert job.failed_at is None and f"HTTP {status}" in job.last_error
    assert timedelta(seconds=20) < job.run_after - utcnow() < timedelta(seconds=40)
    assert find_instance(inbox.host).failures == 1
    job.run_after = utcnow()
    db.session.commit()
    assert outbox.run_pending(delivery.QUEUE) == 1
    assert len(inbox.activity_ids) == 1 and find_instance(inbox.host).failures == 0


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410])
def test_a_refusal_other_than_429_is_final(federating, db, make_practice, make_organisation, inbox, status):
    organisation = make_organisation()
    add_follower(db, local_actor_for(organisation), f"http://{inbox.host}/users/anna", inbox.url)
    make_practice(organisation=organisation)
    inbox.statuses = [status]
    outbox.run_pending(delivery.QUEUE)
    job, = delivery_jobs(db)
    assert job.failed_at is not None and f"HTTP {status}" in job.last_error and job.attempts == 1
    assert find_instance(inbox.host).failures == 0  # it answered: not unavailable
    assert outbox.pending_count(delivery.QUEUE) == 0


def test_an_inbox_at_a_refused_address_is_given_up_at_once(federating, db, make_practice, make_organisation,
                                                          inbox):
    organisation = make_organisation()
    add_follower(db, local_actor_for(organisation), f"http://{inbox.host}/users/anna", inbox.url)
    make_practice(organisation=organisation)
    federating.config.update(FEDERATION_ALLOW_LOOPBACK=False)  # 127.0.0.1 is no public address
    assert outbox.run_pending(delivery.QUEUE) == 0
    job, = delivery_jobs(db)
    assert job.failed_at is not None and job.attempts == 1 and "non-public" in job.last_error
    assert "endgültig" in job.last_error and outbox.pending_count(delivery.QUEUE) == 0
    instance = find_instance(inbox.host)
    assert inbox.requests == [] and (instance is None or instance.failures == 0)


def test_retries_span_days_before_a_delivery_is_given_up(federating, db, make_practice, make_organisation):
    organisation = make_organisation()
    add_follower(db, local_actor_for(organisation), "http://127.0.0.1:9/u/x", "http://127.0.0.1:9/inbox")
    make_practice(organisation=organisation)
    job, = delivery_jobs(db)
    waited = timedelta()
    while job.failed_at is None:
        outbox.run_pending(delivery.QUEUE)
        db.session.refresh(job)
        if job.failed_at is None:
            waited += job.run_after - utcnow()
            job.run_after = utcnow()
            db.session.commit()
    assert job.attempts == delivery.MAX_ATTEMPTS
    assert timedelta(days=4) < waited < timedelta(days=8)


def test_an_instance_that_keeps_failing_is_unavailable_until_it_answers(
    federating, db, make_practice, make_organisation
):
    port = free_port()  # nobody listens here yet
    host = f"127.0.0.1:{port}"
    organisation = make_organisation()
    add_follower(db, local_actor_for(organisation), f"http://{host}/u/x", f"http://{host}/inbox")
    practice = make_practice(organisation=organisation)
    for _attempt in range(UNAVAILABLE_AFTER):
        outbox.run_pending(delivery.QUEUE)
        db.session.execute(sa.update(OutboxJob).values(run_after=utcnow()))
        db.session.commit()
    assert find_instance(host).is_unavailable

    inbox = ScriptedInbox(port)
    try:
        from stadtnetz.practices import services
        services.update_practice(None, practice, {"teaser": "Neu: mit Zahlen von 2025."})
        db.session.commit()
        outbox.run_pending(delivery.QUEUE)
        instance = find_instance(host)
        assert not instance.is_unavailable and instance.failures == 0
        assert len(inbox.activity_ids) == 2  # the Create (retried) and the Update
    finally:
        inbox.close()


def test_a_blocked_instance_gets_nothing_not_even_what_was_queued(
    federating, db, make_practice, make_organisation, inbox
):
    organisation = make_organisation()
    add_follower(db, local_actor_for(organisation), f"http://{inbox.host}/u/x", inbox.url)
    make_practice(organisation=organisation)
    set_state(inbox.host, InstanceState.BLOCKED)
    db.session.commit()
    outbox.run_pending(delivery.QUEUE)
    job, = delivery_jobs(db)
    assert job.failed_at is not None and "nicht erlaubt" in job.last_error
    make_practice(organisation=organisation)
    assert len(delivery_jobs(db)) == 1  # no new job for a blocked instance
    assert inbox.requests == []


def test_a_worker_killed_mid_delivery_loses_nothing_and_the_receiver_takes_it_once(instance_a):
    """A real ``flask federation worker`` process is killed with SIGKILL while its POST is in
    flight; after the lease a new worker sends again, and the receiver keeps the activity once."""
    from stadtnetz.extensions import db
    from stadtnetz.practices import services

    receiver = ScriptedInbox()
    receiver.delay = 3.0
    try:
        with instance_a.context():
            from stadtnetz.accounts.models import Organisation, OrganisationType
            organisation = Organisation(name="Stadt Jena", slug="jena", type=OrganisationType.KOMMUNE)
            db.session.add(organisation)
            db.session.flush()
            add_follower(db, local_actor_for(organisation), f"http://{receiver.host}/u/x", receiver.url)
            practice = services.create_practice(None, organisation, {
                "title": "Leerstandskataster", "teaser": "Ein Kataster.", "situation": "Leer.",
                "implementation": "Erfasst.", "topics": ["leerstand"]})
            services.publish_practice(None, practice)
        instance_a.start_worker("--interval", "0.2")
        wait_until(lambda: receiver.requests, timeout=30)
        instance_a.kill_worker()  # the POST is still waiting for its answer
        with instance_a.context():
            job, = delivery_jobs(db)
            assert job.done_at is None and job.lease_until is not None
            job.lease_until = utcnow() - timedelta(seconds=1)  # five minutes later
            job_id = job.id
        receiver.delay = 0
        instance_a.start_worker("--interval", "0.2")

        def delivered():
            with instance_a.context():
                return db.session.get(OutboxJob, job_id).done_at is not None
        wait_until(delivered, timeout=30)
        instance_a.stop_worker()
        assert 1 <= len(receiver.requests) <= 2
        assert len(receiver.activity_ids) == 1
    finally:
        receiver.close()
