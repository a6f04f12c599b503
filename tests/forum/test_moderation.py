"""Moderation: flags with reasons, the queue, hiding after three verified flags, hide, delete,
lock, pin and move, and the audit log of every moderator action."""

import pytest
import sqlalchemy as sa

from stadtnetz.accounts.models import SiteRole
from stadtnetz.forum.activity_models import Flag, ModerationAction
from stadtnetz.forum.models import Post


@pytest.fixture
def verified(make_user, make_organisation, make_membership):
    """A factory for users verified by an organisation."""

    def make(**kw):
        user = make_user(**kw)
        make_membership(user, make_organisation())
        return user

    return make


def _post(db, thread) -> Post:
    db.session.expire_all()
    return db.session.scalar(sa.select(Post).where(Post.thread_id == thread.id).order_by(Post.id))


def _actions(db) -> list[str]:
    return list(db.session.scalars(sa.select(ModerationAction.action).order_by(ModerationAction.id)))


def test_a_flag_reaches_the_queue_of_this_groups_moderators_only(
    client, db, login, make_user, make_group, make_thread
):
    group_moderator, other_moderator = make_user(), make_user()
    group = make_group(moderators=[group_moderator])
    make_group(moderators=[other_moderator])
    thread = make_thread(group=group, body="Kauft alle bei mir ein!")
    flagger = make_user()
    login(flagger)

    response = client.post(
        f"/forum/beitraege/{_post(db, thread).id}/melden", data={"reason": "Werbung"}, follow_redirects=True
    )
    assert "Danke. Die Moderation sieht sich den Beitrag an." in response.text
    again = client.post(f"/forum/beitraege/{_post(db, thread).id}/melden", data={"reason": "Nochmal"})
    assert "Sie haben diesen Beitrag bereits gemeldet." in again.text
    assert client.get("/forum/moderation").status_code == 403

    login(group_moderator)
    queue = client.get("/forum/moderation").text
    assert "Kauft alle bei mir ein!" in queue and "Werbung" in queue
    login(other_moderator)
    assert "Kauft alle bei mir ein!" not in client.get("/forum/moderation").text
    login(make_user(site_role=SiteRole.MODERATOR))
    assert "Kauft alle bei mir ein!" in client.get("/forum/moderation").text


def test_authors_cannot_flag_their_own_posts(client, db, login, make_thread):
    thread = make_thread()
    login(_post(db, thread).author)
    assert client.get(f"/forum/beitraege/{_post(db, thread).id}/melden").status_code == 403


def test_three_verified_flags_hide_a_post_until_reviewed(
    client, db, login, make_user, make_group, make_thread, verified
):
    moderator = make_user()
    thread = make_thread(group=make_group(moderators=[moderator]), body="Beleidigender Text")
    post_id = _post(db, thread).id
    # Unverified flags are noted but do not count towards hiding.
    for user in (make_user(), verified(), verified()):
        login(user)
        client.post(f"/forum/beitraege/{post_id}/melden", data={"reason": "Beleidigung"})
    assert not _post(db, thread).is_hidden

    login(verified())
    client.post(f"/forum/beitraege/{post_id}/melden", data={"reason": "Beleidigung"})

    post = _post(db, thread)
    assert post.is_hidden and post.awaiting_review
    page = client.get(f"/forum/themen/{thread.id}").text
    assert "Beleidigender Text" not in page
    assert "Dieser Beitrag ist ausgeblendet, bis die Moderation ihn geprüft hat." in page

    login(moderator)
    assert "Beleidigender Text" in client.get(f"/forum/themen/{thread.id}").text  # moderators still see it
    client.post(f"/forum/beitraege/{post_id}/moderieren", data={"action": "restore"})
    assert _post(db, thread).is_visible
    assert db.session.scalar(sa.select(sa.func.count(Flag.id)).where(Flag.resolved_at.is_(None))) == 0
    assert _actions(db) == ["auto_hide", "restore"]
    log = client.get("/forum/moderation/protokoll").text
    assert (
        "automatisch ausgeblendet" in log
        and "4 Meldungen" not in log
        and "3 Meldungen verifizierter Personen" in log
    )


def test_hide_and_delete_need_a_reason_and_are_logged(client, db, login, make_user, make_group, make_thread):
    moderator = make_user(name="Mo Moderation")
    thread = make_thread(group=make_group(moderators=[moderator]), body="Fragwürdig")
    post_id = _post(db, thread).id
    login(moderator)

    response = client.post(
        f"/forum/beitraege/{post_id}/moderieren", data={"action": "delete"}, follow_redirects=True
    )
    assert "Bitte geben Sie einen Grund an." in response.text and not _post(db, thread).is_deleted

    client.post(f"/forum/beitraege/{post_id}/moderieren", data={"action": "hide", "reason": "Off-Topic"})
    assert _post(db, thread).is_hidden
    client.post(
        f"/forum/beitraege/{post_id}/moderieren", data={"action": "delete", "reason": "Persönliche Daten"}
    )

    login(make_user())
    page = client.get(f"/forum/themen/{thread.id}").text
    assert "Fragwürdig" not in page and "Dieser Beitrag wurde gelöscht. Grund: Persönliche Daten" in page
    assert _actions(db) == ["hide", "delete"]
    entry = db.session.scalar(sa.select(ModerationAction).order_by(ModerationAction.id.desc()))
    assert entry.actor.name == "Mo Moderation" and entry.reason == "Persönliche Daten"


def test_members_cannot_moderate(client, db, login, make_user, make_group, make_thread):
    member = make_user()
    thread = make_thread(group=make_group(members=[member]))
    login(member)
    post_id = _post(db, thread).id
    assert (
        client.post(
            f"/forum/beitraege/{post_id}/moderieren", data={"action": "hide", "reason": "x"}
        ).status_code
        == 403
    )
    assert client.post(f"/forum/themen/{thread.id}/moderieren/lock").status_code == 403


def test_lock_pin_and_move_a_thread(client, db, login, make_user, make_group, make_thread):
    moderator, member = make_user(), make_user()
    group = make_group(moderators=[moderator], members=[member])
    target = make_group(name="Mobilität", moderators=[moderator])
    older = make_thread(group=group, title="Älteres Thema")
    thread = make_thread(group=group, title="Neueres Thema")
    login(moderator)

    client.post(f"/forum/themen/{older.id}/moderieren/pin")
    listing = client.get(f"/arbeitsgruppen/{group.slug}").text
    assert listing.index("Älteres Thema") < listing.index("Neueres Thema")

    client.post(f"/forum/themen/{thread.id}/moderieren/lock")
    login(member)
    assert "Dieses Thema ist geschlossen" in client.get(f"/forum/themen/{thread.id}").text
    assert client.post(f"/forum/themen/{thread.id}/antworten", data={"body": "Doch!"}).status_code == 403

    login(moderator)
    client.post(f"/forum/themen/{thread.id}/verschieben", data={"group": target.id, "reason": "passt besser"})
    db.session.expire_all()
    assert thread.group_id == target.id
    assert _actions(db) == ["pin", "lock", "move"]
    assert "passt besser" in client.get("/forum/moderation/protokoll").text


def test_moving_needs_moderation_of_the_target_group(client, db, login, make_user, make_group, make_thread):
    moderator = make_user()
    thread = make_thread(group=make_group(moderators=[moderator]))
    foreign = make_group()
    login(moderator)

    response = client.post(f"/forum/themen/{thread.id}/verschieben", data={"group": foreign.id})

    assert response.status_code == 403
