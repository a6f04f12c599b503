"""Attachments: checked by content and size, stored in the instance folder, served with the
right headers, and a draft's files reach only those who may read the draft."""

import io

import pytest
import sqlalchemy as sa

from stadtnetz import outbox
from stadtnetz.practices.models import PracticeAttachment

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _upload(client, practice, content: bytes, filename: str, title: str = ""):
    return client.post(
        f"/praxisbeispiele/{practice.id}/anhaenge",
        content_type="multipart/form-data",
        data={"attachment-file": (io.BytesIO(content), filename), "attachment-title": title},
    )


def _attachments(db) -> list[PracticeAttachment]:
    return db.session.scalars(sa.select(PracticeAttachment)).all()


def _get(client, url):
    """GET a file and close the response (it holds the file open)."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response


def test_upload_and_download_a_pdf(client, login, db, world, make_practice, attachment_dir):
    practice = make_practice(organisation=world.home)
    login(world.member)
    assert _upload(client, practice, PDF, "../../Bericht 2024.pdf", "Abschlussbericht").status_code == 302
    [attachment] = _attachments(db)
    assert (attachment.filename, attachment.content_type, attachment.size) == (
        "Bericht 2024.pdf",
        "application/pdf",
        len(PDF),
    )
    assert (attachment_dir / attachment.storage_key).read_bytes() == PDF
    page = client.get(practice.url).get_data(as_text=True)
    assert "Abschlussbericht</a>" in page and "(PDF, 1 KB)" in page

    client.post("/abmelden")
    response = _get(client, f"/praxisbeispiele/{practice.id}/anhaenge/{attachment.id}/Bericht 2024.pdf")
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "Bericht 2024.pdf" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_images_are_shown_inline(client, login, db, world, make_practice):
    practice = make_practice(organisation=world.home)
    login(world.member)
    _upload(client, practice, PNG, "foto.jpg")  # the name lies; the content decides
    [attachment] = _attachments(db)
    assert (attachment.content_type, attachment.filename) == ("image/png", "foto.png")
    response = _get(client, f"/praxisbeispiele/{practice.id}/anhaenge/{attachment.id}/foto.png")
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["Content-Disposition"].startswith("inline;")


@pytest.mark.parametrize(
    ("content", "filename"),
    [
        (b"<html><script>alert(1)</script></html>", "bericht.pdf"),
        (b"MZ\x90\x00 binary", "tool.png"),
        (b"", "leer.pdf"),
    ],
)
def test_wrong_types_are_refused(client, login, db, world, make_practice, content, filename):
    practice = make_practice(organisation=world.home)
    login(world.member)
    page = _upload(client, practice, content, filename).get_data(as_text=True)
    assert 'class="error-summary"' in page
    assert ("Nur PDF-Dateien und Bilder" in page) or ("Bitte wählen Sie eine Datei aus." in page)
    assert _attachments(db) == []


def test_too_large_files_are_refused(app, client, login, db, world, make_practice):
    app.config["PRACTICE_ATTACHMENT_MAX_BYTES"] = 1024
    practice = make_practice(organisation=world.home)
    login(world.member)
    page = _upload(client, practice, PDF + b"0" * 2048, "gross.pdf").get_data(as_text=True)
    assert "Die Datei ist zu groß (höchstens 1 MB)." in page
    assert _attachments(db) == []


def test_a_drafts_attachment_is_hidden_from_others(client, login, db, world, make_practice):
    practice = make_practice(organisation=world.home, state="draft")
    login(world.member)
    _upload(client, practice, PDF, "entwurf.pdf")
    [attachment] = _attachments(db)
    url = f"/praxisbeispiele/{practice.id}/anhaenge/{attachment.id}/entwurf.pdf"
    response = _get(client, url)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "private, no-store"
    login(world.outsider)
    assert client.get(url).status_code == 404
    client.post("/abmelden")
    assert client.get(url).status_code == 404


def test_deleting_removes_the_file_after_commit(client, login, db, world, make_practice, attachment_dir):
    practice = make_practice(organisation=world.home)
    login(world.member)
    _upload(client, practice, PDF, "weg.pdf")
    [attachment] = _attachments(db)
    stored = attachment_dir / attachment.storage_key
    login(world.outsider)
    assert client.post(f"/praxisbeispiele/{practice.id}/anhaenge/{attachment.id}/loeschen").status_code == 403
    login(world.member)
    assert client.post(f"/praxisbeispiele/{practice.id}/anhaenge/{attachment.id}/loeschen").status_code == 302
    assert _attachments(db) == [] and stored.exists()
    outbox.run_pending("practice-files")
    assert not stored.exists()
