"""Delivery from instance A to instance B's real inbox over loopback: B verifies A's signature
(fetching A's key over HTTP), and keeps every activity exactly once even when A's worker
process is SIGKILLed in the middle of its deliveries and started again."""

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from stadtnetz.accounts.models import Organisation, OrganisationType, User
from stadtnetz.database import utcnow
from stadtnetz.errors import Invalid, NotFound, PermissionDenied
from stadtnetz.extensions import db
from stadtnetz.federation import activities, delivery
from stadtnetz.federation.actors import local_actor_for
from stadtnetz.federation.fetch import post_activity
from stadtnetz.federation.follows import Follower, local_key
from stadtnetz.federation.inbox import InboxActivity
from stadtnetz.federation.keys import ActorKey
from stadtnetz.federation.remote_actors import remote_actor
from stadtnetz.federation.remote_content import RemoteLike, RemotePractice
from stadtnetz.outbox import OutboxJob
from stadtnetz.practices import services
from stadtnetz.practices.models import Practice
from tests.conftest import TEST_DATABASE_URL
from tests.federation.conftest import settle, wait_until
from tests.federation.test_two_instances import PASSWORD, follow, make_user


def organisation_followed_by(a, b) -> int:
    """On A: an organisation followed by B's instance actor (as A's inbox processor stores it)."""
    with a.context():
        organisation = Organisation(name="Stadt Jena", slug="jena", type=OrganisationType.KOMMUNE)
        db.session.add(organisation)
        db.session.flush()
        follower = remote_actor(b.url("/ap/instance"))  # fetched from B over HTTP
        kind, local_id = local_key(local_actor_for(organisation))
        db.session.add(Follower(local_kind=kind, local_id=local_id, actor_uri=follower.uri,
                                follow_id=b.url("/ap/activities/follow-1")))
        return organisation.id


def publish(organisation_id: int, title: str) -> None:
    organisation = db.session.get(Organisation, organisation_id)
    practice = services.create_practice(None, organisation, {
        "title": title, "teaser": "Kurz gesagt.", "situation": "So war es.", "implementation": "So ging es.",
        "topics": ["leerstand"]})
    services.publish_practice(None, practice)


def received(b) -> list[dict]:
    with b.context():
        return [row.json for row in db.session.scalars(sa.select(InboxActivity).order_by(InboxActivity.id))]


def test_a_practice_reaches_the_other_instances_inbox_signed(instances):
    a, b = instances
    organisation_id = organisation_followed_by(a, b)
    with a.context():
        publish(organisation_id, "Leerstandskataster")
        job, = db.session.scalars(sa.select(OutboxJob).filter_by(queue=delivery.QUEUE))
        assert job.payload["inbox"] == b.url("/ap/inbox")  # B's shared inbox
    assert a.run_queue(delivery.QUEUE) == 1
    activity, = received(b)
    assert activity["type"] == "Create" and activity["actor"] == a.url("/ap/organisations/jena")
    assert activity["object"]["stadtnetzPractice"]["title"] == "Leerstandskataster"


def test_killing_the_worker_mid_delivery_loses_nothing_and_b_keeps_each_activity_once(instances):
    a, b = instances
    organisation_id = organisation_followed_by(a, b)
    titles = [f"Praxisbeispiel {n}" for n in range(6)]
    with a.context():
        for title in titles:
            publish(organisation_id, title)
    a.start_worker("--interval", "0.1")
    wait_until(lambda: received(b), timeout=60)
    a.kill_worker()  # somewhere between deliveries, or in the middle of one
    with a.context():
        # Five minutes later: the leases of whatever the dead worker held have run out.
        db.session.execute(sa.update(OutboxJob).where(OutboxJob.done_at.is_(None))
                           .values(lease_until=utcnow() - timedelta(seconds=1)))
    a.start_worker("--interval", "0.1")

    def all_done():
        with a.context():
            return a.pending(delivery.QUEUE) == 0
    wait_until(all_done, timeout=90)
    a.stop_worker()
    activities = received(b)
    assert sorted(activity["object"]["name"] for activity in activities) == titles
    assert len({activity["id"] for activity in activities}) == len(titles)
    with a.context():
        jobs = db.session.scalars(sa.select(OutboxJob).filter_by(queue=delivery.QUEUE)).all()
        assert len(jobs) == len(titles) and all(job.done_at is not None for job in jobs)



def test_a_key_made_by_the_worker_is_there_when_the_receiver_fetches_it(instances):
    """The organisation's first key is made by A's worker while it delivers; B fetches that key
    from A's server during the POST, so it must be committed before the request goes out."""
    a, b = instances
    organisation_id = organisation_followed_by(a, b)
    with a.context():
        publish(organisation_id, "Leerstandskataster")
        db.session.execute(sa.delete(ActorKey).where(ActorKey.actor_kind == "organisation"))
    assert a.run_queue(delivery.QUEUE) == 1
    activity, = received(b)
    assert activity["actor"] == a.url("/ap/organisations/jena")


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="SQLite has one writer: there a key made inside the "
                    "caller's write commits with it (see keys.py)")
def test_a_key_needed_inside_a_write_transaction_is_committed_before_the_request(instances):
    """On PostgreSQL a key made inside the caller's open transaction would hold B's fetch of it
    on A's unique index while A waits for B's answer: a deadlock. It is committed on its own."""
    a, b = instances
    organisation_id = organisation_followed_by(a, b)
    with a.context():
        db.session.execute(sa.delete(ActorKey))
    with a.context():
        organisation = db.session.get(Organisation, organisation_id)
        organisation.name = "Stadt Jena (geändert)"
        db.session.flush()  # the caller holds a write while it sends
        actor = local_actor_for(organisation)
        activity = activities.create(actor, {"id": a.url("/ap/notes/1"), "type": "Note", "content": "Hallo"})
        status = post_activity(b.url("/ap/inbox"), json.dumps(activity).encode(), actor)
        db.session.rollback()
    assert status == 202
    assert [row["id"] for row in received(b)] == [activity["id"]]
    with a.context():
        key, = db.session.scalars(sa.select(ActorKey))
        assert (key.actor_kind, key.actor_ref) == ("organisation", organisation_id)


def test_a_user_on_b_likes_a_practice_of_a_and_takes_the_like_back(instance_a, instance_b):
    a, b = instance_a, instance_b
    with a.context():
        db.session.add(Organisation(name="Stadt Jena", slug="jena", type=OrganisationType.KOMMUNE))
    follow(b, "Berta", f"@jena@{a.host}")
    settle(a, b)
    with a.context():
        organisation_id = db.session.scalar(sa.select(Organisation.id).filter_by(slug="jena"))
        publish(organisation_id, "Leerstandslotsen")
        practice_uri = a.url(f"/ap/practices/{db.session.scalar(sa.select(Practice.id))}")
    settle(a, b)

    with b.context():
        berta = db.session.scalar(sa.select(User).filter_by(name="Berta"))
        copy = db.session.scalar(sa.select(RemotePractice))
        assert copy.uri == practice_uri
        delivery.like_remote(berta, copy.uri)
        berta_uri = local_actor_for(berta).uri
    settle(a, b)
    with a.context():
        like, = db.session.scalars(sa.select(RemoteLike))
        assert (like.actor_uri, like.object_uri) == (berta_uri, practice_uri)
    with b.context():
        berta = db.session.scalar(sa.select(User).filter_by(name="Berta"))
        assert delivery.liked_remote(berta, practice_uri)
        with pytest.raises(Invalid, match="bereits"):
            delivery.like_remote(berta, practice_uri)
        delivery.unlike_remote(berta, practice_uri)
    settle(a, b)
    with a.context():
        assert db.session.scalars(sa.select(RemoteLike)).all() == []
    with b.context():
        berta = db.session.scalar(sa.select(User).filter_by(name="Berta"))
        assert not delivery.liked_remote(berta, practice_uri)
        with pytest.raises(NotFound):
            delivery.unlike_remote(berta, practice_uri)
        with pytest.raises(NotFound):
            delivery.like_remote(berta, a.url("/ap/practices/999"))
        newcomer = make_user("Neu")
        newcomer.email_confirmed_at = None
        with pytest.raises(PermissionDenied):
            delivery.like_remote(newcomer, practice_uri)
        copy_id = db.session.scalar(sa.select(RemotePractice.id))

    client = b.client()
    client.post("/anmelden", data={"email": "berta@example.org", "password": PASSWORD})
    page = client.get(f"/netzwerk/praxisbeispiele/{copy_id}").get_data(as_text=True)
    assert 'aria-pressed="false">Gefällt mir' in page
    answer = client.post(f"/netzwerk/praxisbeispiele/{copy_id}/gefaellt-mir", follow_redirects=True)
    assert 'aria-pressed="true">Gefällt mir' in answer.get_data(as_text=True)
    settle(a, b)
    with a.context():
        assert [like.actor_uri for like in db.session.scalars(sa.select(RemoteLike))] == [berta_uri]
