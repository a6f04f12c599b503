"""The inbox processor on one instance: stored activities take effect once, and only when they
should. Remote actors are stored as if fetched before; nothing leaves the machine."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from stadtnetz import outbox
from stadtnetz.database import utcnow
from stadtnetz.federation import processing
from stadtnetz.federation.activities import SentActivity
from stadtnetz.federation.actors import local_actor_for
from stadtnetz.federation.follows import Follower, Following, FollowState, follower_inboxes
from stadtnetz.federation.inbox import InboxActivity
from stadtnetz.federation.product_routes import remote_authors
from stadtnetz.federation.remote_actors import store_actor_document
from stadtnetz.federation.remote_content import (
    FederatedPost,
    RemoteLike,
    RemotePractice,
    RemoteReport,
    RemoteThread,
)
from stadtnetz.forum.activity_models import ModerationAction
from stadtnetz.forum.models import Post
from stadtnetz.search.indexing import document_for

REMOTE = "https://thueringen.example"
ORG = f"{REMOTE}/ap/organisations/jena"
PERSON = f"{REMOTE}/ap/users/7"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
_ids = iter(range(1, 10_000))


def actor_document(uri: str, kind: str = "Organization") -> dict:
    return {
        "id": uri, "type": kind, "preferredUsername": uri.rsplit("/", 1)[-1], "name": "Stadt Jena",
        "inbox": f"{uri}/inbox", "endpoints": {"sharedInbox": f"{REMOTE}/ap/inbox"},
        "followers": f"{uri}/followers", "url": f"{REMOTE}/profil",
        "publicKey": {"id": f"{uri}#main-key", "owner": uri, "publicKeyPem": "-----BEGIN PUBLIC KEY-----"},
    }


@pytest.fixture
def federated(app, db):
    """An open instance that knows the remote organisation and person."""
    app.config["FEDERATION"] = "open"
    store_actor_document(ORG, actor_document(ORG))
    store_actor_document(PERSON, actor_document(PERSON, "Person"))
    db.session.commit()


def deliver(db, activity: dict) -> InboxActivity:
    """Store ``activity`` as the inbox does and run the processor once."""
    activity.setdefault("id", f"{REMOTE}/ap/activities/{next(_ids)}")
    row = InboxActivity(activity_id=activity["id"], actor_uri=activity["actor"], json=activity)
    db.session.add(row)
    db.session.commit()
    processing.process({"id": row.id})
    db.session.commit()
    return row


def article(number: int = 1, updated=None, **extra) -> dict:
    published = utcnow() - timedelta(days=1)
    return {
        "id": f"{REMOTE}/ap/practices/{number}", "type": "Article", "attributedTo": ORG,
        "name": "Leerstandslotsen in Jena", "content": "<p>Kurz</p>",
        "url": f"{REMOTE}/praxisbeispiele/{number}-leerstandslotsen",
        "published": published.isoformat(), "updated": (updated or published).isoformat(),
        "to": [PUBLIC], "stadtnetzPractice": {
            "title": "Leerstandslotsen in Jena", "teaser": "Lotsen vermitteln leere Läden.",
            "sections": {"situation": "Viele **leere** Läden.<script>alert(1)</script>"},
            "topics": ["leerstand"], "status": "umsetzung", "totalCost": 120000,
            "keyFigures": [{"name": "Leerstandsquote", "before": "12.5", "after": "8", "unit": "%"}],
        }, **extra,
    }


def follow_org(db, user) -> Following:
    following = Following(user=user, actor_uri=ORG, follow_id=f"http://localhost/ap/activities/f{user.id}",
                          state=FollowState.ACCEPTED)
    db.session.add(following)
    db.session.commit()
    return following


def test_follow_of_an_organisation_is_stored_and_accepted(db, federated, make_organisation):
    organisation = make_organisation(slug="siegen")
    actor = local_actor_for(organisation)
    follow = {"type": "Follow", "actor": PERSON, "object": actor.uri}
    row = deliver(db, follow)

    assert row.processed_at is not None and row.error is None
    follower = db.session.scalar(sa.select(Follower))
    assert (follower.local_kind, follower.local_id) == ("organisation", organisation.id)
    assert follower.actor_uri == PERSON
    assert follower_inboxes(actor) == {f"{REMOTE}/ap/inbox"}
    accept = db.session.scalar(sa.select(SentActivity).where(SentActivity.type == "Accept"))
    assert accept.json["object"]["id"] == follow["id"] and accept.json["actor"] == actor.uri
    assert outbox.pending_count("federation_delivery") == 1

    deliver(db, {"type": "Undo", "actor": PERSON, "object": follow})
    assert db.session.scalar(sa.select(sa.func.count(Follower.id))) == 0
    assert follower_inboxes(actor) == set()


def test_follow_of_an_unknown_actor_takes_no_effect(db, federated):
    row = deliver(db, {"type": "Follow", "actor": PERSON, "object": "http://localhost/ap/organisations/nope"})
    assert row.error == "Follow of an unknown local actor"
    assert db.session.scalar(sa.select(sa.func.count(Follower.id))) == 0


def test_accept_and_reject_answer_our_follow(db, federated, make_user):
    alice, bob = make_user(), make_user()
    for user in (alice, bob):
        db.session.add(Following(user=user, actor_uri=ORG, follow_id=f"http://localhost/ap/activities/{user.id}"))
    db.session.commit()

    deliver(db, {"type": "Accept", "actor": ORG, "object": {"id": f"http://localhost/ap/activities/{alice.id}",
                                                              "type": "Follow"}})
    deliver(db, {"type": "Reject", "actor": ORG, "object": f"http://localhost/ap/activities/{bob.id}"})

    rows = db.session.scalars(sa.select(Following)).all()
    assert [(row.user_id, row.state) for row in rows] == [(alice.id, FollowState.ACCEPTED)]


def test_accept_from_another_actor_changes_nothing(db, federated, make_user):
    user = make_user()
    db.session.add(Following(user=user, actor_uri=ORG, follow_id="http://localhost/ap/activities/x"))
    db.session.commit()
    row = deliver(db, {"type": "Accept", "actor": PERSON, "object": "http://localhost/ap/activities/x"})
    assert row.error == "answer to a Follow we did not send"
    assert db.session.scalar(sa.select(Following)).state == FollowState.PENDING


def test_practice_of_a_followed_organisation_is_kept_sanitised_and_indexed(db, federated, make_user):
    follow_org(db, make_user())
    deliver(db, {"type": "Create", "actor": ORG, "object": article()})

    practice = db.session.scalar(sa.select(RemotePractice))
    assert practice.title == "Leerstandslotsen in Jena" and practice.host == "thueringen.example"
    assert "<strong>leere</strong>" in practice.sections["situation"]
    assert "<script" not in practice.sections["situation"]
    assert practice.facts["total_cost"] == 120000
    assert practice.facts["key_figures"][0]["before"] == "12.5"
    document = document_for("remote_practice", practice)
    assert document["origin"] == "network" and document["topic"] == ["leerstand"]
    assert document["url"] == f"/netzwerk/praxisbeispiele/{practice.id}"


def test_practice_nobody_follows_is_not_kept(db, federated):
    row = deliver(db, {"type": "Create", "actor": ORG, "object": article()})
    assert row.error == "nobody here follows the object's actor"
    assert db.session.scalar(sa.select(sa.func.count(RemotePractice.id))) == 0


def test_older_update_is_ignored_newer_one_applied(db, federated, make_user):
    follow_org(db, make_user())
    first = article()
    deliver(db, {"type": "Create", "actor": ORG, "object": first})
    older = article(updated=utcnow() - timedelta(days=3))
    older["stadtnetzPractice"]["title"] = "Alter Titel"
    deliver(db, {"type": "Update", "actor": ORG, "object": older})
    assert db.session.scalar(sa.select(RemotePractice.title)) == "Leerstandslotsen in Jena"

    newer = article(updated=utcnow())
    newer["stadtnetzPractice"]["title"] = "Leerstandslotsen, zweites Jahr"
    deliver(db, {"type": "Update", "actor": ORG, "object": newer})
    assert db.session.scalar(sa.select(RemotePractice.title)) == "Leerstandslotsen, zweites Jahr"


def test_delete_removes_the_practice_for_good(db, federated, make_user):
    follow_org(db, make_user())
    create = {"type": "Create", "actor": ORG, "object": article()}
    deliver(db, create)
    deliver(db, {"type": "Delete", "actor": ORG, "object": {"id": article()["id"], "type": "Tombstone"}})
    practice = db.session.scalar(sa.select(RemotePractice))
    assert practice.is_deleted and document_for("remote_practice", practice) is None

    # A replayed Create (new activity id, same object) does not bring it back.
    deliver(db, {**create, "id": f"{REMOTE}/ap/activities/replayed"})
    assert db.session.scalar(sa.select(RemotePractice)).is_deleted


def test_delete_of_another_hosts_object_is_refused(db, federated, make_user):
    follow_org(db, make_user())
    deliver(db, {"type": "Create", "actor": ORG, "object": article()})
    row = deliver(db, {"type": "Delete", "actor": "https://evil.example/ap/users/1",
                       "object": article()["id"]})
    assert row.error == "Delete of an object from another host"
    assert not db.session.scalar(sa.select(RemotePractice)).is_deleted


def test_remote_reply_in_our_group_becomes_a_post_and_is_announced(client, db, federated, make_thread):
    thread = make_thread()
    group = local_actor_for(thread.group)
    db.session.add(Follower(local_kind="group", local_id=thread.group.id, actor_uri=ORG,
                            follow_id=f"{REMOTE}/ap/activities/follow-group"))
    db.session.commit()
    note = {"id": f"{REMOTE}/ap/posts/5", "type": "Note", "attributedTo": PERSON,
            "content": "<p>Bei uns <em>auch</em>!<img src=x onerror=alert(1)></p>",
            "inReplyTo": f"http://localhost/ap/threads/{thread.id}", "audience": group.uri,
            "published": utcnow().isoformat()}
    deliver(db, {"type": "Create", "actor": PERSON, "object": note})

    federated_post = db.session.scalar(sa.select(FederatedPost))
    post = db.session.get(Post, federated_post.post_id)
    assert post.thread_id == thread.id and post.author_id is None
    assert post.html == "<p>Bei uns <em>auch</em>!</p>"
    assert db.session.get(type(thread), thread.id).post_count == 2
    author = remote_authors([post])[post.id]
    assert author.uri == PERSON
    page = client.get(f"/forum/themen/{thread.id}").get_data(as_text=True)
    assert author.handle in page and "gelöschtes Konto" not in page
    announces = db.session.scalars(sa.select(SentActivity).where(SentActivity.type == "Announce")).all()
    relayed = [a.json for a in announces if a.json["object"]["object"]["id"] == note["id"]]
    assert [announce["actor"] for announce in relayed] == [group.uri]
    assert outbox.pending_count("federation_delivery") == 1


def test_renamed_remote_author_shows_with_the_new_name_on_a_cached_thread_page(
    client, db, federated, make_thread
):
    thread = make_thread()
    note = {"id": f"{REMOTE}/ap/posts/8", "type": "Note", "attributedTo": PERSON,
            "content": "<p>Gute Idee.</p>", "inReplyTo": f"http://localhost/ap/threads/{thread.id}",
            "audience": local_actor_for(thread.group).uri, "published": utcnow().isoformat()}
    deliver(db, {"type": "Create", "actor": PERSON, "object": note})
    assert "Stadt Jena" in client.get(f"/forum/themen/{thread.id}").get_data(as_text=True)  # cached

    store_actor_document(PERSON, {**actor_document(PERSON, "Person"), "name": "Erika Neumann",
                                  "preferredUsername": "erika"})
    db.session.commit()
    page = client.get(f"/forum/themen/{thread.id}").get_data(as_text=True)
    assert "Erika Neumann" in page and "@erika@thueringen.example" in page
    assert "Stadt Jena" not in page


def test_remote_user_takes_back_a_reply_and_the_group_tells_its_followers(db, federated, make_thread):
    thread = make_thread()
    group = local_actor_for(thread.group)
    note = {"id": f"{REMOTE}/ap/posts/6", "type": "Note", "attributedTo": PERSON, "content": "<p>Hallo</p>",
            "inReplyTo": f"http://localhost/ap/threads/{thread.id}", "audience": group.uri}
    deliver(db, {"type": "Create", "actor": PERSON, "object": note})
    deliver(db, {"type": "Delete", "actor": PERSON, "object": {"id": note["id"], "type": "Tombstone"}})

    post = db.session.get(Post, db.session.scalar(sa.select(FederatedPost.post_id)))
    assert post.is_deleted
    relayed = db.session.scalars(sa.select(SentActivity).where(SentActivity.type == "Announce")).all()
    assert "Delete" in [announce.json["object"]["type"] for announce in relayed]


def test_remote_report_reaches_our_moderators(client, login, db, federated, make_thread, make_group,
                                              make_user):
    moderator = make_user(name="Mona Moderatorin")
    thread = make_thread(group=make_group(moderators=[moderator]))
    post = db.session.scalar(sa.select(Post).where(Post.thread_id == thread.id))
    deliver(db, {"type": "Flag", "actor": f"{REMOTE}/ap/instance",
                 "object": [f"http://localhost/ap/posts/{post.id}"], "content": "Werbung <b>Spam</b>"})
    report = db.session.scalar(sa.select(RemoteReport))
    assert report.host == "thueringen.example" and report.reason == "Werbung Spam"
    assert db.session.get(Post, post.id).awaiting_review
    logged = db.session.scalar(sa.select(ModerationAction).filter_by(action="remote_report"))
    assert (logged.post_id, logged.reason) == (post.id, "thueringen.example: Werbung Spam")
    login(moderator)
    page = client.get("/forum/moderation/protokoll").get_data(as_text=True)
    assert "aus dem Netzwerk gemeldet" in page and "thueringen.example: Werbung Spam" in page


def test_like_is_counted_once_shown_and_undone(client, db, federated, make_practice):
    practice = make_practice()
    uri = f"http://localhost/ap/practices/{practice.id}"
    like = {"type": "Like", "actor": PERSON, "object": uri}
    deliver(db, like)
    deliver(db, {**like, "id": f"{REMOTE}/ap/activities/like-again"})
    assert db.session.scalar(sa.select(sa.func.count(RemoteLike.id))) == 1
    page = client.get(practice.url).get_data(as_text=True)
    assert "1 Person im Netzwerk gefällt dieses Praxisbeispiel." in page
    deliver(db, {"type": "Undo", "actor": PERSON, "object": like})
    assert db.session.scalar(sa.select(sa.func.count(RemoteLike.id))) == 0


def test_an_activity_takes_effect_once(db, federated, make_organisation):
    organisation = make_organisation()
    row = deliver(db, {"type": "Follow", "actor": PERSON, "object": local_actor_for(organisation).uri})
    processing.process({"id": row.id})
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(SentActivity.id))) == 1


def test_unknown_activity_type_is_recorded_not_retried(db, federated):
    row = deliver(db, {"type": "Move", "actor": PERSON, "object": PERSON})
    assert row.processed_at is not None and row.error == "unsupported activity type 'Move'"


def test_undo_names_the_follow_by_what_it_followed(db, federated, make_organisation):
    # Some servers undo with a Follow whose id differs from the one they sent.
    target = local_actor_for(make_organisation()).uri
    deliver(db, {"type": "Follow", "actor": PERSON, "object": target})
    deliver(db, {"type": "Undo", "actor": PERSON,
                 "object": {"type": "Follow", "id": f"{REMOTE}/other", "actor": PERSON, "object": target}})
    assert db.session.scalar(sa.select(sa.func.count(Follower.id))) == 0


def test_group_announce_of_a_thread_is_kept_and_relayed_likes_are_not(db, federated, make_user):
    group = f"{REMOTE}/ap/groups/innenstadt"
    store_actor_document(group, actor_document(group, "Group"))
    db.session.add(Following(user=make_user(), actor_uri=group, follow_id="http://localhost/ap/activities/g",
                             state=FollowState.ACCEPTED))
    db.session.commit()
    page = {"id": f"{REMOTE}/ap/threads/3", "type": "Page", "name": "Pop-up-Stores im Winter",
            "content": "<p>Wer hat Erfahrungen?</p>", "attributedTo": PERSON, "audience": group,
            "published": utcnow().isoformat()}
    deliver(db, {"type": "Announce", "actor": group,
                 "object": {"id": f"{REMOTE}/ap/activities/c1", "type": "Create", "actor": PERSON,
                            "object": page}})
    thread = db.session.scalar(sa.select(RemoteThread))
    assert (thread.title, thread.actor_uri, thread.author_uri) == ("Pop-up-Stores im Winter", group, PERSON)

    row = deliver(db, {"type": "Announce", "actor": group,
                       "object": {"id": f"{REMOTE}/ap/activities/l1", "type": "Like", "actor": PERSON,
                                  "object": page["id"]}})
    assert row.error == "relayed Like takes no effect here"
