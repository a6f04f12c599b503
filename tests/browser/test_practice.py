"""End to end in Chromium: a municipality writes a practice, attaches a PDF and publishes it;
someone finds it by a word inside a compound, sees the word highlighted, and a second
municipality records that it adopted it. Every page passes axe-core (WCAG 2.1 AA)."""

import pytest
from playwright.sync_api import expect

from stadtnetz import outbox
from tests.browser.axe import assert_accessible
from tests.browser.test_join_organisation import heading, log_in

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def towns(make_municipality, make_organisation, make_user, make_membership):
    """Lüdenscheid with a verified writer, Iserlohn with a verified member."""
    home = make_organisation(name="Stadt Lüdenscheid", slug="stadt-luedenscheid",
                             municipality=make_municipality(name="Lüdenscheid", population=70_000))
    other = make_organisation(name="Stadt Iserlohn", slug="stadt-iserlohn",
                              municipality=make_municipality(name="Iserlohn", population=90_000))
    writer = make_user(name="Mia Schreiber", email="mia@example.org")
    adopter = make_user(name="Otto Nachbar", email="otto@example.org")
    make_membership(writer, home)
    make_membership(adopter, other)
    return writer, adopter


def test_publish_find_and_adopt_a_practice(new_context, towns):
    writer, adopter = towns
    page = new_context().new_page()
    log_in(page, writer.email)
    page.goto("/praxisbeispiele")
    assert_accessible(page)
    page.get_by_role("link", name="Praxisbeispiel anlegen").click()
    expect(heading(page)).to_have_text("Neues Praxisbeispiel")
    assert_accessible(page)
    teaser = "Ein Kataster bringt Eigentümer und Gründer zusammen."
    page.get_by_label("Kurzbeschreibung").fill(teaser)
    page.get_by_role("button", name="Weitere Kennzahl").click()  # one more row, without JavaScript
    expect(page.locator("#key_figures-3-name")).to_be_visible()
    page.get_by_role("button", name="Als Entwurf speichern").click()  # the title is missing
    expect(page.get_by_role("alert")).to_contain_text("Titel: Bitte geben Sie einen Titel an.")
    expect(page.get_by_label("Kurzbeschreibung")).to_have_value(teaser)  # nothing lost
    assert_accessible(page)
    page.get_by_label("Titel", exact=True).fill("Leerstandskataster für die Altstadt")
    page.get_by_label("Ausgangslage").fill("In der Altstadt standen 23 Ladenlokale leer.")
    page.get_by_label("Umsetzung", exact=True).fill("Die Stadt erfasste jedes leere Ladenlokal.")
    page.get_by_label("Leerstand & Ansiedlung").check()
    page.locator("#key_figures-0-name").fill("Leere Ladenlokale")
    page.locator("#key_figures-0-before").fill("23")
    page.locator("#key_figures-0-after").fill("11")
    page.get_by_role("button", name="Als Entwurf speichern").click()
    expect(heading(page)).to_have_text("Leerstandskataster für die Altstadt")
    expect(page.get_by_text("Der Entwurf ist gespeichert.")).to_be_visible()

    page.get_by_label("Datei (PDF oder Bild)").set_input_files(
        files=[{"name": "Abschlussbericht.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.get_by_label("Beschreibung der Datei (optional)").fill("Abschlussbericht 2024")
    page.get_by_role("button", name="Hochladen").click()
    expect(page.get_by_role("link", name="Abschlussbericht 2024")).to_be_visible()
    page.get_by_role("button", name="Veröffentlichen").click()
    expect(page.get_by_text("ist veröffentlicht und für alle zu finden")).to_be_visible()
    assert_accessible(page)
    outbox.run_pending("search")  # the indexer, as the worker would run it

    visitor = new_context().new_page()
    visitor.goto("/praxisbeispiele")
    visitor.get_by_label("Suchbegriffe").fill("Leerstand")
    visitor.get_by_role("button", name="Suchen").click()
    result = visitor.get_by_role("link", name="Leerstandskataster für die Altstadt")
    expect(result).to_be_visible()
    expect(visitor.locator(".snippet mark").first).to_be_visible()
    assert_accessible(visitor)

    neighbour = new_context().new_page()
    log_in(neighbour, adopter.email)
    neighbour.goto(visitor.url)
    neighbour.get_by_role("link", name="Leerstandskataster für die Altstadt").click()
    expect(neighbour.get_by_role("link", name="Abschlussbericht 2024")).to_be_visible()
    assert_accessible(neighbour)
    neighbour.get_by_label("Wir haben das übernommen").check()
    neighbour.get_by_label("Kurze Notiz (optional)").fill("Bei uns mit dem Stadtmarketing.")
    neighbour.get_by_role("button", name="Eintragen").click()
    expect(neighbour.get_by_text("Danke! Ihre Übernahme steht jetzt beim Praxisbeispiel.")).to_be_visible()
    expect(neighbour.locator("#uebernahmen")).to_contain_text("Stadt Iserlohn")
    expect(neighbour.locator("#uebernahmen")).to_contain_text("Bei uns mit dem Stadtmarketing.")
    assert_accessible(neighbour)
