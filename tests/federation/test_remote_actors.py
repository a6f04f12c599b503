"""Remote actors: fetched over HTTP, checked (id, key owner, same host), stored with sanitised
text, found again by key id, refreshed when stale, and keys served as their own document."""

from datetime import timedelta

import pytest

from stadtnetz.extensions import db
from stadtnetz.federation.fetch import FetchError
from stadtnetz.federation.remote_actors import RemoteActor, actor_for_key, remote_actor
from tests.federation.peer import Peer, peer_key, public_pem


@pytest.fixture
def peer(app):
    app.config.update(FEDERATION="open", FEDERATION_ALLOW_LOOPBACK=True)
    running = Peer().start()
    yield running
    running.stop()


def test_actor_is_fetched_once_and_then_read_from_the_database(peer):
    alice = peer.actor("alice", type_="Group")

    first = remote_actor(alice["id"])
    again = remote_actor(alice["id"])

    assert first.id == again.id
    assert (first.type, first.preferred_username, first.name) == ("Group", "alice", "Alice")
    assert first.delivery_inbox == f"{peer.base}/inbox"
    assert first.summary_html == "<p>Hallo alert(1)Welt</p>"  # tags off the allowlist are stripped
    assert len([r for r in peer.received if r.path == "/users/alice"]) == 1


def test_stale_actor_is_fetched_again(peer):
    alice = peer.actor("alice")
    remote_actor(alice["id"]).fetched_at -= timedelta(days=2)
    peer.actor("alice", name="Alice Neu")

    assert remote_actor(alice["id"]).name == "Alice Neu"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"id": "http://elsewhere.example/users/alice"}, "another id"),
        ({"type": "Note"}, "not an actor"),
        ({"publicKey": {"id": "K", "owner": "http://elsewhere.example/u", "publicKeyPem": "x"}},
         "no public key"),
        ({"inbox": "http://elsewhere.example/inbox"}, "inbox or key on its own host"),
    ],
)
def test_documents_that_are_not_this_actor_are_refused(peer, change, reason):
    alice = peer.actor("alice")
    peer.serve("/users/alice", alice | change)

    with pytest.raises(FetchError, match=reason):
        remote_actor(alice["id"])
    assert db.session.scalar(db.select(db.func.count(RemoteActor.id))) == 0


def test_actor_for_key_fetches_the_owner(peer):
    alice = peer.actor("alice")

    actor = actor_for_key(alice["publicKey"]["id"])

    assert actor.uri == alice["id"]
    assert actor_for_key(alice["publicKey"]["id"]).id == actor.id


def test_key_served_as_its_own_document(peer):
    alice = peer.actor("alice")
    key_id = f"{peer.base}/users/alice/main-key"
    alice["publicKey"]["id"] = key_id
    peer.serve("/users/alice", alice)
    peer.serve("/users/alice/main-key", {"id": key_id, "owner": alice["id"],
                                         "publicKeyPem": public_pem(peer_key())})

    assert actor_for_key(key_id).uri == alice["id"]


def test_key_id_not_belonging_to_the_fetched_actor_is_refused(peer):
    alice = peer.actor("alice")

    with pytest.raises(FetchError, match="not the key of"):
        actor_for_key(f"{alice['id']}#other-key")
