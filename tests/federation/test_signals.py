"""The features' signals become activities for the followers, in the transaction of the change:
practices, forum posts and webtalks; members-only content never leaves."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from stadtnetz.database import utcnow
from stadtnetz.federation import delivery
from stadtnetz.federation.activities import SentActivity
from stadtnetz.federation.actors import local_actor_for
from stadtnetz.forum import moderation, posting
from stadtnetz.outbox import OutboxJob
from stadtnetz.practices import services
from stadtnetz.webtalks import talks
from stadtnetz.webtalks.models import Access
from tests.federation.test_delivery import add_follower

FOLLOWER_INBOX = "https://b.example/ap/inbox"


@pytest.fixture(autouse=True)
def federating(app):
    app.config.update(FEDERATION="open")


def delivered(db) -> list[dict]:
    """The activities that have a delivery job, oldest first."""
    ids = [job.payload["activity"] for job in db.session.scalars(
        sa.select(OutboxJob).filter_by(queue=delivery.QUEUE).order_by(OutboxJob.id))]
    return [db.session.get(SentActivity, activity_id).json for activity_id in ids]


def followed(db, obj) -> None:
    add_follower(db, local_actor_for(obj), f"https://b.example/ap/users/{obj.__class__.__name__}{obj.id}",
                 "https://b.example/ap/users/x/inbox", FOLLOWER_INBOX)


def test_a_practice_is_created_updated_and_deleted_on_archiving(db, make_practice, make_organisation):
    organisation = make_organisation()
    followed(db, organisation)
    practice = make_practice(organisation=organisation)
    services.update_practice(None, practice, {"title": "Neuer Titel"})
    services.archive_practice(None, practice)
    db.session.commit()
    create, update, delete = delivered(db)
    assert (create["type"], update["type"], delete["type"]) == ("Create", "Update", "Delete")
    assert update["object"]["name"] == "Neuer Titel"
    assert delete["object"] == {"id": create["object"]["id"], "type": "Tombstone", "formerType": "Article",
                                "deleted": delete["object"]["deleted"]}


def test_a_draft_changes_nothing_out_there(db, make_practice, make_organisation):
    organisation = make_organisation()
    followed(db, organisation)
    draft = make_practice(organisation=organisation, state="draft")
    services.update_practice(None, draft, {"title": "Noch geheim"})
    db.session.commit()
    assert delivered(db) == []


def test_replies_edits_and_deletions_in_a_public_group_are_announced(db, make_thread, make_group, make_user):
    author = make_user(created_at=utcnow() - timedelta(days=30))
    thread = make_thread(author=author, group=make_group(moderators=[author]))
    followed(db, thread.group)
    post = posting.reply(author, thread, "Bei uns hat das geklappt.")
    posting.edit_post(author, post, "Bei uns hat das gut geklappt.")
    moderation.delete_post(author, post, "Doppelt gepostet")
    db.session.commit()
    kinds = [(a["type"], a["object"]["type"], a["object"]["object"].get("type")) for a in delivered(db)]
    assert kinds == [("Announce", "Create", "Note"), ("Announce", "Update", "Note"),
                     ("Announce", "Delete", "Tombstone")]
    assert "gut geklappt" in delivered(db)[1]["object"]["object"]["content"]


def test_a_public_webtalk_is_an_event_created_updated_and_cancelled(db, make_group, make_user):
    moderator = make_user()
    group = make_group(moderators=[moderator])
    followed(db, group)
    start = utcnow() + timedelta(days=7)
    data = talks.TalkData(title="Leerstand digital", starts_at=start, ends_at=start + timedelta(hours=1))
    talk = talks.create_webtalk(moderator, group, data)
    data.title = "Leerstand digital managen"
    talks.update_webtalk(moderator, talk, data)
    talks.cancel_webtalk(moderator, talk)
    hidden = talks.create_webtalk(moderator, group, talks.TalkData(
        title="Nur für Mitglieder", starts_at=start, ends_at=start + timedelta(hours=1),
        access=Access.MEMBERS))
    db.session.commit()
    activities = delivered(db)
    assert [(a["type"], a["object"]["type"]) for a in activities] == [
        ("Create", "Event"), ("Update", "Event"), ("Update", "Event")]
    assert activities[1]["object"]["name"] == "Leerstand digital managen"
    assert activities[2]["object"]["ical:status"] == "CANCELLED"
    assert all(a["object"]["id"] != f"http://localhost/ap/webtalks/{hidden.id}" for a in activities)
