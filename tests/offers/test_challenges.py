"""Challenges: municipalities post them, providers answer with an offer, the municipality
marks answers helpful and closes with what it chose; watchers and the municipality are told."""

from datetime import date, timedelta

import pytest

from stadtnetz.accounts.models import OrganisationType
from stadtnetz.errors import Invalid, PermissionDenied
from stadtnetz.forum.activity_models import MailMode
from stadtnetz.forum.notifications import set_mail_mode
from stadtnetz.offers import challenges
from stadtnetz.offers.models import ChallengeState

CHALLENGE = {"title": "Wir suchen eine Lösung für leere Läden",
             "description": "Viele Ladenlokale in der Altstadt stehen leer.", "topics": ["leerstand"],
             "deadline": date.today() + timedelta(days=14)}


def test_only_municipal_members_post_challenges(world):
    with pytest.raises(PermissionDenied):
        challenges.create_challenge(world.seller, world.provider, CHALLENGE)
    with pytest.raises(PermissionDenied):
        challenges.create_challenge(world.seller, world.town, CHALLENGE)
    challenge = challenges.create_challenge(world.clerk, world.town, CHALLENGE)
    assert challenge.is_open and [t.slug for t in challenge.topics] == ["leerstand"]


@pytest.mark.parametrize(("change", "field"), [
    ({"deadline": date.today() - timedelta(days=1)}, "deadline"),
    ({"deadline": None}, "deadline"),
    ({"description": ""}, "description"),
    ({"topics": ["unbekannt"]}, "topics"),
])
def test_bad_challenges_are_refused(world, change, field):
    with pytest.raises(Invalid) as refused:
        challenges.create_challenge(world.clerk, world.town, {**CHALLENGE, **change})
    assert refused.value.field == field


def test_watching_providers_hear_of_new_challenges(db, world, make_user, make_membership, make_organisation,
                                                   mailbox):
    challenges.watch_topics(world.seller, ["leerstand", "handel"])
    silent = make_user(name="Stille Anbieterin")
    make_membership(silent, world.provider)
    challenges.watch_topics(silent, ["leerstand"])
    set_mail_mode(silent, MailMode.NEVER)
    elsewhere = make_user()
    make_membership(elsewhere, make_organisation(type=OrganisationType.ANBIETER))
    challenges.watch_topics(elsewhere, ["klimaanpassung"])
    db.session.commit()
    challenges.create_challenge(world.clerk, world.town, CHALLENGE)
    db.session.commit()
    mails = mailbox.deliver()
    assert [m["To"] for m in mails] == [world.seller.email]
    assert mails[0]["Subject"] == "Neues Gesuch: Wir suchen eine Lösung für leere Läden"
    assert "Stadt Altena sucht eine Lösung" in mails[0].get_content()


def test_only_providers_may_watch_topics(world):
    with pytest.raises(PermissionDenied):
        challenges.watch_topics(world.clerk, ["leerstand"])


def test_a_provider_answers_and_the_municipality_is_told(db, world, make_offer, make_challenge, mailbox):
    challenge = make_challenge(world.town)
    offer = make_offer(world.provider, title="Leerstandsbörse")
    with pytest.raises(PermissionDenied):
        challenges.answer(world.clerk, challenge, offer, "Nehmen Sie das!")
    challenges.answer(world.seller, challenge, offer, "Unsere Börse vermittelt **Zwischennutzer**.")
    db.session.commit()
    with pytest.raises(Invalid):
        challenges.answer(world.seller, challenge, offer, "Noch einmal")
    mails = mailbox.deliver()
    assert [m["To"] for m in mails] == [world.clerk.email]
    assert "Leerstandslotsen GmbH hat auf Ihr Gesuch" in mails[0].get_content()
    assert "„Leerstandsbörse“" in mails[0].get_content()


def test_a_provider_answers_only_with_its_own_offer(world, make_offer, make_challenge):
    with pytest.raises(PermissionDenied):
        challenges.answer(world.seller, make_challenge(world.town), make_offer(), "Fremdes Angebot")


def test_the_municipality_marks_helpful_and_closes_with_its_choice(db, world, make_offer, make_challenge):
    challenge = make_challenge(world.town)
    reply = challenges.answer(world.seller, challenge, make_offer(world.provider), "Wir helfen.")
    with pytest.raises(PermissionDenied):
        challenges.mark_helpful(world.seller, reply)
    challenges.mark_helpful(world.clerk, reply)
    with pytest.raises(Invalid) as refused:
        challenges.close_challenge(world.clerk, challenge, " ", reply)
    assert refused.value.field == "outcome"
    challenges.close_challenge(world.clerk, challenge, "Wir nehmen die Börse für ein Jahr.", reply)
    db.session.commit()
    assert challenge.state == ChallengeState.CLOSED and challenge.closed_at is not None
    assert challenge.chosen_answer == reply and reply.is_helpful
    assert challenge.outcome_html == "<p>Wir nehmen die Börse für ein Jahr.</p>"
    with pytest.raises(PermissionDenied):
        challenges.answer(world.seller, challenge, make_offer(world.provider), "Zu spät")
