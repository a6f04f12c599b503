"""Top-level commands: ``serve`` (app, Socket.IO and workers), ``worker`` and ``demo``."""

import gc
import sys
import threading
from typing import NoReturn

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from werkzeug.serving import run_simple

from . import outbox

#: Seconds a thread may hold the GIL before another may take it (Python's default: 0.005).
SWITCH_INTERVAL = 0.05


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
    from .webtalks import leases

    app = current_app._get_current_object()
    # Each room connection has its threads; with the default 5 ms interval a thousand of them
    # trade the GIL more than they work (bench/README.md, "Webtalk room").
    sys.setswitchinterval(SWITCH_INTERVAL)
    outbox.start_worker_threads(app)
    leases.start_thread(app)
    gc.freeze()  # the app's objects live as long as the process: no collection needs to scan them
    click.echo(f"Stadtnetz läuft auf http://{host}:{port}/ (Strg+C beendet)")
    run_simple(host, port, app, threaded=True)


@click.command("worker")
@click.option("--queue", "queues", multiple=True, help="Only these queues (default: all).")
@with_appcontext
def worker(queues: tuple[str, ...]) -> None:
    """Run outbox workers in the foreground until interrupted (production set-up)."""
    names = list(queues) or outbox.queues()
    unknown = set(names) - set(outbox.queues())
    if unknown:
        raise click.BadParameter(f"unknown queue(s): {', '.join(sorted(unknown))}")
    run_queues(names)


def run_queues(names: list[str], interval: float = 1.0) -> None:
    """Run one worker thread per queue in the foreground until Ctrl+C (the worker commands)."""
    app = current_app._get_current_object()
    stop = threading.Event()
    threads = [
        threading.Thread(target=outbox.work_forever, args=(app, name, stop, interval), name=name)
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
    from .federation.cli import federation_cli
    from .forum.cli import forum_cli
    from .practices.cli import practices_cli
    from .search.cli import search_cli

    for command in (serve, worker, demo, directory_cli, users_cli, forum_cli, search_cli,
                    practices_cli, federation_cli):
        app.cli.add_command(command)
