"""The inbox: a signed activity is verified, stored once and queued for the worker (202);
every kind of bad request is refused with its status and a German reason, and nothing is
stored — neither the activity, nor its job, nor the remote actor."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from stadtnetz.extensions import db
from stadtnetz.federation import instances
from stadtnetz.federation.inbox import MAX_BODY_BYTES, InboxActivity
from stadtnetz.federation.remote_actors import RemoteActor
from stadtnetz.outbox import OutboxJob
from tests.federation.peer import Peer, rfc9421_signed_post


@pytest.fixture
def peer(app):
    app.config.update(FEDERATION="open", FEDERATION_ALLOW_LOOPBACK=True)
    running = Peer().start()
    yield running
    running.stop()


@pytest.fixture
def alice(peer):
    return peer.actor("alice")


def stored() -> dict:
    """What the inbox has written: activities, their jobs and remote actors."""
    count = lambda query: db.session.scalar(sa.select(sa.func.count()).select_from(query))  # noqa: E731
    return {
        "activities": count(sa.select(InboxActivity.id).subquery()),
        "jobs": count(sa.select(OutboxJob.id).where(OutboxJob.queue == "federation_inbox").subquery()),
        "actors": count(sa.select(RemoteActor.id).subquery()),
    }


NOTHING = {"activities": 0, "jobs": 0, "actors": 0}


def post(peer, client, activity, signer: dict, path: str = "/ap/inbox", **kw):
    return peer.signed_post(client, path, activity, signer["publicKey"]["id"], **kw)


def assert_refused(answer, status: int, reason: str):
    assert answer.status_code == status, answer.get_data(as_text=True)
    assert reason in answer.get_json()["error"]
    assert stored() == NOTHING


def test_signed_activity_is_stored_queued_and_answered_202(client, peer, alice):
    activity = peer.activity(alice)

    answer = post(peer, client, activity, alice)

    assert answer.status_code == 202
    row = db.session.scalar(sa.select(InboxActivity))
    assert row.activity_id == activity["id"]
    assert row.actor_uri == alice["id"]
    assert row.json == activity
    assert row.recipient is None
    job = db.session.scalar(sa.select(OutboxJob).where(OutboxJob.queue == "federation_inbox"))
    assert job.payload == {"id": row.id}
    remote = db.session.scalar(sa.select(RemoteActor))
    assert remote.uri == alice["id"]
    assert remote.inbox == alice["inbox"]
    assert remote.shared_inbox == f"{peer.base}/inbox"
    assert "<script>" not in remote.summary_html
    assert "<b>" not in remote.summary_html  # not on the allowlist
    assert remote.handle == f"@alice@{peer.host}"


def test_personal_inbox_records_its_recipient(client, peer, alice, make_organisation):
    make_organisation(slug="stadt-jena")

    answer = post(peer, client, peer.activity(alice, "Follow", object="x"), alice,
                  path="/ap/organisations/stadt-jena/inbox")

    assert answer.status_code == 202
    assert db.session.scalar(sa.select(InboxActivity.recipient)) == "http://localhost/ap/organisations/stadt-jena"
    assert post(peer, client, peer.activity(alice, number=2), alice,
                path="/ap/organisations/gibt-es-nicht/inbox").status_code == 404


def test_replayed_request_is_accepted_but_stored_once(client, peer, alice):
    activity = peer.activity(alice)
    first = post(peer, client, activity, alice)

    again = post(peer, client, activity, alice)

    assert (first.status_code, again.status_code) == (202, 202)
    assert stored() == {"activities": 1, "jobs": 1, "actors": 1}


def test_rfc9421_signed_activity_is_accepted(client, peer, alice):
    answer = rfc9421_signed_post(client, "/ap/inbox", peer.activity(alice), alice["publicKey"]["id"])

    assert answer.status_code == 202
    assert stored()["activities"] == 1


def test_unsigned_request_is_refused(client, peer, alice):
    answer = client.post("/ap/inbox", data=json.dumps(peer.activity(alice)),
                         content_type="application/activity+json")

    assert_refused(answer, 401, "nicht signiert")
    assert peer.received == []


def test_wrong_signature_is_refused(client, peer, alice):
    answer = post(peer, client, peer.activity(alice), alice, key_index=1)

    assert_refused(answer, 401, "ungültig")


def test_expired_signature_is_refused(client, peer, alice):
    answer = post(peer, client, peer.activity(alice), alice, now=datetime.now(UTC) - timedelta(hours=2))

    assert_refused(answer, 401, "abgelaufen")


def test_body_changed_after_signing_is_refused(client, peer, alice):
    signed_for = json.dumps(peer.activity(alice)).encode()
    headers_from = peer.signed_post  # sign one body, send another
    answer = headers_from(client, "/ap/inbox", None, alice["publicKey"]["id"],
                          body=signed_for.replace(b"Hallo", b"Hallo!"), Digest="SHA-256=AAAA")

    assert_refused(answer, 401, "Digest")


def test_oversized_body_is_refused(client, peer, alice):
    activity = peer.activity(alice, padding="x" * MAX_BODY_BYTES)

    assert_refused(post(peer, client, activity, alice), 413, "1 MiB")
    assert peer.received == []


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"{not json", "kein gültiges JSON"),
        (b"[" * 200_000, "kein gültiges JSON"),
        (b"[1, 2]", "kein JSON-Objekt"),
        (b'{"id": "http://x.example/1", "type": "Create", "actor": "http://x.example/a"}', "@context"),
        (b'{"@context": 5, "id": "http://x.example/1", "type": "Create", "actor": "http://x.example/a"}',
         "@context"),
        (b'{"@context": "https://www.w3.org/ns/activitystreams", "id": "urn:x", "type": "Create"}', "id"),
        (b'{"@context": "https://www.w3.org/ns/activitystreams", "id": "http://x.example/1", "type": "Like",'
         b' "actor": "http://x.example:99999/a"}', "actor"),
        (b'{"@context": "https://www.w3.org/ns/activitystreams", "id": "http://x.example/1", "type": "Note"}',
         "actor"),
    ],
)
def test_malformed_json_and_json_ld_are_refused(client, peer, alice, body, reason):
    assert_refused(post(peer, client, None, alice, body=body), 400, reason)


def test_activity_of_another_actor_than_the_signer_is_refused(client, peer, alice):
    bob = peer.actor("bob", key_index=1)

    answer = post(peer, client, peer.activity(bob), alice)

    assert answer.status_code == 403
    assert "stimmen nicht überein" in answer.get_json()["error"]
    assert stored()["activities"] == 0


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"id": "http://elsewhere.example/activities/1"}, "nicht vom Server ihres Akteurs"),
        ({"object": {"id": "http://elsewhere.example/notes/1", "type": "Note"}},
         "nicht vom Server des Akteurs"),
        ({"object": "http://elsewhere.example/notes/1", "type": "Delete"}, "nicht vom Server des Akteurs"),
        ({"object": {"id": "OBJ", "type": "Note", "attributedTo": "http://elsewhere.example/u/x"}},
         "fremden Server"),
    ],
)
def test_objects_of_another_origin_are_refused(client, peer, alice, change, reason):
    activity = peer.activity(alice) | change
    if isinstance(activity["object"], dict) and activity["object"]["id"] == "OBJ":
        activity["object"]["id"] = f"{peer.base}/notes/9"

    answer = post(peer, client, activity, alice)

    assert answer.status_code == 403
    assert reason in answer.get_json()["error"]
    assert stored()["activities"] == 0


def test_actor_on_loopback_is_refused_without_the_setting(app, client, peer, alice):
    app.config["FEDERATION_ALLOW_LOOPBACK"] = False

    assert_refused(post(peer, client, peer.activity(alice), alice), 401, "unbekannt")
    assert peer.received == []


def test_actor_on_a_private_address_is_refused(client, peer):
    mallory = {"id": "http://10.0.0.1/users/mallory", "publicKey": {"id": "http://10.0.0.1/users/mallory#main-key"}}
    activity = {"@context": "https://www.w3.org/ns/activitystreams", "id": "http://10.0.0.1/activities/1",
                "type": "Like", "actor": mallory["id"], "object": "http://localhost/ap/practices/1"}

    assert_refused(post(peer, client, activity, mallory), 401, "unbekannt")


@pytest.mark.parametrize(("mode", "state"), [("open", "blocked"), ("allowlist", "unknown")])
def test_disallowed_instances_are_refused_without_fetching_anything(app, client, peer, alice, mode, state):
    app.config["FEDERATION"] = mode
    instances.set_state(peer.host, instances.InstanceState(state))
    db.session.commit()

    answer = post(peer, client, peer.activity(alice), alice)

    assert answer.status_code == 403
    assert "keine Föderation erlaubt" in answer.get_json()["error"]
    assert stored()["activities"] == 0
    assert peer.received == []


def test_allowed_instance_is_heard_in_allowlist_mode(app, client, peer, alice):
    app.config["FEDERATION"] = "allowlist"
    instances.set_state(peer.host, instances.InstanceState.ALLOWED)
    db.session.commit()

    assert post(peer, client, peer.activity(alice), alice).status_code == 202


def test_with_federation_off_there_is_no_inbox(app, client, peer, alice):
    app.config["FEDERATION"] = "off"

    assert post(peer, client, peer.activity(alice), alice).status_code == 404
    assert stored() == NOTHING


def test_deletion_of_an_unknown_account_is_acknowledged_without_fetching(client, peer, alice):
    activity = peer.activity(alice, "Delete", object=alice["id"])

    answer = post(peer, client, activity, alice)

    assert answer.status_code == 202
    assert stored() == NOTHING
    assert peer.received == []


def test_rotated_key_is_fetched_again(client, peer, alice):
    assert post(peer, client, peer.activity(alice), alice).status_code == 202
    remote = db.session.scalar(sa.select(RemoteActor))
    remote.fetched_at -= timedelta(minutes=5)
    db.session.commit()
    peer.actor("alice", key_index=1)  # the server now serves a new key

    answer = post(peer, client, peer.activity(alice, number=2), alice, key_index=1)

    assert answer.status_code == 202
    assert stored()["activities"] == 2
