"""Notifications: mentions of people and organisations, replies, watch levels for threads and
groups, the notification centre with its count, and mail at once or as a daily digest, all
through the SMTP server on loopback."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from stadtnetz.database import utcnow
from stadtnetz.forum import notifications
from stadtnetz.forum.activity_models import GroupWatch, MailMode, Notification, NotificationReason, WatchLevel
from stadtnetz.forum.models import Post
from tests.conftest import links_in


def _mails_to(mailbox, user) -> list:
    return [m for m in mailbox.deliver() if m["To"] == user.email]


def _reasons(db, user) -> list[str]:
    return [
        n.reason.value
        for n in db.session.scalars(
            sa.select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
        )
    ]


def test_a_mention_notifies_in_app_and_by_mail_with_a_link_to_the_post(
    client, db, login, mailbox, make_user, make_thread, make_post
):
    katrin = make_user(name="Katrin Richter")
    # A short author name: Python's header folding drops the space between two encoded words
    # of a longer subject (reported to the lead; mail.py is not the forum's).
    thread = make_thread(
        title="Hitzeaktionsplan", author=make_user(name="Ida", created_at=utcnow() - timedelta(days=9))
    )
    post = make_post(thread, thread.author, "Frage an @[Katrin Richter]: Wie lief das?")

    [mail] = _mails_to(mailbox, katrin)
    assert "hat Sie in „Hitzeaktionsplan“ erwähnt" in mail["Subject"]
    assert "Frage an @[Katrin Richter]: Wie lief das?" in mail.get_content()
    assert f"http://localhost/forum/themen/{thread.id}#beitrag-{post.id}" in links_in(mail)

    login(katrin)
    header = client.get("/").text
    assert "1 ungelesen" in header
    centre = client.get("/benachrichtigungen").text
    assert "hat Sie in „Hitzeaktionsplan“ erwähnt" in centre and ">ungelesen</span>" in centre
    [notification] = db.session.scalars(sa.select(Notification)).all()
    jump = client.get(f"/benachrichtigungen/{notification.id}")
    assert jump.headers["Location"] == f"/forum/themen/{thread.id}#beitrag-{post.id}"
    assert "ungelesen" not in client.get("/").text


def test_mentioning_an_organisation_notifies_its_verified_members(
    db, mailbox, make_user, make_organisation, make_membership, make_thread, make_post
):
    from stadtnetz.accounts.models import MembershipStatus

    organisation = make_organisation(name="Stadt Jena")
    member, applicant = make_user(), make_user()
    make_membership(member, organisation)
    make_membership(applicant, organisation, status=MembershipStatus.PENDING)
    thread = make_thread()

    make_post(thread, thread.author, "Hallo @[Stadt Jena], wie macht ihr das?")

    assert _reasons(db, member) == ["mention"]
    assert _reasons(db, applicant) == []
    assert len(_mails_to(mailbox, member)) == 1


def test_quoting_a_post_notifies_its_author_as_a_reply(db, make_user, make_group, make_thread, make_post):
    first_author, replier = make_user(), make_user()
    group = make_group(members=[first_author, replier])
    thread = make_thread(group=group, author=first_author)
    first = db.session.scalar(sa.select(Post))
    # The thread's author watches it; stay "normal" to see the reply reason on its own.
    notifications.watch_thread(first_author, thread, WatchLevel.NORMAL)
    db.session.commit()

    make_post(thread, replier, "Genau!", reply_to=first)

    assert _reasons(db, first_author) == ["reply"]


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        (WatchLevel.WATCHING, ["watched", "mention"]),
        (WatchLevel.NORMAL, ["mention"]),
        (WatchLevel.MUTED, []),
    ],
)
def test_thread_watch_levels(db, make_user, make_thread, make_post, level, expected):
    reader = make_user(name="Lea Leserin")
    thread = make_thread()
    notifications.watch_thread(reader, thread, level)
    db.session.commit()

    make_post(thread, thread.author, "Ein Zwischenstand.")
    make_post(thread, thread.author, "Was meint @[Lea Leserin]?")

    assert _reasons(db, reader) == expected


def test_group_watching_covers_new_threads_and_thread_levels_win(
    db, make_user, make_group, make_thread, make_post
):
    reader = make_user()
    group = make_group(members=[reader])
    notifications.watch_group(reader, group, WatchLevel.WATCHING)
    db.session.commit()

    thread = make_thread(group=group)
    assert _reasons(db, reader) == ["watched"]
    notifications.watch_thread(reader, thread, WatchLevel.MUTED)
    db.session.commit()
    make_post(thread, thread.author, "Noch etwas.")
    assert _reasons(db, reader) == ["watched"]


def test_replying_watches_the_thread(client, db, login, make_user, make_thread, make_post):
    replier = make_user()
    thread = make_thread()
    login(replier)
    client.post(f"/forum/themen/{thread.id}/antworten", data={"body": "Ich bin dabei.", "save": "1"})

    make_post(thread, thread.author, "Danke!")

    assert _reasons(db, replier) == ["watched"]
    page = client.get(f"/forum/themen/{thread.id}").text
    assert '<option selected value="watching">' in page


def test_watch_levels_are_set_on_the_pages(client, db, login, make_user, make_group, make_thread):
    user = make_user()
    group = make_group()
    thread = make_thread(group=group)
    login(user)

    client.post(f"/forum/themen/{thread.id}/beobachten", data={"level": "muted"})
    client.post(f"/arbeitsgruppen/{group.slug}/beobachten", data={"level": "watching"})

    assert notifications.thread_level(user, thread) == WatchLevel.MUTED
    assert db.session.get(GroupWatch, (user.id, group.id)).level == WatchLevel.WATCHING


def test_daily_digest_collects_unread_notifications_once(
    app, client, db, login, mailbox, make_user, make_thread, make_post
):
    reader = make_user(name="Dora Digest")
    notifications.set_mail_mode(reader, MailMode.DIGEST)
    db.session.commit()
    thread = make_thread(title="Kataster")
    first = make_post(thread, thread.author, "Was meint @[Dora Digest]?")
    second = make_post(thread, thread.author, "Und noch einmal @[Dora Digest].")
    assert _mails_to(mailbox, reader) == []

    result = app.test_cli_runner().invoke(args=["forum", "digest"])
    assert result.exit_code == 0, result.output
    assert "1 Zusammenfassung(en)" in result.output
    [mail] = _mails_to(mailbox, reader)
    assert mail["Subject"] == "Ihre Zusammenfassung aus dem Stadtnetz-Forum"
    links = links_in(mail)
    for post in (first, second):
        assert f"http://localhost/forum/themen/{thread.id}#beitrag-{post.id}" in links
    login(reader)
    assert client.get(urlsplit(links[0]).path).status_code == 200

    mailbox.clear()
    again = app.test_cli_runner().invoke(args=["forum", "digest"])
    assert "0 Zusammenfassung(en)" in again.output and _mails_to(mailbox, reader) == []


def test_mail_can_be_switched_off_in_the_settings(
    client, db, login, mailbox, make_user, make_thread, make_post
):
    reader = make_user(name="Stefan Still")
    login(reader)
    response = client.post(
        "/benachrichtigungen/einstellungen", data={"mail_mode": "never"}, follow_redirects=True
    )
    assert "Ihre Einstellung ist gespeichert." in response.text

    thread = make_thread()
    make_post(thread, thread.author, "Hallo @[Stefan Still]")

    assert _mails_to(mailbox, reader) == [] and _reasons(db, reader) == ["mention"]


def test_mark_all_read(client, db, login, make_user, make_thread, make_post):
    reader = make_user(name="Rita Lesend")
    thread = make_thread()
    make_post(thread, thread.author, "Hallo @[Rita Lesend]")
    login(reader)

    client.post("/benachrichtigungen/alle-gelesen")

    assert reader.unread_notifications == 0
    assert db.session.scalar(sa.select(Notification.reason)) == NotificationReason.MENTION


def test_mention_autocomplete_offers_people_and_organisations(client, login, make_user, make_organisation):
    make_user(name="Julia Becker")
    make_organisation(name="Stadt Juist")
    make_user(name="Jule Unbestätigt", confirmed=False)
    login(make_user())

    found = client.get("/forum/erwaehnungen?q=ju").get_json()

    assert {item["name"] for item in found} == {"Julia Becker", "Stadt Juist"}
    assert {"name": "Julia Becker", "kind": "person", "insert": "@[Julia Becker]"} in found
    assert client.get("/forum/erwaehnungen?q=j").get_json() == []
