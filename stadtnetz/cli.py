"""Top-level commands: ``serve`` (app, Socket.IO and workers), ``worker`` and ``demo``."""

import threading
from typing import NoReturn

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from werkzeug.serving import run_simple

from . import outbox


def fail(message: str) -> NoReturn:
    """Report an error on stderr and stop with exit code 1: no traceback for the operator."""
    click.secho(f"Fehler: {message}", err=True, fg="red")
    raise SystemExit(1)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@with_appcontext
def serve(host: str, port: int) -> None:
    """Serve the app with Socket.IO and run the outbox workers as threads (one machine).

    In threading mode Socket.IO rides on the WSGI app (WebSocket via simple-websocket), so
    Werkzeug's threaded server carries both; ``app.run`` would refuse inside a CLI command.
    """
    app = current_app._get_current_object()
    outbox.start_worker_threads(app)
    click.echo(f"Stadtnetz läuft auf http://{host}:{port}/ (Strg+C beendet)")
    run_simple(host, port, app, threaded=True)


@click.command("worker")
@click.option("--queue", "queues", multiple=True, help="Only these queues (default: all).")
@with_appcontext
def worker(queues: tuple[str, ...]) -> None:
    """Run outbox workers in the foreground until interrupted (production set-up)."""
    app = current_app._get_current_object()
    names = list(queues) or outbox.queues()
    unknown = set(names) - set(outbox.queues())
    if unknown:
        raise click.BadParameter(f"unknown queue(s): {', '.join(sorted(unknown))}")
    stop = threading.Event()
    threads = [
        threading.Thread(target=outbox.work_forever, args=(app, name, stop), name=name)
        for name in names
    ]
    for thread in threads:
        thread.start()
    click.echo(f"Worker für {', '.join(names)} gestartet; Strg+C beendet.")
    try:
        for thread in threads:
            thread.join()
    except KeyboardInterrupt:
        stop.set()


def register(app: Flask) -> None:
    """Add every command group to ``flask``."""
    from .accounts.cli import users_cli
    from .demo import demo
    from .directory.cli import directory_cli
    from .forum.cli import forum_cli
    from .practices.cli import practices_cli
    from .search.cli import search_cli

    for command in (serve, worker, demo, directory_cli, users_cli, forum_cli, search_cli,
                    practices_cli):
        app.cli.add_command(command)
