"""``flask search reindex`` rebuilds the index from the database; ``flask search check`` lists
documents missing or stale in it and exits 1 when there are any."""

import os
import time

import click
from flask.cli import AppGroup

from . import indexing

search_cli = AppGroup("search", help="Den Suchindex verwalten.")


@search_cli.command("reindex")
@click.option("--procs", default=min(2, os.cpu_count() or 1), show_default=True,
              help="Prozesse, die gleichzeitig indexieren.")
def reindex(procs: int) -> None:
    """Rebuild the whole index from the database."""
    started = time.monotonic()

    def progress(count: int) -> None:
        click.echo(f"… {count} Dokumente indexiert", err=True)

    count = indexing.reindex(progress=progress, procs=procs)
    click.echo(f"Suchindex neu aufgebaut: {count} Dokumente in {time.monotonic() - started:.1f} s.")


@search_cli.command("check")
def check() -> None:
    """Compare the index with the database; exit 1 if documents are missing or stale."""
    problems = indexing.check()
    titles = {"missing": "fehlt im Index", "stale": "veraltet im Index", "extra": "gehört nicht in den Index"}
    for kind, ids in problems.items():
        for doc_id in ids:
            click.echo(f"{doc_id}: {titles[kind]}")
    total = sum(len(ids) for ids in problems.values())
    if total:
        click.echo(f"{total} Dokument(e) nicht aktuell; `flask search reindex` baut den Index neu auf.")
        raise SystemExit(1)
    click.echo("Der Suchindex ist aktuell.")
