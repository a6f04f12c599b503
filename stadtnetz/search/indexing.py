"""Keeping the index in step with the database, through the transactional outbox.

A session listener writes a ``search`` outbox job for every insert, update or delete of a
``@searchable`` model, in the same transaction as the change; the handler applies it after the
commit. A crash between commit and indexing loses nothing: the job stays until it is done.
``reindex`` rebuilds the whole index and ``check`` compares it with the database.
"""

from collections.abc import Callable, Iterator
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from .. import outbox
from ..extensions import db
from .engine import SearchEngine, digest
from .models import SynonymGroup

QUEUE = "search"
#: kind → (model class, label shown as content type)
registry: dict[str, tuple[type, Any]] = {}
_PENDING = "search_pending"
_QUEUED = "search_queued"


def kind_of(obj: object) -> str | None:
    return getattr(type(obj), "__search_kind__", None)


def engine() -> SearchEngine:
    """This app's search engine (one per process), with the admins' synonym groups loaded."""
    app = current_app._get_current_object()
    search_engine = app.extensions.get("search_engine")
    if search_engine is None:
        search_engine = app.extensions["search_engine"] = SearchEngine(app.config["SEARCH_INDEX_DIR"])
    groups = [group.phrases for group in db.session.scalars(sa.select(SynonymGroup))]
    if groups != search_engine.extra_groups:
        search_engine.set_synonyms(groups)
    return search_engine


def queue_reindex(obj: object) -> None:
    """Reindex ``obj`` after this transaction commits (when its document depends on other rows)."""
    kind = kind_of(obj)
    if kind is None:
        raise TypeError(f"{type(obj).__name__} is not @searchable")
    _enqueue(db.session(), kind, obj.id)


def is_pending(obj: object) -> bool:
    """Whether a change of ``obj`` still waits for the indexer (an open job in the queue)."""
    payload = outbox.OutboxJob.payload
    return db.session.scalar(sa.select(sa.exists().where(
        outbox.OutboxJob.queue == QUEUE, outbox.OutboxJob.done_at.is_(None),
        outbox.OutboxJob.failed_at.is_(None), payload["kind"].as_string() == kind_of(obj),
        payload["id"].as_integer() == obj.id)))


def _enqueue(session: Session, kind: str, pk: int) -> None:
    queued = session.info.setdefault(_QUEUED, set())
    if (kind, pk) not in queued:
        queued.add((kind, pk))
        session.add(outbox.OutboxJob(queue=QUEUE, payload={"kind": kind, "id": pk}))


def _collect(session: Session, _context) -> None:
    """After a flush: note which searchable rows it wrote (ids are known now)."""
    pending = session.info.setdefault(_PENDING, set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        kind = kind_of(obj)
        if kind and (obj in session.deleted or obj in session.new or session.is_modified(obj)):
            pending.add((kind, obj.id))


def _write_jobs(session: Session, _context) -> None:
    """After the flush is complete: add their outbox jobs; the commit flushes them too."""
    for kind, pk in session.info.pop(_PENDING, set()):
        _enqueue(session, kind, pk)


def _forget(session: Session, *_args) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_QUEUED, None)


def install_listeners() -> None:
    """Listen on every SQLAlchemy session (idempotent)."""
    for name, func in (("after_flush", _collect), ("after_flush_postexec", _write_jobs),
                       ("after_commit", _forget), ("after_soft_rollback", _forget)):
        if not sa.event.contains(Session, name, func):
            sa.event.listen(Session, name, func)


def document_for(kind: str, obj: object | None) -> dict[str, Any] | None:
    """The index document of ``obj`` (with ``id`` and ``kind``), or None if it must not be found."""
    document = obj.search_document() if obj is not None else None
    if document is None:
        return None
    return {**document, "id": f"{kind}:{obj.id}", "kind": kind}


@outbox.handler(QUEUE)
def apply(payload: dict[str, Any]) -> None:
    """Bring one document of the index up to date with the database."""
    kind, pk = payload["kind"], payload["id"]
    model = registry.get(kind, (None,))[0]
    obj = db.session.get(model, pk) if model is not None else None
    document = document_for(kind, obj)
    if document is None:
        engine().remove(f"{kind}:{pk}")
    else:
        engine().add(document)


def all_documents() -> Iterator[dict[str, Any]]:
    """Every document that belongs in the index, read from the database in batches."""
    for kind, (model, _label) in registry.items():
        rows = db.session.scalars(sa.select(model).execution_options(yield_per=500))
        for obj in rows:
            document = document_for(kind, obj)
            if document is not None:
                yield document


def reindex(progress: Callable[[int], None] | None = None, procs: int = 1) -> int:
    """Rebuild the index from the database; returns the number of documents."""
    return engine().rebuild(all_documents(), progress=progress, procs=procs)


def check() -> dict[str, list[str]]:
    """Ids of documents ``missing`` from the index, ``stale`` in it, or ``extra`` (must go)."""
    expected = {document["id"]: digest(document) for document in all_documents()}
    stored = engine().stored()
    return {
        "missing": sorted(set(expected) - set(stored)),
        "stale": sorted(i for i in expected.keys() & stored.keys() if expected[i] != stored[i]),
        "extra": sorted(set(stored) - set(expected)),
    }
