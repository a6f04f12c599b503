"""Attachments of practices: PDFs and images, checked by their content (not their name) and size,
stored outside the web root in the instance folder under a random key.

Files are written before the transaction commits (an upload that is rolled back leaves an
unreferenced file, which harms no one) and deleted only after it commits, through the outbox,
so a rolled-back deletion never loses a file that a row still points to.
"""

import secrets
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _

from .. import outbox
from ..errors import Invalid
from ..extensions import db
from .models import Practice, PracticeAttachment
from .services import authorise

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
FILES_QUEUE = "practice-files"
# Leading bytes of each accepted format, with the type served and the file name extension.
SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"GIF87a", "image/gif", ".gif"),
    (b"GIF89a", "image/gif", ".gif"),
)


def storage_dir() -> Path:
    """The folder attachments live in (``ATTACHMENT_DIR``); never one the web server serves."""
    return Path(current_app.config["ATTACHMENT_DIR"])


def max_bytes() -> int:
    return current_app.config.get("PRACTICE_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES)


def sniff(head: bytes) -> tuple[str, str] | None:
    """The (content type, extension) the file's first bytes show, or None for anything else."""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", ".webp"
    return next(((kind, ext) for magic, kind, ext in SIGNATURES if head.startswith(magic)), None)


def _safe_filename(name: str, extension: str) -> str:
    """A display name without path parts or control characters, ending in the real extension."""
    name = Path((name or "").replace("\\", "/")).name
    name = "".join(c for c in name if c.isprintable() and c not in '"<>|:*?').strip(". ") or "anhang"
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{stem[:150]}{extension}"


def add_attachment(actor, practice: Practice, filename: str, stream: BinaryIO,
                   title: str = "") -> PracticeAttachment:
    """Store an uploaded PDF or image for ``practice``."""
    authorise(actor, "practice.edit", practice)
    limit = max_bytes()
    data = stream.read(limit + 1)
    if not data:
        raise Invalid(_("Bitte wählen Sie eine Datei aus."), "file")
    if len(data) > limit:
        megabytes = limit // (1024 * 1024) or 1
        raise Invalid(_("Die Datei ist zu groß (höchstens %(mb)d MB).", mb=megabytes), "file")
    kind = sniff(data[:16])
    if kind is None:
        raise Invalid(_("Nur PDF-Dateien und Bilder (PNG, JPEG, GIF, WebP) sind erlaubt."), "file")
    content_type, extension = kind
    key = secrets.token_hex(16)
    folder = storage_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / key).write_bytes(data)
    attachment = PracticeAttachment(
        practice=practice, filename=_safe_filename(filename, extension), title=(title or "").strip()[:200],
        content_type=content_type, size=len(data), storage_key=key, uploaded_by=actor,
    )
    db.session.add(attachment)
    db.session.flush()
    return attachment


def remove_attachment(actor, attachment: PracticeAttachment) -> None:
    """Delete an attachment; its file goes once the deletion is committed."""
    authorise(actor, "practice.edit", attachment.practice)
    forget_files([attachment])
    db.session.delete(attachment)
    db.session.flush()


def forget_files(attachments) -> None:
    """Queue the files of ``attachments`` for deletion after the current transaction commits."""
    for attachment in attachments:
        outbox.enqueue(FILES_QUEUE, {"storage_key": attachment.storage_key})


def file_path(attachment: PracticeAttachment) -> Path:
    return storage_dir() / attachment.storage_key


@outbox.handler(FILES_QUEUE)
def _delete_file(payload: dict) -> None:
    """Remove a deleted attachment's file (a missing file is already gone)."""
    key = payload["storage_key"]
    if not key.isalnum():  # never follow a path out of the folder
        return
    (storage_dir() / key).unlink(missing_ok=True)
