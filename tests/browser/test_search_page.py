"""The search page in Chromium: a compound query, highlighted hits, autocomplete, axe-core."""

import pytest
from playwright.sync_api import expect

from stadtnetz import outbox, search
from stadtnetz.search import indexing
from tests.browser.axe import assert_accessible
from tests.search.conftest import Note, NoteBase

pytestmark = pytest.mark.browser


@pytest.fixture
def indexed(app, db):
    """Two indexed notes (the search tests' own searchable model)."""
    NoteBase.metadata.create_all(db.engine)
    search.searchable("note", "Notiz")(Note)
    db.session.add_all([
        Note(title="Leerstandsmanagement in der Altstadt",
             body="Ein Team vermittelt das Leerstandsmanagement."),
        Note(title="Radwege am Fluss", body="Sichere Wege für alle."),
    ])
    db.session.commit()
    outbox.run_pending("search")
    yield
    indexing.registry.pop("note", None)
    NoteBase.metadata.drop_all(db.engine)


def test_a_compound_query_finds_highlighted_hits_on_an_accessible_page(page, indexed):
    page.goto("/")
    navigation = page.get_by_role("navigation", name="Hauptnavigation")
    navigation.get_by_role("link", name="Suche", exact=True).click()
    page.get_by_label("Suchbegriffe").fill("Leerstand")
    page.get_by_role("button", name="Suchen").click()

    expect(page.get_by_role("heading", level=2)).to_have_text("1 Treffer")
    expect(page.get_by_role("link", name="Leerstandsmanagement in der Altstadt")).to_be_visible()
    expect(page.locator(".search-snippet mark")).to_have_text("Leerstandsmanagement")
    assert_accessible(page)


def test_the_search_box_offers_completions(page, indexed):
    page.goto("/suche")
    page.get_by_label("Suchbegriffe").press_sequentially("leer")
    expect(page.locator("#search-suggestions option")).to_have_count(1)
    expect(page.locator("#search-suggestions option")).to_have_attribute("value", "leerstandsmanagement")
