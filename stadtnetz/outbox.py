"""Transactional outbox: work that must happen after a commit (mail, indexing, delivery).

A service calls ``enqueue(queue, payload)`` inside the request's transaction, so the job exists
exactly when the change does. Workers claim due jobs with a lease (``FOR UPDATE SKIP LOCKED``
on PostgreSQL), run the queue's handler, and mark the job done or schedule a retry with
exponential backoff and jitter. A worker that dies mid-job loses nothing: the lease expires
and another worker takes the job again.
"""

import logging
import random
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Mapped, mapped_column

from .database import UTCDateTime, utcnow
from .extensions import db

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 12
BASE_DELAY_SECONDS = 30

Handler = Callable[[dict[str, Any]], None]
_handlers: dict[str, Handler] = {}
_max_attempts: dict[str, int] = {}


class GiveUp(Exception):
    """Raised by a handler when retrying cannot help (a remote inbox refused the job for good):
    the job fails at once and is kept with the reason for inspection."""


class OutboxJob(db.Model):
    """One unit of after-commit work for the worker of ``queue``."""

    __tablename__ = "outbox_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    queue: Mapped[str] = mapped_column(sa.String(32), index=True)
    payload: Mapped[dict] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    run_after: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (sa.Index("ix_outbox_job_due", "queue", "done_at", "failed_at", "run_after"),)


def handler(queue: str, max_attempts: int = MAX_ATTEMPTS) -> Callable[[Handler], Handler]:
    """Register the function that performs the jobs of ``queue``; a job is given up after
    ``max_attempts`` (the backoff doubles from 30 s, so 12 span about 17 hours, 15 about 6 days)."""

    def register(func: Handler) -> Handler:
        _handlers[queue] = func
        _max_attempts[queue] = max_attempts
        return func

    return register


def enqueue(queue: str, payload: dict[str, Any]) -> OutboxJob:
    """Add a job to the current transaction; it runs only if the transaction commits."""
    job = OutboxJob(queue=queue, payload=payload)
    db.session.add(job)
    return job


def _claim(queue: str, limit: int) -> list[int]:
    """Lease up to ``limit`` due jobs and commit the lease, so other workers skip them."""
    now = utcnow()
    query = (
        sa.select(OutboxJob)
        .where(
            OutboxJob.queue == queue,
            OutboxJob.done_at.is_(None),
            OutboxJob.failed_at.is_(None),
            OutboxJob.run_after <= now,
            sa.or_(OutboxJob.lease_until.is_(None), OutboxJob.lease_until < now),
        )
        .order_by(OutboxJob.id)
        .limit(limit)
    )
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    jobs = db.session.scalars(query).all()
    for job in jobs:
        job.lease_until = now + LEASE
        job.attempts += 1
    db.session.commit()
    return [job.id for job in jobs]


def _backoff(attempts: int) -> timedelta:
    delay = BASE_DELAY_SECONDS * 2 ** (attempts - 1)
    return timedelta(seconds=delay * random.uniform(0.8, 1.2))


def _run_one(job_id: int, func: Handler) -> bool:
    job = db.session.get(OutboxJob, job_id)
    try:
        func(job.payload)
    except Exception as error:
        db.session.rollback()
        job = db.session.get(OutboxJob, job_id)
        job.last_error = f"{type(error).__name__}: {error}"[:2000]
        job.lease_until = None
        if job.attempts >= _max_attempts[job.queue] or isinstance(error, GiveUp):
            job.failed_at = utcnow()
            log.error("Outbox job %s (%s) failed for good: %s", job.id, job.queue, job.last_error)
        else:
            job.run_after = utcnow() + _backoff(job.attempts)
            log.warning("Outbox job %s (%s) failed, will retry: %s", job.id, job.queue, error)
        db.session.commit()
        return False
    job.done_at = utcnow()
    job.lease_until = None
    db.session.commit()
    return True


def run_pending(queue: str, limit: int = 100) -> int:
    """Run the due jobs of ``queue`` once; return how many succeeded."""
    func = _handlers[queue]
    return sum(_run_one(job_id, func) for job_id in _claim(queue, limit))


def pending_count(queue: str | None = None) -> int:
    """Jobs not yet done and not failed for good."""
    query = sa.select(sa.func.count(OutboxJob.id)).where(
        OutboxJob.done_at.is_(None), OutboxJob.failed_at.is_(None)
    )
    if queue:
        query = query.where(OutboxJob.queue == queue)
    return db.session.scalar(query)


def queues() -> list[str]:
    return sorted(_handlers)


def work_forever(app: Flask, queue: str, stop: threading.Event, interval: float = 1.0) -> None:
    """Poll ``queue`` until ``stop`` is set; the loop of a worker thread or process."""
    while not stop.is_set():
        with app.app_context():
            try:
                done = run_pending(queue)
            except Exception:
                log.exception("Outbox worker for %s crashed; retrying", queue)
                db.session.rollback()
                done = 0
            finally:
                db.session.remove()
        if not done:
            stop.wait(interval)


def start_worker_threads(app: Flask) -> threading.Event:
    """Run one daemon worker thread per queue (the single-machine set-up of ``make run``)."""
    stop = threading.Event()
    for queue in queues():
        threading.Thread(
            target=work_forever, args=(app, queue, stop), name=f"outbox-{queue}", daemon=True
        ).start()
    return stop
