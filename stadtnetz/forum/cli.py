"""``flask forum …``: the daily digest (run it once a day, e.g. from cron or a systemd timer)."""

import click
from flask import current_app
from flask.cli import AppGroup

from ..extensions import db
from .notifications import send_digests

forum_cli = AppGroup("forum", help="Forum und Arbeitsgruppen.")


def site_request():
    """A request context on ``BASE_URL``, so commands build the same links as pages do."""
    return current_app.test_request_context(base_url=current_app.config["BASE_URL"])


@forum_cli.command("digest")
def digest() -> None:
    """Tägliche Zusammenfassung an alle schicken, die sie gewählt haben."""
    with site_request():
        sent = send_digests()
    db.session.commit()
    click.echo(f"{sent} Zusammenfassung(en) in die Warteschlange gestellt.")
