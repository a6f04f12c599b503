"""Helpers for the account tests: mail sent to an address, its links, and a second server.

The ``app`` fixture keeps one application context open for the whole test, and requests of
its clients reuse it, so ``g`` (where Flask-Login keeps the loaded user and Flask-Babel the
locale) carries over from one request to the next. Tests about sessions and languages run
their requests through ``second_server``: another app on the same database, where every
request gets its own context, as in production.
"""

from contextlib import contextmanager
from urllib.parse import urlsplit

from stadtnetz import create_app
from stadtnetz.extensions import db
from tests.conftest import PASSWORD, config_for_tests, links_in


def mails_to(mailbox, address: str) -> list:
    """Deliver the outbox and return the messages that reached ``address``."""
    return [message for message in mailbox.deliver() if message["To"] == address]


def only_mail_to(mailbox, address: str):
    """The one message ``address`` received; fails if there are none or several."""
    messages = mails_to(mailbox, address)
    assert len(messages) == 1, [m["Subject"] for m in messages]
    return messages[0]


def link_path(message, contains: str) -> str:
    """The path of the first link in ``message`` whose URL contains ``contains``."""
    url = next(link for link in links_in(message) if contains in link)
    assert url.startswith("http://localhost/"), url  # absolute, from BASE_URL
    return urlsplit(url).path


@contextmanager
def second_server(app, **overrides):
    """Another app on ``app``'s database and mail server; each request has its own context."""
    server = create_app(
        config_for_tests(
            SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
            MAIL_URL=app.config["MAIL_URL"],
            **overrides,
        )
    )
    try:
        yield server
    finally:
        with server.app_context():
            db.engine.dispose()


def log_in(client, email: str, password: str = PASSWORD, **extra) -> str:
    """Post the login form with ``client``; return the page it leads to."""
    data = {"email": email, "password": password, **extra}
    return client.post("/anmelden", data=data, follow_redirects=True).get_data(as_text=True)
