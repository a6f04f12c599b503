"""Outgoing mail: rendered in the recipient's language, queued in the outbox, sent by a worker.

With ``STADTNETZ_MAIL_URL`` (``smtp://user:pass@host:port``, ``smtp+starttls://…`` or
``smtps://…``) mail goes through SMTP; without it, each message is written as an ``.eml``
file to the instance folder and logged, so a development instance works offline.
"""

import logging
import smtplib
from collections.abc import Sequence
from email.header import Header
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

from flask import current_app, render_template, url_for
from flask_babel import force_locale

from . import outbox

log = logging.getLogger(__name__)

MAIL_QUEUE = "mail"
SMTP_TIMEOUT = 30


class Attachment(NamedTuple):
    """A text file sent with a mail."""

    filename: str
    content_type: str  # e.g. "text/calendar"
    content: str


def absolute_url(endpoint: str, **values) -> str:
    """A link for a mail, on the public ``BASE_URL`` (behind a proxy the request's host differs)."""
    return current_app.config["BASE_URL"] + url_for(endpoint, **values)


def send_mail(
    to: str, subject: str, template: str, locale: str = "de",
    attachments: Sequence[Attachment] = (), **context,
) -> None:
    """Render ``templates/mail/<template>.txt`` and queue it; sent after the commit.

    ``attachments`` are text files (e.g. an ``.ics``), stored with the job in the outbox.
    """
    with force_locale(locale):
        body = render_template(f"mail/{template}.txt", **context)
        subject = str(subject)
    payload = {"to": to, "subject": subject, "body": body}
    if any(not attachment.content_type.startswith("text/") for attachment in attachments):
        raise ValueError("only text attachments can be sent")
    if attachments:
        payload["attachments"] = [attachment._asdict() for attachment in attachments]
    outbox.enqueue(MAIL_QUEUE, payload)


class _MailPolicy(EmailPolicy):
    """The default policy, but a non-ASCII subject is folded by the legacy ``Header`` class.

    Without the fix for CPython gh-144156 (2026; not in 3.11, which gets security fixes only),
    the default folder can break a line between two RFC 2047 encoded words and leave the space
    between them only as folding white space, which readers drop ("„Hitzeaktionsplan“erwähnt").
    ``Header`` encodes the whole subject, spaces included, so nothing is lost where it folds.
    """

    def _fold(self, name, value, refold_binary=False):
        if name.lower() != "subject" or str(value).isascii():
            return super()._fold(name, value, refold_binary)
        encoded = Header(str(value), "utf-8", self.max_line_length or 78, header_name=name)
        return f"{name}: {encoded.encode(linesep=self.linesep)}{self.linesep}"


MAIL_POLICY = _MailPolicy()


def _build(payload: dict) -> EmailMessage:
    message = EmailMessage(policy=MAIL_POLICY)
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = payload["to"]
    message["Subject"] = payload["subject"]
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=urlsplit(current_app.config["BASE_URL"]).hostname)
    message.set_content(payload["body"])
    for attachment in payload.get("attachments", ()):
        subtype = attachment["content_type"].removeprefix("text/")
        message.add_attachment(attachment["content"], subtype=subtype, filename=attachment["filename"])
    return message


def _send_smtp(url: str, message: EmailMessage) -> None:
    parts = urlsplit(url)
    port = parts.port or (465 if parts.scheme == "smtps" else 25)
    client_class = smtplib.SMTP_SSL if parts.scheme == "smtps" else smtplib.SMTP
    with client_class(parts.hostname, port, timeout=SMTP_TIMEOUT) as client:
        if parts.scheme == "smtp+starttls":
            client.starttls()
        if parts.username:
            client.login(unquote(parts.username), unquote(parts.password or ""))
        client.send_message(message)


def _write_file(directory: Path, message: EmailMessage) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{message['Message-ID'].strip('<>').replace('@', '_')}.eml"
    path.write_bytes(bytes(message))
    return path


@outbox.handler(MAIL_QUEUE)
def deliver(payload: dict) -> None:
    """Send one queued message (the outbox retries if this raises)."""
    message = _build(payload)
    url = current_app.config["MAIL_URL"]
    if url:
        _send_smtp(url, message)
        log.info("Mail to %s sent: %s", payload["to"], payload["subject"])
    else:
        path = _write_file(Path(current_app.config["MAIL_DIR"]), message)
        log.info("Mail to %s written to %s (no STADTNETZ_MAIL_URL set)", payload["to"], path)
