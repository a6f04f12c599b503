"""German is the source language; the English catalog must cover every message."""

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "stadtnetz" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
METHODS = [("stadtnetz/**.py", "python"), ("templates/**.html", "jinja2"), ("templates/**.txt", "jinja2")]


def _messages_in_code() -> set[str]:
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        ROOT, method_map=METHODS, keywords=KEYWORDS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


@pytest.fixture(scope="module")
def catalog():
    with CATALOG.open("rb") as handle:
        return read_po(handle, locale="en")


def test_every_message_has_an_english_translation(catalog):
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id and m.string}
    missing = sorted(_messages_in_code() - translated)
    assert not missing, "untranslated (run `make extract-messages` and translate):\n" + "\n".join(missing)


def test_no_translation_is_marked_fuzzy(catalog):
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not fuzzy


def test_pages_render_in_english(client):
    html = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Municipalities learn from each other" in html
    assert "Kommunen lernen voneinander" not in html
