"""End to end in Chromium: a provider publishes an offer, a municipality posts a challenge and
sees the matching practice and offer (first being told the search is still updating), the
provider answers, and the municipality marks the answer helpful and closes the challenge. A
provider edits and withdraws an offer. Every page passes axe-core (WCAG 2.1 AA)."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from stadtnetz import outbox
from stadtnetz.accounts.models import OrganisationType
from tests.browser.axe import assert_accessible
from tests.browser.test_join_organisation import heading, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def people(make_municipality, make_organisation, make_user, make_membership, make_practice):
    """A provider's member, a municipality's member, and another town's practices."""
    provider = make_organisation(name="Leerstandslotsen GmbH", slug="leerstandslotsen",
                                 type=OrganisationType.ANBIETER)
    town = make_organisation(name="Stadt Altena", slug="stadt-altena",
                             municipality=make_municipality(name="Altena", population=16_000))
    neighbour = make_organisation(name="Stadt Iserlohn", slug="stadt-iserlohn",
                                  municipality=make_municipality(name="Iserlohn", population=90_000))
    seller = make_user(name="Paula Anbieter", email="paula@example.org")
    clerk = make_user(name="Karl Kommune", email="karl@example.org")
    make_membership(seller, provider)
    make_membership(clerk, town)
    make_practice(neighbour, title="Zwischennutzung leerer Ladenlokale", topics=["leerstand"],
                  teaser="Die Stadt vermittelt leere Geschäfte zur Zwischennutzung an Gründer.",
                  situation="In der Fußgängerzone standen viele Ladenlokale leer.",
                  implementation="Ein Leerstandsmanagement spricht Eigentümer an und vermittelt "
                                 "Zwischennutzer.")
    make_practice(neighbour, title="Hitzeaktionsplan", topics=["klimaanpassung"],
                  teaser="Trinkbrunnen und Bäume gegen Hitze.", situation="Heiße Sommer.",
                  implementation="Bäume gepflanzt.")
    return seller, clerk


def publish_offer(page) -> None:
    page.goto("/angebote")
    assert_accessible(page)
    page.get_by_role("link", name="Angebot veröffentlichen").click()
    assert_accessible(page)
    page.get_by_role("button", name="Veröffentlichen").click()  # nothing filled in
    expect(page.get_by_role("alert")).to_contain_text("Titel: Bitte geben Sie einen Titel an.")
    assert_accessible(page)
    page.get_by_label("Titel", exact=True).fill("Leerstandsbörse für Innenstädte")
    page.get_by_label("Kurzbeschreibung").fill("Erfasst leere Ladenlokale und vermittelt Zwischennutzer.")
    page.get_by_label("Beschreibung", exact=True).fill(
        "Ein Kataster aller leeren Geschäfte, Kontakte zu Eigentümern, Vermittlung von Zwischennutzungen.")
    page.get_by_label("Leerstand & Ansiedlung").check()
    page.get_by_label("Lizenz").check()
    page.get_by_label("Nordrhein-Westfalen").check()
    page.get_by_role("button", name="Veröffentlichen").click()
    expect(heading(page)).to_have_text("Leerstandsbörse für Innenstädte")
    expect(page.get_by_text("Anbieterinhalt").first).to_be_visible()
    assert_accessible(page)


def post_challenge(page) -> None:
    page.goto("/gesuche")
    assert_accessible(page)
    page.get_by_role("link", name="Gesuch veröffentlichen").click()
    page.get_by_label("Wir suchen eine Lösung für …").fill("Leere Ladenlokale in der Innenstadt")
    page.get_by_label("Beschreibung", exact=True).fill(
        "Immer mehr Ladenlokale stehen leer. Wir möchten Zwischennutzung ermöglichen und den Leerstand "
        "mit den Eigentümern angehen.")
    page.get_by_label("Leerstand & Ansiedlung").check()
    page.get_by_label("Antworten bis").fill((date.today() + timedelta(days=21)).isoformat())
    assert_accessible(page)
    page.get_by_role("button", name="Veröffentlichen").click()
    expect(page.get_by_text("Das Gesuch ist veröffentlicht.")).to_be_visible()


def test_a_challenge_meets_a_practice_and_an_offer(new_context, people):
    seller, clerk = people
    provider = new_context().new_page()
    log_in(provider, seller.email)
    publish_offer(provider)

    town = new_context().new_page()
    log_in(town, clerk.email)
    post_challenge(town)
    expect(town.get_by_text("Die Suche wird gerade aktualisiert")).to_be_visible()
    outbox.run_pending("search")  # the indexer, as the worker would run it
    town.reload()
    expect(town.locator(".matching-practices li").first).to_contain_text("Zwischennutzung leerer Ladenlokale")
    offer = town.locator(".matching-offers li").first
    expect(offer).to_contain_text("Leerstandsbörse für Innenstädte")
    expect(offer).to_contain_text("Anbieterinhalt")
    assert_accessible(town)

    provider.goto("/gesuche")
    provider.get_by_role("link", name="Leere Ladenlokale in der Innenstadt").click()
    provider.get_by_label("Ihr Angebot", exact=True).select_option(label="Leerstandsbörse für Innenstädte")
    provider.get_by_label("Wie hilft Ihr Angebot hier?").fill(
        "Unsere Börse findet Zwischennutzer in vier Wochen.")
    provider.get_by_role("button", name="Antwort senden").click()
    expect(provider.get_by_text("Ihre Antwort ist eingetragen.")).to_be_visible()
    assert_accessible(provider)

    town.reload()
    answer = town.locator(".answers li").first
    expect(answer).to_contain_text("Unsere Börse findet Zwischennutzer in vier Wochen.")
    answer.get_by_role("button", name="Als hilfreich markieren").click()
    expect(town.get_by_text("Die Antwort ist als hilfreich markiert.")).to_be_visible()
    town.get_by_label("Gewählte Antwort").select_option(
        label="Leerstandsbörse für Innenstädte (Leerstandslotsen GmbH)")
    town.get_by_label("Wofür haben Sie sich entschieden?").fill("Wir testen die Börse ein Jahr lang.")
    town.get_by_role("button", name="Abschließen").click()
    expect(town.get_by_text("Das Gesuch ist abgeschlossen.")).to_be_visible()
    expect(town.locator(".outcome")).to_contain_text(
        "Gewählt: Leerstandsbörse für Innenstädte von Leerstandslotsen GmbH")
    assert_accessible(town)


def test_a_provider_edits_and_withdraws_its_offer(new_context, people):
    seller, _clerk = people
    provider = new_context().new_page()
    log_in(provider, seller.email)
    publish_offer(provider)
    provider.get_by_role("link", name="Angebot bearbeiten").click()
    expect(provider.get_by_label("Titel", exact=True)).to_have_value("Leerstandsbörse für Innenstädte")
    assert_accessible(provider)
    provider.get_by_label("Kurzbeschreibung").fill("Jetzt auch mit Beratung für Eigentümer.")
    provider.get_by_role("button", name="Änderungen speichern").click()
    expect(provider.get_by_text("Die Änderungen sind gespeichert.")).to_be_visible()
    expect(provider.get_by_text("Jetzt auch mit Beratung für Eigentümer.")).to_be_visible()
    provider.get_by_role("button", name="Angebot zurückziehen").click()
    expect(provider.get_by_text("Das Angebot ist zurückgezogen.")).to_be_visible()
    expect(provider.get_by_text("Leerstandslotsen GmbH hat dieses Angebot am")).to_be_visible()
    assert_accessible(provider)
    provider.goto("/angebote")
    expect(provider.get_by_text("Noch keine Angebote.")).to_be_visible()
