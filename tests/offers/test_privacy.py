"""Offers in the privacy functions: the export lists what the user wrote and watches; deleting
the account keeps offers and challenges without an author, or deletes them when asked."""

import json

from stadtnetz.offers import challenges, services
from stadtnetz.offers.models import Challenge, Offer, TopicWatch
from tests.conftest import PASSWORD

OFFER = {"title": "Leerstandsbörse", "teaser": "Kurz.", "description": "Lang.", "topics": ["leerstand"],
         "price_model": "kostenlos"}


def test_export_lists_offers_answers_and_watches(client, login, db, world, make_challenge):
    offer = services.create_offer(world.seller, world.provider, OFFER)
    challenges.answer(world.seller, make_challenge(world.town), offer, "Wir helfen gern.")
    challenges.watch_topics(world.seller, ["leerstand"])
    db.session.commit()
    login(world.seller)
    data = json.loads(client.post("/konto/daten").get_data(as_text=True))
    assert [o["title"] for o in data["offers"]] == ["Leerstandsbörse"]
    assert data["challenge_answers"][0]["message"] == "Wir helfen gern."
    assert data["watched_topics"] == ["leerstand"]


def test_deleting_keeps_or_removes_the_content(client, login, db, world, make_challenge):
    kept = services.create_offer(world.seller, world.provider, OFFER)
    challenge = challenges.create_challenge(world.clerk, world.town, {
        "title": "Leere Läden", "description": "Was tun?", "topics": ["leerstand"],
        "deadline": make_challenge(world.town).deadline})
    challenges.watch_topics(world.seller, ["leerstand"])
    db.session.commit()
    challenge_id = challenge.id
    login(world.seller)
    client.post("/konto/loeschen", data={"password": PASSWORD})
    db.session.expire_all()
    assert kept.author is None and db.session.scalars(db.select(TopicWatch)).all() == []
    login(world.clerk)
    client.post("/konto/loeschen", data={"password": PASSWORD, "delete_content": "y"})
    assert db.session.get(Challenge, challenge_id) is None
    assert [o.title for o in db.session.scalars(db.select(Offer))] == ["Leerstandsbörse"]
