"""The demo offers and challenge: an offer with a confirmed reference and a recommendation, a
challenge with an answer; loading them twice creates nothing new."""

from stadtnetz.accounts.services import user_by_email
from stadtnetz.demo import ORGANISATIONS, USERS, _organisation, _user
from stadtnetz.directory.services import load_demo_municipalities
from stadtnetz.offers.demo import load_demo
from stadtnetz.offers.models import Challenge, Offer
from stadtnetz.practices.demo import load_demo_practices


def test_demo_offers_and_challenge(db):
    load_demo_municipalities()
    for spec in ORGANISATIONS:
        _organisation(spec)
    for spec in USERS:
        _user(spec, user_by_email(USERS[1].email))
    load_demo_practices()
    assert load_demo() == (2, 1)
    db.session.commit()
    assert load_demo() == (0, 0)
    offer = db.session.scalar(db.select(Offer).order_by(Offer.id))
    assert [r.practice.organisation.name for r in offer.confirmed_references] == ["Stadt Lüdenscheid"]
    assert [r.organisation.name for r in offer.recommendations] == ["Stadt Arnsberg"]
    challenge = db.session.scalar(db.select(Challenge))
    assert challenge.organisation.name == "Stadt Arnsberg" and challenge.answers[0].offer == offer
