"""Editing and withdrawing: a provider's verified members change an offer with the form it was
published with, and the index follows; a withdrawn offer leaves lists, search, the API and
challenge matches, its page says so, and its references and recommendations stay stored but
hidden. A municipality edits its challenge while it is open."""

from datetime import date, timedelta

import pytest

from stadtnetz import search
from stadtnetz.errors import Invalid, PermissionDenied
from stadtnetz.offers import challenges, services
from stadtnetz.offers.models import Offer, OfferReference, Recommendation
from tests.offers.test_pages import text

FORM = {"title": "Leerstandsbörse Plus", "teaser": "Jetzt auch mit Eigentümerberatung.",
        "description": "Die Börse berät auch **Eigentümer** leerer Ladenlokale.",
        "topics": ["leerstand", "wohnen"], "price_model": "auf-anfrage", "regions": ["05"]}


@pytest.fixture
def offer(world, make_offer, index):
    found = make_offer(world.provider, title="Leerstandsbörse", topics=["leerstand", "handel"],
                       teaser="Leere Läden online vermitteln.", description="Eine Börse für Ladenlokale.")
    index()
    return found


def titles(hits) -> list[str]:
    return [hit.title for hit in hits]


def test_the_provider_edits_its_offer_through_the_same_form(client, db, world, login, offer, index):
    login(world.seller)
    form = client.get(f"/angebote/{offer.id}/bearbeiten").get_data(as_text=True)
    assert 'value="Leerstandsbörse"' in form and "Eine Börse für Ladenlokale." in form
    assert 'name="organisation"' not in form  # the provider stays
    response = client.post(f"/angebote/{offer.id}/bearbeiten", data=FORM, follow_redirects=True)
    page = text(response)
    assert "Die Änderungen sind gespeichert." in page and "Leerstandsbörse Plus" in page
    assert "auf Anfrage" in page and "geändert am" in page
    stored = db.session.get(Offer, offer.id)
    assert [t.slug for t in stored.topics] == ["leerstand", "wohnen"]  # kept one, dropped one, added one
    assert "<strong>Eigentümer</strong>" in stored.description_html
    assert response.request.path == stored.url  # the new slug
    index()
    assert titles(search.search("Eigentümerberatung", kinds=["offer"]).hits) == ["Leerstandsbörse Plus"]
    assert titles(search.search("online vermitteln", kinds=["offer"]).hits) == []


def test_bad_edits_are_refused_in_german(client, world, login, offer):
    login(world.seller)
    response = client.post(f"/angebote/{offer.id}/bearbeiten", data={**FORM, "topics": []})
    assert response.status_code == 200
    assert "Bitte wählen Sie mindestens ein Handlungsfeld." in text(response)
    with pytest.raises(Invalid) as refused:
        services.update_offer(world.seller, offer, {**FORM, "price_model": "billig"})
    assert refused.value.field == "price_model"
    with pytest.raises(Invalid):
        services.update_offer(world.seller, offer, {**FORM, "topics": ["unbekannt"]})
    assert offer.title == "Leerstandsbörse"  # a refused edit changes nothing


def test_only_the_providers_members_edit_and_withdraw(client, world, login, offer, make_user, make_membership,
                                                       make_organisation):
    with pytest.raises(PermissionDenied):
        services.update_offer(world.clerk, offer, FORM)
    with pytest.raises(PermissionDenied):
        services.withdraw_offer(world.clerk, offer)
    login(world.clerk)
    assert client.get(f"/angebote/{offer.id}/bearbeiten").status_code == 403
    assert client.post(f"/angebote/{offer.id}/zurueckziehen").status_code == 403
    page = client.get(offer.url).get_data(as_text=True)
    assert "Angebot bearbeiten" not in page and "Angebot zurückziehen" not in page


def test_a_withdrawn_offer_is_gone_everywhere_but_its_page(client, db, world, login, offer, index,
                                                           make_practice, make_challenge):
    practice = make_practice(world.town, title="Pop-up-Stores in Altena", topics=["leerstand"])
    services.confirm_reference(world.clerk, services.add_reference(world.seller, offer, practice))
    services.recommend(world.clerk, offer, world.town, "Hat uns sehr geholfen.")
    challenge = make_challenge(world.town, title="Wir suchen eine Lösung für leere Läden",
                               description="Eine Börse für leere Ladenlokale gesucht.")
    challenges.answer(world.seller, challenge, offer, "Unsere Börse hilft.")
    index()
    assert titles(challenges.matches(challenge, None)[1]) == ["Leerstandsbörse"]
    login(world.seller)
    response = client.post(f"/angebote/{offer.id}/zurueckziehen", follow_redirects=True)
    assert response.status_code == 410
    page = text(response)
    assert "Das Angebot ist zurückgezogen." in page
    assert "Leerstandslotsen GmbH hat dieses Angebot am" in page and "zurückgezogen" in page
    assert "Hat uns sehr geholfen" not in page and "Pop-up-Stores in Altena" not in page
    # Before the indexer runs, the matches already leave it out; afterwards search does too.
    assert challenges.matches(challenge, None)[1] == []
    index()
    assert titles(search.search("Leerstandsbörse", kinds=["offer"]).hits) == []
    assert "Leerstandsbörse" not in text(client.get("/angebote"))
    assert client.get("/api/v1/offers").get_json()["items"] == []
    assert "Eingesetzte Angebote" not in text(client.get(practice.url))
    # The answer stays on the challenge, marked, but cannot be chosen; nothing more can be done with it.
    on_challenge = text(client.get(challenge.url))
    assert "Unsere Börse hilft." in on_challenge and "Angebot zurückgezogen" in on_challenge
    with pytest.raises(PermissionDenied):
        services.update_offer(world.seller, offer, FORM)
    with pytest.raises(PermissionDenied):
        challenges.answer(world.seller, make_challenge(world.town), offer, "Noch einmal")
    # Stored, only hidden.
    assert db.session.scalar(db.select(db.func.count()).select_from(OfferReference)) == 1
    assert db.session.scalar(db.select(db.func.count()).select_from(Recommendation)) == 1


def test_a_municipality_edits_its_challenge_while_it_is_open(client, db, world, login, make_challenge,
                                                             make_offer, index):
    challenge = make_challenge(world.town, title="Leere Läden", topics=["leerstand"])
    make_offer(world.provider, title="Hitzekarte", topics=["klimaanpassung"],
               teaser="Wo es in der Stadt am heißesten wird.", description="Sensoren messen die Hitze.")
    with pytest.raises(PermissionDenied):
        challenges.update_challenge(world.seller, challenge, {})
    login(world.clerk)
    assert "Leere Läden" in client.get(f"/gesuche/{challenge.id}/bearbeiten").get_data(as_text=True)
    deadline = (date.today() + timedelta(days=60)).isoformat()
    response = client.post(f"/gesuche/{challenge.id}/bearbeiten", data={
        "title": "Wir suchen eine Lösung gegen Hitze", "description": "Wo wird es am heißesten?",
        "topics": ["klimaanpassung"], "deadline": deadline}, follow_redirects=True)
    page = text(response)
    assert "Die Änderungen sind gespeichert." in page and "Wir suchen eine Lösung gegen Hitze" in page
    assert "Die Suche wird gerade aktualisiert" in page
    index()
    assert "Hitzekarte" in text(client.get(challenge.url))
    bad = client.post(f"/gesuche/{challenge.id}/bearbeiten", data={
        "title": "Hitze", "description": "Heiß.", "topics": ["klimaanpassung"],
        "deadline": (date.today() - timedelta(days=1)).isoformat()})
    assert "Die Frist darf nicht in der Vergangenheit liegen." in text(bad)
    challenges.close_challenge(world.clerk, challenge, "Wir messen selbst.")
    db.session.commit()
    assert client.get(f"/gesuche/{challenge.id}/bearbeiten").status_code == 403
    assert "Gesuch bearbeiten" not in text(client.get(challenge.url))


def test_unindexed_matches_are_explained_not_denied(client, db, world, login, make_challenge, make_offer,
                                                    index):
    challenge = make_challenge(world.town)
    assert search.is_pending(challenge)
    page = text(client.get(challenge.url))
    assert "Die Suche wird gerade aktualisiert" in page and "Noch keine passenden" not in page
    index()
    assert not search.is_pending(challenge)
    page = text(client.get(challenge.url))
    assert "Die Suche wird gerade aktualisiert" not in page and "Noch keine passenden Angebote" in page
    offer = make_offer(world.provider)
    assert "Die Suche wird gerade aktualisiert" not in text(client.get(offer.url))  # visitors see no note
    login(world.seller)
    assert "Ihr Angebot erscheint in wenigen Augenblicken" in text(client.get(offer.url))
    index()
    assert "Die Suche wird gerade aktualisiert" not in text(client.get(offer.url))
