"""The offer and challenge pages: provider content is labelled everywhere it appears, offers
stay out of practice results and general search unless asked for, and the forms work."""

import re
from datetime import date, timedelta

import pytest

from stadtnetz import search
from stadtnetz.offers import services
from stadtnetz.offers.models import Challenge, Offer

LABEL = "Angebot eines Lösungsanbieters"


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


@pytest.fixture
def shelf(world, make_offer, make_practice, make_challenge, index):
    practice = make_practice(world.town, title="Zwischennutzung leerer Läden", topics=["leerstand"])
    offer = make_offer(world.provider, title="Leerstandsbörse für Innenstädte",
                       teaser="Leere Läden finden Zwischennutzer.", topics=["leerstand"])
    challenge = make_challenge(world.town, title="Wir suchen eine Lösung für leere Läden",
                               description="Viele leere Läden und Ladenlokale, wir suchen Zwischennutzer.")
    index()
    return practice, offer, challenge


def test_offers_are_labelled_as_provider_content_everywhere(client, world, shelf):
    practice, offer, challenge = shelf
    services.add_reference(world.seller, offer, practice)
    services.confirm_reference(world.clerk, offer.references[0])
    page = text(client.get(offer.url))
    assert "Anbieterinhalt" in page and LABEL in page
    card = text(client.get("/angebote"))
    assert "Anbieterinhalt Angebot eines Lösungsanbieters: Leerstandslotsen GmbH" in card
    hits = text(client.get("/suche", query_string={"q": "Leerstandsbörse", "kind": "offer"}))
    assert re.search(f"{LABEL} [^<]{{0,40}} Leerstandsbörse für Innenstädte", hits)
    matches = text(client.get(challenge.url))
    assert f"Anbieterinhalt {LABEL}: Leerstandslotsen GmbH Leerstandsbörse für Innenstädte" in matches
    on_practice = text(client.get(practice.url))
    assert "Eingesetzte Angebote von Lösungsanbietern Anbieterinhalt Leerstandsbörse für Innenstädte" \
        in on_practice


def test_offers_stay_out_of_practice_results_and_general_search(client, shelf):
    practice, offer, _challenge = shelf
    everything = text(client.get("/suche", query_string={"q": "Zwischennutzer leere Läden"}))
    assert practice.title in everything and offer.title not in everything
    assert "In Angeboten von Lösungsanbietern suchen" in everything
    browse = text(client.get("/praxisbeispiele", query_string={"q": "Leerstandsbörse"}))
    assert offer.title not in browse
    feed = client.get("/praxisbeispiele/feed.atom").get_data(as_text=True)
    assert practice.title in feed and offer.title not in feed
    api = client.get("/api/v1/search", query_string={"q": "Leerstandsbörse"}).get_json()
    assert [hit["kind"] for hit in api["hits"]] == []
    asked = client.get("/api/v1/search", query_string={"q": "Leerstandsbörse", "kinds": "offer"}).get_json()
    assert [hit["title"] for hit in asked["hits"]] == [offer.title]
    assert "offer" not in {hit.kind for hit in search.search("Leerstand").hits}


def test_the_challenge_page_lists_practices_before_offers(client, shelf):
    practice, offer, challenge = shelf
    page = text(client.get(challenge.url))
    assert page.index("Erfahrungen anderer Kommunen") < page.index(practice.title) \
        < page.index("Passende Angebote von Lösungsanbietern") < page.index(offer.title)


def test_a_provider_publishes_an_offer_through_the_form(client, db, world, login):
    login(world.seller)
    response = client.post("/angebote/neu", data={
        "organisation": world.provider.id, "title": "Frequenzzählung", "teaser": "Passanten zählen.",
        "description": "Laserscanner zählen Passanten.", "topics": ["handel", "digitalisierung"],
        "price_model": "projektpreis", "regions": ["05", "09"]}, follow_redirects=True)
    assert "Das Angebot ist veröffentlicht" in text(response)
    offer = db.session.scalar(db.select(Offer).where(Offer.title == "Frequenzzählung"))
    assert [t.slug for t in offer.topics] == ["digitalisierung", "handel"]
    assert "Nordrhein-Westfalen, Bayern" in text(response)


def test_the_rate_limit_is_explained_on_the_form(client, world, login, make_offer):
    for _n in range(services.OFFERS_PER_WINDOW):
        make_offer(world.provider)
    login(world.seller)
    response = client.post("/angebote/neu", data={
        "organisation": world.provider.id, "title": "Noch eins", "teaser": "Kurz.", "description": "Lang.",
        "topics": ["handel"], "price_model": "kostenlos"})
    assert response.status_code == 200
    assert "schon 3 Angebote veröffentlicht, mehr sind nicht möglich" in text(response)


def test_a_municipality_cannot_open_the_offer_form(client, world, login):
    login(world.clerk)
    assert client.get("/angebote/neu").status_code == 403


def test_a_reference_is_confirmed_on_the_practice_page(client, world, login, shelf):
    practice, offer, _challenge = shelf
    login(world.seller)
    response = client.post(f"/angebote/{offer.id}/referenzen", data={"practice": practice.url},
                           follow_redirects=True)
    assert "sobald die Kommune sie bestätigt hat" in text(response)
    assert "Noch keine bestätigten Referenzen" in text(response)
    client.post("/abmelden")
    login(world.clerk)
    page = text(client.get(practice.url))
    assert "Bitte bestätigen Sie das nur, wenn es stimmt" in page
    reference = offer.references[0]
    client.post(f"/angebote/referenzen/{reference.id}/bestaetigen", follow_redirects=True)
    assert f"{practice.title} (Stadt Altena)" in text(client.get(offer.url))


def test_recommending_twice_is_not_offered(client, world, login, shelf):
    _practice, offer, _challenge = shelf
    login(world.clerk)
    response = client.post(f"/angebote/{offer.id}/empfehlen",
                           data={"organisation": world.town.id, "note": "Sehr gute Beratung."},
                           follow_redirects=True)
    page = text(response)
    assert "Empfohlen von 1 Kommune" in page and "Stadt Altena : Sehr gute Beratung." in page
    assert f'action="/angebote/{offer.id}/empfehlen"' not in response.get_data(as_text=True)
    again = client.post(f"/angebote/{offer.id}/empfehlen",
                        data={"organisation": world.town.id, "note": "Nochmal"})
    assert again.status_code == 403


def test_the_challenge_flow_through_the_forms(client, db, world, login, make_offer, mailbox):
    offer = make_offer(world.provider, title="Leerstandsbörse")
    login(world.clerk)
    deadline = (date.today() + timedelta(days=10)).isoformat()
    response = client.post("/gesuche/neu", data={
        "organisation": world.town.id, "title": "Leere Läden füllen", "description": "Was tun?",
        "topics": ["leerstand"], "deadline": deadline}, follow_redirects=True)
    assert "Das Gesuch ist veröffentlicht" in text(response)
    challenge = db.session.scalar(db.select(Challenge))
    client.post("/abmelden")
    login(world.seller)
    response = client.post(f"/gesuche/{challenge.id}/antworten",
                           data={"offer": offer.id, "message": "Unsere Börse hilft."}, follow_redirects=True)
    assert "Ihre Antwort ist eingetragen" in text(response)
    client.post("/abmelden")
    login(world.clerk)
    reply = challenge.answers[0]
    client.post(f"/gesuche/antworten/{reply.id}/hilfreich", data={"helpful": "1"})
    response = client.post(f"/gesuche/{challenge.id}/abschliessen",
                           data={"chosen": reply.id, "outcome": "Wir testen die Börse."},
                           follow_redirects=True)
    page = text(response)
    assert "Das Gesuch ist abgeschlossen" in page
    assert "Gewählt: Leerstandsbörse von Leerstandslotsen GmbH" in page and "hilfreich" in page
    assert [m["To"] for m in mailbox.deliver()] == [world.clerk.email]


def test_a_closed_form_field_error_is_shown_in_german(client, world, login, make_challenge):
    challenge = make_challenge(world.town)
    login(world.clerk)
    response = client.post(f"/gesuche/{challenge.id}/abschliessen", data={"chosen": 0, "outcome": ""})
    assert response.status_code == 400
    assert "Bitte schreiben Sie, wofür Sie sich entschieden haben." in text(response)


def test_providers_choose_the_topics_they_watch(client, world, login):
    login(world.seller)
    client.post("/gesuche/beobachten", data={"topics": ["leerstand", "kultur"]})
    page = client.get("/gesuche/beobachten").get_data(as_text=True)
    assert re.search(r'checked[^>]*value="leerstand"|value="leerstand"[^>]*checked', page)
    assert not re.search(r'checked[^>]*value="handel"|value="handel"[^>]*checked', page)
    client.post("/abmelden")
    login(world.clerk)
    assert client.get("/gesuche/beobachten").status_code == 403
