"""The archive after the talk, and open questions moving into the forum."""

from datetime import timedelta

from stadtnetz.accounts.models import SiteRole
from stadtnetz.forum.models import Thread
from stadtnetz.webtalks import qa, room


def _held_talk(make_user, make_talk, make_group):
    """A past talk with chat (one message deleted), answered and open questions and a poll."""
    moderator, alice = make_user(site_role=SiteRole.MODERATOR, name="Mo"), make_user(name="Alice")
    group = make_group(moderators=[moderator], members=[alice])
    talk = make_talk(group=group, starts_in=timedelta(hours=-2))
    room.send_chat(alice, talk, "Guten Tag **allerseits**")
    spam = room.send_chat(alice, talk, "Kauft Zeug")
    room.delete_chat(moderator, talk, spam.seq)
    answered = qa.ask(alice, talk, "Wie lange lief das Projekt?")
    qa.settle(moderator, talk, answered.payload["question"]["id"], "answered", "Zwei Jahre.")
    qa.ask(alice, talk, "Wer hat es bezahlt?")
    poll = qa.open_poll(moderator, talk, "Nützlich?", ["Ja", "Nein"], False)
    qa.vote(alice, talk, poll.payload["poll"]["id"], [0])
    return talk, moderator


def test_archive_shows_transcript_questions_with_answers_and_poll_results(
    client, db, make_user, make_talk, make_group
):
    talk, _moderator = _held_talk(make_user, make_talk, make_group)
    db.session.commit()
    page = client.get(f"/webtalks/{talk.id}/archiv").text
    assert "Guten Tag <strong>allerseits</strong>" in page and "Kauft Zeug" not in page
    assert "Wie lange lief das Projekt?" in page and "Zwei Jahre." in page and "beantwortet" in page
    assert "Nützlich?" in page and '<th scope="row">Ja</th><td>1</td>' in page
    assert f"/webtalks/{talk.id}/archiv" in client.get(talk.url).text, "the talk links its archive"


def test_one_click_turns_open_questions_into_forum_threads(
    client, login, db, make_user, make_talk, make_group
):
    talk, moderator = _held_talk(make_user, make_talk, make_group)
    db.session.commit()
    login(moderator)
    response = client.post(f"/webtalks/{talk.id}/archiv/fragen-ins-forum", follow_redirects=True)
    assert "1 Fragen sind jetzt Themen im Forum der Arbeitsgruppe." in response.text
    [thread] = db.session.scalars(db.select(Thread)).all()
    assert thread.title == "Wer hat es bezahlt?" and thread.group_id == talk.group_id
    assert "im Forum weiterdiskutieren" in response.text
    again = client.post(f"/webtalks/{talk.id}/archiv/fragen-ins-forum", follow_redirects=True)
    assert "Es gibt keine offenen Fragen mehr." in again.text or "Offene Fragen" not in again.text


def test_participants_cannot_move_questions(client, login, make_user, make_talk, make_group):
    talk, _moderator = _held_talk(make_user, make_talk, make_group)
    login(make_user())
    assert client.post(f"/webtalks/{talk.id}/archiv/fragen-ins-forum").status_code == 403


def test_practice_page_links_the_talks_that_presented_it(client, db, make_user, make_talk, make_group,
                                                         make_practice):
    talk, _moderator = _held_talk(make_user, make_talk, make_group)
    practice = make_practice()
    talk.practices = [practice]
    db.session.commit()
    page = client.get(practice.url).text
    assert "Webtalks zu diesem Praxisbeispiel" in page and talk.url in page
    assert f"/webtalks/{talk.id}/archiv" in page
