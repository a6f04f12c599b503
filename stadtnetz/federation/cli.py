"""``flask federation worker``: the federation queues (delivery and inbox) in the foreground.

The production set-up runs one or more of these beside the app; ``make run`` needs none, as
its outbox threads run every queue.
"""

import click
from flask.cli import AppGroup

from ..cli import run_queues
from . import delivery, processing

federation_cli = AppGroup("federation", help="ActivityPub-Föderation.")
QUEUES = (delivery.QUEUE, processing.QUEUE)


@federation_cli.command("worker")
@click.option("--interval", default=1.0, show_default=True, help="Seconds between polls when idle.")
def worker(interval: float) -> None:
    """Deliver our activities and process received ones until interrupted."""
    run_queues(list(QUEUES), interval)
