"""GET /api/v1/offers and /api/v1/challenges: provider content marked as such, confirmed
references only, filters by Handlungsfeld and state, the shared pagination, German errors."""

from stadtnetz.offers import challenges, services
from stadtnetz.offers.forms import OfferForm


def test_offers_are_listed_as_provider_content(client, world, make_offer, make_practice):
    offer = make_offer(world.provider, title="Leerstandsbörse", regions=["05"])
    make_offer(world.provider, title="Klimakarte", topics=["klimaanpassung"])
    confirmed = make_practice(world.town, title="Pop-up-Stores")
    services.confirm_reference(world.clerk, services.add_reference(world.seller, offer, confirmed))
    services.add_reference(world.seller, offer, make_practice(title="Nur behauptet"))
    services.recommend(world.clerk, offer, world.town, "Hilft sehr.")
    body = client.get("/api/v1/offers", query_string={"topic": "leerstand"}).get_json()
    assert [item["title"] for item in body["items"]] == ["Leerstandsbörse"]
    item = body["items"][0]
    assert item["provider_content"] is True
    assert item["provider"]["name"] == "Leerstandslotsen GmbH"
    assert item["regions"] == ["05"] and item["price_model"] == "lizenz"
    assert [r["title"] for r in item["references"]] == ["Pop-up-Stores"]
    assert item["recommendations"][0] == {**item["recommendations"][0], "organisation": "Stadt Altena",
                                          "note": "Hilft sehr."}
    assert body["pagination"]["total"] == 1 and body["pagination"]["links"]["next"] is None
    assert item["updated_at"] is None
    services.update_offer(world.seller, offer, {**OfferForm.data_of(offer), "teaser": "Neu."})
    item = client.get("/api/v1/offers", query_string={"topic": "leerstand"}).get_json()["items"][0]
    assert item["teaser"] == "Neu." and item["updated_at"].startswith(str(offer.updated_at.year))


def test_challenges_are_listed_with_their_state(client, db, world, make_challenge):
    open_one = make_challenge(world.town, title="Leere Läden")
    closed = make_challenge(world.town, title="Hitze", topics=["klimaanpassung"])
    challenges.close_challenge(world.clerk, closed, "Wir pflanzen Bäume.")
    db.session.commit()
    body = client.get("/api/v1/challenges", query_string={"state": "open"}).get_json()
    assert [(i["title"], i["state"], i["answers"]) for i in body["items"]] == [(open_one.title, "open", 0)]
    body = client.get("/api/v1/challenges", query_string={"topic": "klimaanpassung"}).get_json()
    assert body["items"][0]["outcome_html"] == "<p>Wir pflanzen Bäume.</p>"


def test_bad_parameters_answer_in_german(client):
    response = client.get("/api/v1/challenges", query_string={"state": "vielleicht"})
    assert response.status_code == 400
    assert response.get_json()["detail"].startswith("state: Erlaubt sind: open, closed")


def test_the_openapi_document_lists_both(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert paths["/api/v1/offers"]["get"]["operationId"] == "listOffers"
    assert {p["name"] for p in paths["/api/v1/challenges"]["get"]["parameters"]} == {
        "page", "per_page", "topic", "state"}
