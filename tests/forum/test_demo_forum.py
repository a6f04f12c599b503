"""``flask demo`` seeds the working groups and threads once."""

import sqlalchemy as sa

from stadtnetz.forum.demo import GROUPS, THREADS
from stadtnetz.forum.models import Post, Thread, WorkingGroup


def _counts(db):
    return tuple(
        db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in (WorkingGroup, Thread, Post)
    )


def test_demo_seeds_groups_and_threads_idempotently(app, db, client):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert f"{len(GROUPS)} Arbeitsgruppen und {len(THREADS)} Themen neu" in first.output
    counts = _counts(db)
    assert counts[:2] == (len(GROUPS), len(THREADS))

    again = runner.invoke(args=["demo"])
    assert "0 Arbeitsgruppen und 0 Themen neu" in again.output
    assert _counts(db) == counts

    page = client.get("/arbeitsgruppen/leerstandsbewaeltigung").text
    assert "Erfahrungen mit Pop-up-Stores in der Fußgängerzone?" in page
    secret = client.get("/arbeitsgruppen/foerderung-finanzierung").text
    assert "Eigenanteil beim Sofortprogramm" not in secret
