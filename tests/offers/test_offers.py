"""The rules of offers: only providers publish, at a limited rate (also when two publish at the
same moment, on PostgreSQL); references show only once
the practice's organisation confirmed them; a municipality recommends an offer once."""

import threading
from datetime import timedelta

import pytest

from stadtnetz.accounts.models import Organisation, OrganisationType, User
from stadtnetz.database import utcnow
from stadtnetz.errors import Invalid, PermissionDenied
from stadtnetz.extensions import db as _db
from stadtnetz.offers import services
from stadtnetz.offers.models import Offer

OFFER = {"title": "Leerstandsbörse", "teaser": "Leere Läden online vermitteln.",
         "description": "Eine Börse für **leere Ladenlokale**.", "topics": ["leerstand"],
         "price_model": "lizenz", "regions": ["05"]}


def test_a_provider_member_publishes_an_offer(db, world):
    offer = services.create_offer(world.seller, world.provider, OFFER)
    db.session.commit()
    stored = db.session.get(Offer, offer.id)
    assert stored.organisation == world.provider
    assert stored.description_html == "<p>Eine Börse für <strong>leere Ladenlokale</strong>.</p>"
    assert stored.region_names == ["Nordrhein-Westfalen"]


def test_a_municipality_cannot_publish_offers(world):
    with pytest.raises(PermissionDenied):
        services.create_offer(world.clerk, world.town, OFFER)
    with pytest.raises(PermissionDenied):
        services.create_offer(world.clerk, world.provider, OFFER)


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"title": " "}, "title", "Titel"),
    ({"topics": []}, "topics", "Handlungsfeld"),
    ({"price_model": "billig"}, "price_model", "Preismodell"),
    ({"regions": ["99"]}, "regions", "Unbekanntes Land"),
])
def test_bad_offers_are_refused_in_german(world, change, field, message):
    with pytest.raises(Invalid) as refused:
        services.create_offer(world.seller, world.provider, {**OFFER, **change})
    assert refused.value.field == field
    assert message in refused.value.message


def test_new_offers_per_provider_are_rate_limited(db, world, make_offer, make_organisation):
    for n in range(services.OFFERS_PER_WINDOW):
        make_offer(world.provider, title=f"Angebot {n}")
    with pytest.raises(Invalid) as refused:
        services.create_offer(world.seller, world.provider, OFFER)
    assert "Leerstandslotsen GmbH hat in den letzten 24 Stunden schon 3 Angebote veröffentlicht" \
        in refused.value.message
    # Another provider is not held back, and the window moves on.
    make_offer(make_organisation(type=OrganisationType.ANBIETER))
    for offer in db.session.scalars(db.select(Offer).where(Offer.organisation_id == world.provider.id)):
        offer.created_at = utcnow() - timedelta(hours=25)
    db.session.commit()
    assert services.create_offer(world.seller, world.provider, OFFER).id


def test_a_reference_shows_only_after_the_practices_municipality_confirms(
        db, world, make_offer, make_practice, make_user, make_membership, mailbox):
    practice = make_practice(world.town, title="Pop-up-Stores in Altena")
    offer = make_offer(world.provider, title="Leerstandsbörse")
    reference = services.add_reference(world.seller, offer, practice)
    db.session.commit()
    assert offer.confirmed_references == []
    [mail] = mailbox.deliver()
    assert mail["To"] == world.clerk.email
    assert mail["Subject"] == ("Bitte bestätigen: Wurde „Leerstandsbörse“ bei „Pop-up-Stores in Altena“ "
                               "eingesetzt?")
    assert practice.url in mail.get_content()
    # The provider cannot confirm its own claim, nor can another municipality.
    with pytest.raises(PermissionDenied):
        services.confirm_reference(world.seller, reference)
    outsider = make_user()
    make_membership(outsider, make_practice().organisation)
    with pytest.raises(PermissionDenied):
        services.confirm_reference(outsider, reference)
    services.confirm_reference(world.clerk, reference)
    db.session.commit()
    assert [r.practice.title for r in offer.confirmed_references] == ["Pop-up-Stores in Altena"]
    assert reference.confirmed_by == world.clerk


def test_a_declined_reference_is_gone(db, world, make_offer, make_practice):
    reference = services.add_reference(world.seller, make_offer(world.provider), make_practice(world.town))
    services.decline_reference(world.clerk, reference)
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count()).select_from(type(reference))) == 0


def test_a_municipality_recommends_an_offer_once(db, world, make_offer, make_user, make_membership):
    offer = make_offer(world.provider)
    services.recommend(world.clerk, offer, world.town, "Hat uns die Suche nach Mietern erleichtert.")
    db.session.commit()
    colleague = make_user()
    make_membership(colleague, world.town)
    assert services.recommending_organisations(colleague, offer) == []
    with pytest.raises(PermissionDenied):
        services.recommend(colleague, offer, world.town, "Noch einmal")
    assert [(r.organisation.name, r.note) for r in offer.recommendations] == [
        ("Stadt Altena", "Hat uns die Suche nach Mietern erleichtert.")]


def test_providers_cannot_recommend_and_a_note_is_needed(world, make_offer):
    offer = make_offer()
    with pytest.raises(PermissionDenied):
        services.recommend(world.seller, offer, world.provider, "Wir sind super")
    with pytest.raises(Invalid) as refused:
        services.recommend(world.clerk, offer, world.town, "  ")
    assert refused.value.field == "note"


@pytest.mark.postgres
def test_two_members_publishing_at_once_cannot_pass_the_limit_together(app, db, world, make_user,
                                                                       make_membership, make_offer):
    for n in range(services.OFFERS_PER_WINDOW - 1):
        make_offer(world.provider, title=f"Angebot {n}")
    colleague = make_user()
    make_membership(colleague, world.provider)
    db.session.commit()
    provider_id, barrier, outcomes = world.provider.id, threading.Barrier(2), []

    def publish(user_id, title):
        with app.app_context():
            try:
                user, provider = _db.session.get(User, user_id), _db.session.get(Organisation, provider_id)
                barrier.wait()
                services.create_offer(user, provider, {**OFFER, "title": title})
                _db.session.commit()
                outcomes.append("published")
            except Invalid:
                outcomes.append("refused")
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=publish, args=(user.id, f"Gleichzeitig {n}"))
               for n, user in enumerate((world.seller, colleague))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["published", "refused"]
    count = db.session.scalar(db.select(db.func.count()).where(Offer.organisation_id == provider_id))
    assert count == services.OFFERS_PER_WINDOW
