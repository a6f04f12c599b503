"""The index follows the database through the outbox: same transaction, after commit, no loss."""

import sqlalchemy as sa

from stadtnetz import outbox, search
from stadtnetz.outbox import OutboxJob
from tests.search.conftest import ids


def search_jobs(db) -> list[dict]:
    return [job.payload for job in db.session.scalars(
        sa.select(OutboxJob).where(OutboxJob.queue == "search", OutboxJob.done_at.is_(None)))]


def test_insert_update_delete_each_write_a_job_in_the_same_transaction(db, make_note):
    note = make_note("Wochenmarkt")
    assert search_jobs(db) == [{"kind": "note", "id": note.id}]
    outbox.run_pending("search")
    note.title = "Bauernmarkt"
    db.session.commit()
    assert search_jobs(db) == [{"kind": "note", "id": note.id}]
    outbox.run_pending("search")
    db.session.delete(note)
    db.session.commit()
    assert search_jobs(db) == [{"kind": "note", "id": note.id}]


def test_one_job_per_document_and_transaction(db, notes):
    note = notes(title="Wochenmarkt")
    db.session.add(note)
    db.session.flush()
    note.title = "Bauernmarkt"
    db.session.flush()
    db.session.commit()
    assert search_jobs(db) == [{"kind": "note", "id": note.id}]


def test_a_rolled_back_change_leaves_no_job(db, notes):
    db.session.add(notes(title="Wochenmarkt"))
    db.session.flush()
    db.session.rollback()
    assert search_jobs(db) == []


def test_a_change_committed_while_no_indexer_runs_is_found_after_restart(db, make_note):
    note = make_note("Zwischennutzung im Kaufhaus")
    assert search.search("Kaufhaus").total == 0  # committed, but the indexer is "down"
    assert outbox.run_pending("search") == 1     # the "restart" works off the queue
    assert ids(search.search("Kaufhaus")) == [note.id]
    assert outbox.pending_count("search") == 0


def test_a_document_that_becomes_none_is_removed(db, make_note):
    note = make_note("Leerstandskataster")
    outbox.run_pending("search")
    assert search.search("Leerstand").total == 1
    note.draft = True
    db.session.commit()
    outbox.run_pending("search")
    assert search.search("Leerstand").total == 0


def test_queue_reindex_asks_for_a_fresh_document(db, make_note):
    note = make_note("Markt")
    outbox.run_pending("search")
    search.queue_reindex(note)
    db.session.commit()
    assert search_jobs(db) == [{"kind": "note", "id": note.id}]


def test_reindex_gives_the_same_results(app, db, make_note):
    for title, body in [("Leerstand in der Altstadt", "Leere Läden"), ("Leerstandsmanagement", "Team"),
                        ("Radwege", "Sichere Wege"), ("Innenstadt", "Die Entwicklung der Läden")]:
        make_note(title, body)
    outbox.run_pending("search")

    def snapshot():
        results = {q: search.search(q) for q in ("Leerstand", "Läden", "Innenstadtentwicklung", "Wege", "")}
        return {q: (r.total, [(h.id, round(h.score, 6)) for h in r.hits]) for q, r in results.items()}

    before = snapshot()
    result = app.test_cli_runner().invoke(args=["search", "reindex", "--procs", "1"])
    assert result.exit_code == 0, result.output
    assert "Suchindex neu aufgebaut: 4 Dokumente" in result.output
    assert snapshot() == before


def test_check_reports_missing_stale_and_extra_documents(app, db, make_note):
    runner = app.test_cli_runner()
    first = make_note("Wochenmarkt")
    second = make_note("Bauernmarkt")
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 1
    assert f"note:{first.id}: fehlt im Index" in result.output
    assert f"note:{second.id}: fehlt im Index" in result.output

    outbox.run_pending("search")
    assert runner.invoke(args=["search", "check"]).output.strip() == "Der Suchindex ist aktuell."

    first.title = "Frischemarkt"
    second.draft = True
    db.session.commit()  # jobs written, not yet run: the index lags behind
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 1
    assert f"note:{first.id}: veraltet im Index" in result.output
    assert f"note:{second.id}: gehört nicht in den Index" in result.output
    outbox.run_pending("search")
    assert runner.invoke(args=["search", "check"]).exit_code == 0
