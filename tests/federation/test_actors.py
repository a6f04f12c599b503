"""Actor documents (Organization, Person, Group as Lemmy reads it, Application), their keys,
collections and the object endpoints' visibility rules."""

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from stadtnetz.extensions import db
from stadtnetz.federation import activities, keys
from stadtnetz.federation.actors import local_actor_for, local_actor_from_uri

AP = "application/activity+json"


def get_ap(client, path: str):
    return client.get(path, headers={"Accept": AP})


def test_organisation_is_an_organization_with_inbox_and_key(client, make_organisation):
    make_organisation(slug="stadt-jena", name="Stadt Jena", description="Wir **teilen** <script>x</script>")

    answer = get_ap(client, "/ap/organisations/stadt-jena")

    assert answer.status_code == 200
    assert answer.mimetype == AP
    actor = answer.get_json()
    uri = "http://localhost/ap/organisations/stadt-jena"
    assert actor["type"] == "Organization"
    assert actor["id"] == uri
    assert actor["name"] == "Stadt Jena"
    assert actor["inbox"] == f"{uri}/inbox"
    assert actor["outbox"] == f"{uri}/outbox"
    assert actor["followers"] == f"{uri}/followers"
    assert actor["endpoints"] == {"sharedInbox": "http://localhost/ap/inbox"}
    assert actor["url"] == "http://localhost/organisationen/stadt-jena"
    assert "<strong>teilen</strong>" in actor["summary"]
    assert "<script>" not in actor["summary"]
    assert "https://w3id.org/security/v1" in actor["@context"]
    key = actor["publicKey"]
    assert key["id"] == f"{uri}#main-key"
    assert key["owner"] == uri
    public_key = load_pem_public_key(key["publicKeyPem"].encode())
    assert isinstance(public_key, rsa.RSAPublicKey)
    assert public_key.key_size == 2048


@pytest.mark.parametrize(
    ("kind", "path", "actor_type"),
    [
        ("user", "/ap/users/{user}", "Person"),
        ("group", "/ap/groups/innenstadt", "Group"),
        ("instance", "/ap/instance", "Application"),
    ],
)
def test_every_kind_of_actor(client, make_user, make_group, kind, path, actor_type):
    user = make_user(name="Erika Muster", job_title="Citymanagerin")
    make_group(slug="innenstadt", name="AG Innenstadt")

    actor = get_ap(client, path.format(user=user.id)).get_json()

    assert actor["type"] == actor_type
    assert actor["publicKey"]["owner"] == actor["id"]
    assert actor["inbox"] == actor["id"] + "/inbox"
    if kind == "group":  # what Lemmy needs of a FEP-1b12 group
        assert actor["preferredUsername"] == "innenstadt"
        assert actor["postingRestrictedToMods"] is False
        assert actor["followers"].endswith("/followers")
    if kind == "user":
        assert actor["name"] == "Erika Muster"
        assert "Citymanagerin" in actor["summary"]
        assert "email" not in str(actor).lower()


def test_private_and_unknown_actors_are_not_found(client, make_group):
    make_group(slug="vertraulich", visibility="members")

    for path in ("/ap/groups/vertraulich", "/ap/organisations/gibt-es-nicht", "/ap/users/424242",
                 "/ap/users/abc"):
        assert get_ap(client, path).status_code == 404, path


def test_a_browser_is_sent_to_the_actors_page(client, make_organisation):
    make_organisation(slug="stadt-jena")

    answer = client.get("/ap/organisations/stadt-jena", headers={"Accept": "text/html"})

    assert answer.status_code == 303
    assert answer.headers["Location"] == "http://localhost/organisationen/stadt-jena"


def test_key_made_while_serving_the_actor_is_kept_for_later_requests(client, make_organisation):
    make_organisation(slug="stadt-jena")

    first = get_ap(client, "/ap/organisations/stadt-jena").get_json()["publicKey"]["publicKeyPem"]
    again = get_ap(client, "/ap/organisations/stadt-jena").get_json()["publicKey"]["publicKeyPem"]

    assert first == again
    assert db.session.scalar(db.select(keys.ActorKey.public_pem)) == first


def test_key_survives_the_rollback_of_the_work_that_made_it(app, make_organisation):
    actor = local_actor_for(make_organisation())

    made = keys.public_pem(actor)
    db.session.rollback()

    assert keys.public_pem(actor) == made


def test_key_is_made_once_kept_and_private_part_encrypted(app, make_organisation):
    actor = local_actor_for(make_organisation())

    first = keys.public_pem(actor)
    assert keys.public_pem(actor) == first
    row = db.session.scalar(db.select(keys.ActorKey))
    assert b"PRIVATE KEY" not in row.private_pem_encrypted
    signature = keys.private_key(actor).sign(b"probe", padding.PKCS1v15(), hashes.SHA256())
    load_pem_public_key(first.encode()).verify(signature, b"probe", padding.PKCS1v15(), hashes.SHA256())


def test_a_changed_secret_key_gives_the_actor_a_new_key(app, make_organisation):
    actor = local_actor_for(make_organisation())
    before = keys.public_pem(actor)

    app.config["SECRET_KEY"] = "another-secret-" + "y" * 32
    keys.private_key(actor)

    assert keys.public_pem(actor) != before


def test_local_actor_from_uri(app, make_organisation, make_user):
    organisation = make_organisation(slug="stadt-jena")
    user = make_user()

    assert local_actor_from_uri("http://localhost/ap/organisations/stadt-jena#main-key").obj == organisation
    assert local_actor_from_uri(f"http://localhost/ap/users/{user.id}").obj == user
    assert local_actor_from_uri("http://localhost/ap/instance").kind == "instance"
    assert local_actor_from_uri("http://other.example/ap/organisations/stadt-jena") is None
    assert local_actor_from_uri("http://localhost/ap/organisations/stadt-jena/inbox") is None


def test_collections(client, make_organisation):
    make_organisation(slug="stadt-jena")

    for name in ("outbox", "followers"):
        collection = get_ap(client, f"/ap/organisations/stadt-jena/{name}").get_json()
        assert collection["type"] == "OrderedCollection"
        assert collection["id"] == f"http://localhost/ap/organisations/stadt-jena/{name}"
        assert collection["totalItems"] == 0


def test_outbox_lists_public_posts_and_activities_are_served_when_public(client, make_organisation,
                                                                          make_practice):
    organisation = make_organisation(slug="stadt-jena")
    practice = make_practice(organisation=organisation)
    actor = local_actor_for(organisation)
    private = activities.record(activities.follow(actor, "https://remote.example/users/a"))
    db.session.commit()

    outbox = get_ap(client, "/ap/organisations/stadt-jena/outbox").get_json()

    assert outbox["totalItems"] == 1
    [create] = outbox["orderedItems"]
    assert (create["type"], create["object"]["name"]) == ("Create", practice.title)
    served = get_ap(client, create["id"].removeprefix("http://localhost"))
    assert served.status_code == 200
    assert served.get_json() == create
    assert get_ap(client, f"/ap/activities/{private.id}").status_code == 404


def test_practice_objects_follow_visibility(client, make_practice):
    published, draft = make_practice(), make_practice(state="draft")
    archived = make_practice(state="archived")

    article = get_ap(client, f"/ap/practices/{published.id}")
    assert article.status_code == 200
    assert article.get_json()["type"] == "Article"
    assert article.get_json()["name"] == published.title
    assert get_ap(client, f"/ap/practices/{draft.id}").status_code == 404
    gone = get_ap(client, f"/ap/practices/{archived.id}")
    assert gone.status_code == 410
    assert gone.get_json()["type"] == "Tombstone"
    assert gone.get_json()["formerType"] == "Article"
