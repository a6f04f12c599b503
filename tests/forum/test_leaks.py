"""The leak matrix of a members-only working group: nothing of it reaches anyone but its
approved members, whether through its pages, search, notifications, mail, the digest or
ActivityPub (the API: ``test_api``). Site moderators may read such a group to moderate it, but
are told nothing from it."""

from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from stadtnetz import outbox, search
from stadtnetz.accounts.models import SiteRole
from stadtnetz.forum import notifications
from stadtnetz.forum.activity_models import MailMode, Notification, WatchLevel
from stadtnetz.forum.models import GroupMembership, Post

SECRET = "Zuschussgeheimnis"


@pytest.fixture
def world(db, make_user, make_group, make_thread, make_post, make_organisation, make_membership):
    """A members-only group with a member and a thread; outsiders of every kind around it."""
    users = SimpleNamespace(
        member=make_user(name="Mia Mitglied"),
        outsider=make_user(name="Otto Außen"),
        applicant=make_user(name="Anna Anfrage"),
        site_moderator=make_user(name="Sina Moderation", site_role=SiteRole.MODERATOR),
        author=make_user(name="Alex Autor"),
    )
    group = make_group(
        name="Förderung intern", visibility="members", members=[users.member], moderators=[users.author]
    )
    db.session.add(GroupMembership(group=group, user=users.applicant, status="pending"))
    # An organisation with an insider and an outsider: mentioning it must reach only the insider.
    town = make_organisation(name="Stadt Beispiel")
    make_membership(users.member, town)
    make_membership(users.outsider, town)
    db.session.commit()
    thread = make_thread(
        group=group,
        author=users.author,
        title=f"{SECRET} im Haushalt",
        body=f"Das {SECRET} bleibt unter uns.",
    )
    return SimpleNamespace(
        group=group, thread=thread, users=users, post=db.session.scalar(sa.select(Post)), make_post=make_post
    )


OUTSIDERS = ("anonymous", "outsider", "applicant", "site_moderator")


def _log_in(login, world, who):
    if who != "anonymous":
        login(getattr(world.users, who))


@pytest.mark.parametrize("who", ["outsider", "applicant", "anonymous"])
def test_pages_show_outsiders_nothing(client, login, world, who):
    _log_in(login, world, who)
    group_page = client.get(f"/arbeitsgruppen/{world.group.slug}")
    assert group_page.status_code == 200 and "Förderung intern" in group_page.text
    assert SECRET not in group_page.text
    for url in (
        f"/forum/themen/{world.thread.id}",
        f"/forum/themen/{world.thread.id}/ungelesen",
        f"/forum/beitraege/{world.post.id}",
        f"/forum/beitraege/{world.post.id}/versionen",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert SECRET not in response.text
    if who != "anonymous":
        for url in (
            f"/forum/themen/{world.thread.id}/antworten",
            f"/forum/beitraege/{world.post.id}/melden",
            f"/forum/beitraege/{world.post.id}/bearbeiten",
        ):
            assert client.get(url).status_code == 404, url
        assert (
            client.post(f"/forum/themen/{world.thread.id}/antworten", data={"body": "x"}).status_code == 404
        )
        assert client.get(f"/arbeitsgruppen/{world.group.slug}/neues-thema").status_code == 403


@pytest.mark.parametrize("who", ["member", "site_moderator"])
def test_members_and_site_moderators_read_the_group(client, login, world, who):
    _log_in(login, world, who)
    assert SECRET in client.get(f"/arbeitsgruppen/{world.group.slug}").text
    assert SECRET in client.get(f"/forum/themen/{world.thread.id}").text


@pytest.mark.parametrize("who", [*OUTSIDERS, "member"])
def test_search_finds_the_thread_for_members_only(db, world, who):
    outbox.run_pending("search")
    user = getattr(world.users, who, None)
    results = search.search(SECRET, user=user)
    found = [hit.url for hit in results.hits if hit.kind == "forum"]
    if who == "member":
        assert found == [f"/forum/beitraege/{world.post.id}"]
        assert search.search(SECRET, user=user, filters={"group": [world.group.slug]}).total == 1
    else:
        assert found == [] and results.total == 0


def test_notifications_and_mail_reach_members_only(db, mailbox, world):
    u = world.users
    # The outsider and the site moderator try to follow the group anyway.
    notifications.watch_group(u.site_moderator, world.group, WatchLevel.WATCHING)
    notifications.watch_group(u.member, world.group, WatchLevel.WATCHING)
    db.session.commit()
    mailbox.deliver()
    mailbox.clear()

    world.make_post(
        world.thread,
        u.author,
        f"@[Otto Außen], @[Anna Anfrage], @[Sina Moderation], @[Mia Mitglied] "
        f"und @[Stadt Beispiel]: {SECRET} zwei.",
    )

    told = set(db.session.scalars(sa.select(Notification.user_id)))
    assert told == {u.member.id}
    mails = mailbox.deliver()
    assert [m["To"] for m in mails] == [u.member.email]
    for who in (u.outsider, u.applicant, u.site_moderator):
        assert who.unread_notifications == 0


def test_a_member_who_leaves_hears_nothing_more(client, db, login, mailbox, world):
    u = world.users
    notifications.set_mail_mode(u.member, MailMode.DIGEST)
    db.session.commit()
    world.make_post(world.thread, u.author, f"Hallo @[Mia Mitglied], {SECRET} drei.")
    assert u.member.unread_notifications == 1

    db.session.delete(db.session.get(GroupMembership, (world.group.id, u.member.id)))
    db.session.commit()

    assert u.member.unread_notifications == 0
    login(u.member)
    assert SECRET not in client.get("/benachrichtigungen").text
    [notification] = db.session.scalars(sa.select(Notification)).all()
    assert client.get(f"/benachrichtigungen/{notification.id}").status_code == 404
    with client.application.test_request_context():
        assert notifications.send_digests() == 0
    assert [m for m in mailbox.deliver() if SECRET in m.get_content()] == []


def test_autocomplete_reveals_no_group_content(client, login, world):
    login(world.users.outsider)
    found = client.get("/forum/erwaehnungen?q=Zuschuss").get_json()
    assert found == []


def test_activitypub_serves_nothing_of_the_group(client, world, make_group, make_thread):
    """The fediverse's view (objects, the group's actor and collections, its author's outbox)
    is the public one: members-only content is not there, whoever asks."""
    group, author = world.group.slug, world.users.author.id
    for path in (
        f"/ap/groups/{group}",
        f"/ap/groups/{group}/outbox",
        f"/ap/groups/{group}/followers",
        f"/ap/threads/{world.thread.id}",
        f"/ap/posts/{world.post.id}",
    ):
        answer = client.get(path, headers={"Accept": "application/activity+json"})
        assert answer.status_code == 404, path
        assert SECRET not in answer.text
    make_thread(group=make_group(), author=world.users.author, title="Offene Runde")
    outbox = client.get(f"/ap/users/{author}/outbox", headers={"Accept": "application/activity+json"})
    assert "Offene Runde" in outbox.text and SECRET not in outbox.text
