"""Registration: capacity, the waiting list moving up, mails with the .ics, reminders once."""

import threading
from datetime import timedelta

import icalendar
import pytest

from stadtnetz import outbox
from stadtnetz.accounts.models import SiteRole
from stadtnetz.extensions import db as _db
from stadtnetz.webtalks import registration, reminders
from stadtnetz.webtalks.models import RegistrationStatus, Webtalk


def _ics_of(message) -> icalendar.Calendar:
    part = next(p for p in message.iter_attachments() if p.get_content_type() == "text/calendar")
    return icalendar.Calendar.from_ical(part.get_content())


def test_registering_sends_a_confirmation_with_the_calendar_entry(
    client, login, mailbox, make_user, make_talk
):
    user = make_user(email="ida@example.org")
    talk = make_talk(starts_in=timedelta(days=3), title="Pop-up-Läden")
    login(user)
    response = client.post(f"/webtalks/{talk.id}/anmelden", follow_redirects=True)
    assert "Sie sind angemeldet." in response.text
    [mail] = mailbox.deliver()
    assert mail["To"] == "ida@example.org" and mail["Subject"] == "Angemeldet: Pop-up-Läden"
    [event] = _ics_of(mail).walk("VEVENT")
    assert str(event["summary"]) == "Pop-up-Läden" and str(event["status"]) == "CONFIRMED"


def test_full_talk_puts_people_on_the_waiting_list_which_moves_up(
    client, login, db, mailbox, make_user, make_talk
):
    first, second, third = make_user(), make_user(), make_user(email="third@example.org")
    talk = make_talk(starts_in=timedelta(days=3), capacity=1)
    registration.register(first, talk)
    registration.register(second, talk)
    waiting = registration.register(third, talk)
    db.session.commit()
    assert waiting.status == RegistrationStatus.WAITING
    assert [m["Subject"].split(":")[0] for m in mailbox.deliver()] == [
        "Angemeldet",
        "Warteliste",
        "Warteliste",
    ]
    mailbox.clear()
    login(first)
    response = client.post(f"/webtalks/{talk.id}/abmelden", follow_redirects=True)
    assert "Sie sind abgemeldet." in response.text
    statuses = {r.user_id: r.status for r in db.session.get(Webtalk, talk.id).registrations}
    assert statuses == {
        first.id: RegistrationStatus.CANCELLED,
        second.id: RegistrationStatus.CONFIRMED,
        third.id: RegistrationStatus.WAITING,
    }
    [mail] = mailbox.deliver()
    assert mail["Subject"].startswith("Ein Platz für Sie") and mail["To"] == second.email


def test_more_places_move_the_waiting_list_up(db, make_user, make_talk):
    talk = make_talk(starts_in=timedelta(days=3), capacity=1)
    people = [make_user() for _ in range(3)]
    for person in people:
        registration.register(person, talk)
    talk.capacity = 3
    moved = registration.move_up(talk)
    assert [r.user_id for r in moved] == [people[1].id, people[2].id]


def test_registering_twice_is_refused(client, login, make_user, make_talk):
    user = make_user()
    talk = make_talk(starts_in=timedelta(days=3))
    login(user)
    client.post(f"/webtalks/{talk.id}/anmelden")
    response = client.post(f"/webtalks/{talk.id}/anmelden", follow_redirects=True)
    assert "Sie sind für diesen Webtalk bereits angemeldet." in response.text


def test_reminders_are_sent_once_each_and_only_when_due(db, mailbox, make_user, make_talk):
    user = make_user()
    talk = make_talk(starts_in=timedelta(hours=20))
    registration.register(user, talk)
    db.session.commit()
    mailbox.deliver()
    mailbox.clear()
    assert reminders.send_due(talk) == 1
    assert reminders.send_due(talk) == 0, "never twice"
    db.session.commit()
    [mail] = mailbox.deliver()
    assert (
        mail["Subject"] == f"Erinnerung: {talk.title}"
        and "morgen um diese Zeit" in mail.get_body().get_content()
    )
    talk.starts_at = talk.starts_at - timedelta(hours=19, minutes=30)
    assert reminders.send_due(talk) == 1
    assert reminders.send_due(talk) == 0


def test_planning_a_talk_schedules_reminder_jobs_the_worker_runs(
    client, login, db, mailbox, make_user, make_group
):
    moderator = make_user(site_role=SiteRole.MODERATOR)
    attendee = make_user()
    group = make_group()
    from stadtnetz.database import utcnow
    from stadtnetz.webtalks.talks import TalkData, create_webtalk

    soon = utcnow() + timedelta(minutes=30)
    talk = create_webtalk(
        moderator, group, TalkData(title="Bald", starts_at=soon, ends_at=soon + timedelta(hours=1))
    )
    registration.register(attendee, talk)
    db.session.commit()
    assert outbox.pending_count(reminders.QUEUE) == 2
    assert outbox.run_pending(reminders.QUEUE) == 2
    subjects = [m["Subject"] for m in mailbox.deliver()]
    assert subjects.count("Erinnerung: Bald") == 1
    assert "in einer Stunde" in mailbox.messages[-1].get_body().get_content()


def test_cancelling_a_talk_mails_a_cancelled_calendar_entry(client, login, db, mailbox, make_user, make_talk):
    user = make_user()
    talk = make_talk(starts_in=timedelta(days=2))
    registration.register(user, talk)
    db.session.commit()
    mailbox.deliver()
    mailbox.clear()
    login(make_user(site_role=SiteRole.MODERATOR))
    assert (
        "Der Webtalk ist abgesagt." in client.post(f"/webtalks/{talk.id}/absagen", follow_redirects=True).text
    )
    [mail] = mailbox.deliver()
    [event] = _ics_of(mail).walk("VEVENT")
    assert str(event["status"]) == "CANCELLED" and event["sequence"] == 1
    assert mail["Subject"] == f"Abgesagt: {talk.title}"


@pytest.mark.postgres
def test_two_people_racing_for_the_last_place_get_one_place_and_one_waiting(app, db, make_user, make_talk):
    talk = make_talk(starts_in=timedelta(days=3), capacity=1)
    users = [make_user(), make_user()]
    barrier = threading.Barrier(2)
    errors = []

    def take(user_id):
        with app.app_context():
            try:
                from stadtnetz.accounts.models import User

                user, locked_talk = _db.session.get(User, user_id), _db.session.get(Webtalk, talk.id)
                barrier.wait()
                registration.register(user, locked_talk)
                _db.session.commit()
            except Exception as error:  # reported below, the thread must not swallow it
                errors.append(error)
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=take, args=(u.id,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    db.session.expire_all()
    statuses = sorted(r.status.value for r in db.session.get(Webtalk, talk.id).registrations)
    assert statuses == ["confirmed", "waiting"]
