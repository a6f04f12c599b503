"""The transactional outbox: jobs exist only with their commit, run once, retry with backoff."""

from datetime import timedelta

import pytest

from stadtnetz import outbox
from stadtnetz.database import utcnow
from stadtnetz.outbox import OutboxJob

calls: list[dict] = []


@outbox.handler("test-echo")
def _echo(payload):
    if payload.get("fail"):
        raise RuntimeError("Gegenstelle nicht erreichbar")
    calls.append(payload)


@pytest.fixture(autouse=True)
def _clear_calls():
    calls.clear()


def test_a_rolled_back_transaction_leaves_no_job(db):
    outbox.enqueue("test-echo", {"n": 1})
    db.session.rollback()
    assert outbox.pending_count("test-echo") == 0
    assert outbox.run_pending("test-echo") == 0
    assert calls == []


def test_a_committed_job_runs_exactly_once(db):
    outbox.enqueue("test-echo", {"n": 1})
    db.session.commit()
    assert outbox.run_pending("test-echo") == 1
    assert outbox.run_pending("test-echo") == 0
    assert calls == [{"n": 1}]
    job = db.session.scalars(db.select(OutboxJob)).one()
    assert job.done_at is not None and job.attempts == 1


def test_a_failing_job_is_retried_later_with_backoff(db):
    outbox.enqueue("test-echo", {"fail": True})
    db.session.commit()
    assert outbox.run_pending("test-echo") == 0
    job = db.session.scalars(db.select(OutboxJob)).one()
    assert job.done_at is None
    assert "Gegenstelle nicht erreichbar" in job.last_error
    delay = job.run_after - utcnow()
    assert timedelta(seconds=20) < delay < timedelta(seconds=40)
    # Not due yet: a second pass does not touch it.
    assert outbox.run_pending("test-echo") == 0
    assert db.session.get(OutboxJob, job.id).attempts == 1


def test_a_job_that_keeps_failing_is_given_up_and_kept_for_inspection(db):
    job = outbox.enqueue("test-echo", {"fail": True})
    job.attempts = outbox.MAX_ATTEMPTS - 1
    db.session.commit()
    outbox.run_pending("test-echo")
    job = db.session.get(OutboxJob, job.id)
    assert job.failed_at is not None
    assert outbox.pending_count("test-echo") == 0


def test_a_job_leased_by_a_crashed_worker_is_taken_again_after_the_lease(db):
    job = outbox.enqueue("test-echo", {"n": 2})
    db.session.commit()
    # A worker claimed it and died before finishing.
    job.lease_until = utcnow() + timedelta(minutes=1)
    job.attempts = 1
    db.session.commit()
    assert outbox.run_pending("test-echo") == 0
    job.lease_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert outbox.run_pending("test-echo") == 1
    assert calls == [{"n": 2}]
