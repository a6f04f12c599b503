"""Interoperability with an implementation nobody on the project wrote: bovine (PyPI).

A bovine peer on loopback discovers a Stadtnetz organisation through WebFinger, fetches it with
a signed GET, follows it with a signed POST that Stadtnetz verifies, and receives Stadtnetz's
Accept and then a new practice, whose signatures bovine's own checker verifies.
"""

import urllib.error
import urllib.request

import pytest
import sqlalchemy as sa

from stadtnetz.accounts.models import Organisation, OrganisationType
from stadtnetz.extensions import db
from stadtnetz.federation.inbox import InboxActivity
from stadtnetz.practices import services as practices

from .bovine_peer import BovinePeer
from .conftest import Instance


@pytest.fixture
def stadtnetz(tmp_path):
    instance = Instance("a", tmp_path)
    yield instance
    instance.close()


@pytest.fixture
def bovine():
    peer = BovinePeer().start()
    yield peer
    peer.stop()


def test_bovine_follows_an_organisation_and_receives_its_practice(stadtnetz, bovine):
    with stadtnetz.context():
        organisation = Organisation(name="Stadt Jena", slug="jena", type=OrganisationType.KOMMUNE)
        db.session.add(organisation)

    status, jrd = bovine.get(stadtnetz.url(f"/.well-known/webfinger?resource=acct:jena@{stadtnetz.host}"))
    assert status == 200
    actor_uri = next(link["href"] for link in jrd["links"] if link["rel"] == "self")
    status, actor = bovine.get(actor_uri)
    assert (status, actor["type"], actor["id"]) == (200, "Organization", actor_uri)

    follow = {"@context": "https://www.w3.org/ns/activitystreams", "id": f"{bovine.base}/follows/1",
              "type": "Follow", "actor": bovine.actor_id, "object": actor_uri}
    assert bovine.post(actor["inbox"], follow) == 202  # Stadtnetz verified bovine's signature
    with stadtnetz.context():
        stored = db.session.scalar(sa.select(InboxActivity))
        assert (stored.activity_id, stored.actor_uri) == (follow["id"], bovine.actor_id)

    stadtnetz.run_queue("federation_inbox")
    stadtnetz.run_queue("federation_delivery")
    assert [(owner, activity["type"]) for owner, activity in bovine.accepted] == [(actor_uri, "Accept")]

    with stadtnetz.context():
        organisation = db.session.scalar(sa.select(Organisation).filter_by(slug="jena"))
        practice = practices.create_practice(None, organisation, {
            "title": "Leerstandslotsen in Jena", "teaser": "Lotsen vermitteln leere Läden.",
            "situation": "Viele Läden standen leer.", "implementation": "Zwei Lotsen beraten.",
            "topics": ["leerstand"]})
        practices.publish_practice(None, practice)
    stadtnetz.run_queue("federation_delivery")

    owner, create = bovine.accepted[-1]
    assert owner == actor_uri  # bovine verified Stadtnetz's signature against the fetched key
    assert create["type"] == "Create"
    assert create["object"]["type"] == "Article"
    assert create["object"]["name"] == "Leerstandslotsen in Jena"
    assert bovine.refused == []


def test_bovine_refuses_what_stadtnetz_did_not_sign(bovine, stadtnetz):
    """The peer's checks are real: an unsigned POST to its inbox is refused."""
    request = urllib.request.Request(f"{bovine.base}/inbox", data=b'{"type": "Follow"}', method="POST",
                                     headers={"Content-Type": "application/activity+json"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 401
    refused.value.close()
