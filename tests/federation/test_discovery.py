"""Discovery: WebFinger (round trip for every kind of actor), NodeInfo 2.1 and host-meta."""

from xml.etree import ElementTree

import pytest

AP = "application/activity+json"


@pytest.fixture
def actors(make_organisation, make_group, make_user):
    """One actor of each kind: (kind, expected acct name, actor URI)."""
    organisation = make_organisation(slug="stadt-jena", name="Stadt Jena")
    group = make_group(slug="innenstadt", name="AG Innenstadt")
    user = make_user(name="Erika Muster")
    return {
        "organisation": ("stadt-jena", "http://localhost/ap/organisations/stadt-jena", organisation),
        "group": ("innenstadt", "http://localhost/ap/groups/innenstadt", group),
        "user": (f"u.{user.id}", f"http://localhost/ap/users/{user.id}", user),
        "instance": ("instance.actor", "http://localhost/ap/instance", None),
    }


def webfinger(client, resource: str):
    return client.get("/.well-known/webfinger", query_string={"resource": resource})


@pytest.mark.parametrize("kind", ["organisation", "group", "user", "instance"])
def test_webfinger_round_trip(client, actors, kind):
    name, uri, _obj = actors[kind]

    found = webfinger(client, f"acct:{name}@localhost")

    assert found.status_code == 200
    assert found.mimetype == "application/jrd+json"
    assert found.headers["Access-Control-Allow-Origin"] == "*"
    jrd = found.get_json()
    assert jrd["subject"] == f"acct:{name}@localhost"
    self_link = next(link for link in jrd["links"] if link["rel"] == "self")
    assert self_link == {"rel": "self", "type": AP, "href": uri}

    document = client.get(uri, headers={"Accept": AP}).get_json()
    assert document["id"] == uri
    assert document["preferredUsername"] == name
    # ...and the actor's own URL leads back to the same name.
    assert webfinger(client, uri).get_json()["subject"] == jrd["subject"]


def test_an_organisation_wins_over_a_group_of_the_same_slug(client, make_organisation, make_group):
    make_organisation(slug="klimaschutz")
    make_group(slug="klimaschutz")

    jrd = webfinger(client, "acct:klimaschutz@localhost").get_json()

    assert jrd["links"][0]["href"] == "http://localhost/ap/organisations/klimaschutz"


@pytest.mark.parametrize(
    ("resource", "status", "message"),
    [
        ("", 400, "resource fehlt"),
        ("acct:niemand@localhost", 404, "gibt es hier nicht"),
        ("acct:stadt-jena@other.example", 404, "gibt es hier nicht"),
        ("acct:geheim@localhost", 404, "gibt es hier nicht"),
        ("acct:u.999999@localhost", 404, "gibt es hier nicht"),
        ("https://other.example/ap/organisations/stadt-jena", 404, "gibt es hier nicht"),
    ],
)
def test_webfinger_refuses_what_is_not_ours(client, actors, make_group, resource, status, message):
    make_group(slug="geheim", visibility="members")

    answer = webfinger(client, resource)

    assert answer.status_code == status
    assert message in answer.get_json()["error"]


def test_nodeinfo_2_1(client, make_user, make_practice):
    make_user()
    make_practice()
    make_practice(state="draft")

    links = client.get("/.well-known/nodeinfo").get_json()["links"]
    assert links == [{"rel": "http://nodeinfo.diaspora.software/ns/schema/2.1",
                      "href": "http://localhost/nodeinfo/2.1"}]
    answer = client.get("/nodeinfo/2.1")

    assert answer.headers["Content-Type"] == (
        'application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.1#"'
    )
    info = answer.get_json()
    assert info["version"] == "2.1"
    assert info["software"]["name"] == "stadtnetz"
    assert info["protocols"] == ["activitypub"]
    assert info["services"] == {"inbound": [], "outbound": ["atom1.0"]}
    assert isinstance(info["openRegistrations"], bool)
    assert info["usage"]["users"]["total"] >= 1
    assert info["usage"]["localPosts"] == 1  # the draft is not counted
    assert set(info["metadata"]) >= {"nodeName"}


def test_host_meta_points_to_webfinger(client):
    answer = client.get("/.well-known/host-meta")

    assert answer.mimetype == "application/xrd+xml"
    link = ElementTree.fromstring(answer.data).find("{http://docs.oasis-open.org/ns/xri/xrd-1.0}Link")
    assert link.get("rel") == "lrdd"
    assert link.get("template") == "http://localhost/.well-known/webfinger?resource={uri}"


def test_with_federation_off_nothing_is_discoverable(app, client, actors):
    app.config["FEDERATION"] = "off"

    for path in ("/.well-known/webfinger?resource=acct:stadt-jena@localhost", "/.well-known/nodeinfo",
                 "/nodeinfo/2.1", "/.well-known/host-meta", "/ap/organisations/stadt-jena", "/ap/instance"):
        assert client.get(path).status_code == 404, path
