"""The webtalks' part in a user's data export and account deletion."""

from datetime import timedelta

from stadtnetz.accounts.services import delete_account, export_personal_data
from stadtnetz.extensions import db as _db
from stadtnetz.webtalks import qa, registration, room
from stadtnetz.webtalks.models import Registration
from stadtnetz.webtalks.room_models import Question, RoomEvent
from tests.conftest import PASSWORD


def _participation(make_user, make_talk):
    user = make_user(name="Dora Daten")
    talk = make_talk(anonymous_questions=True)
    future = make_talk(starts_in=timedelta(days=2), title="Künftiger Talk")
    registration.register(user, future)
    chat = room.send_chat(user, talk, "Meine Meinung")
    qa.ask(user, talk, "Meine anonyme Frage", anonymous=True)
    _db.session.commit()
    return user, talk, chat


def test_export_lists_registrations_chat_and_questions(make_user, make_talk):
    user, talk, _chat = _participation(make_user, make_talk)
    webtalks = export_personal_data(user)["webtalks"]
    assert [r["webtalk"] for r in webtalks["registrations"]] == ["Künftiger Talk"]
    assert [c["html"] for c in webtalks["chat"]] == ["<p>Meine Meinung</p>"]
    assert webtalks["questions"] == [{"webtalk": talk.id, "text": "Meine anonyme Frage", "anonymous": True}]


def test_deleting_the_account_removes_the_name_and_on_request_the_words(db, make_user, make_talk):
    user, _talk, chat = _participation(make_user, make_talk)
    delete_account(user, PASSWORD, delete_content=True)
    db.session.commit()
    stored = db.session.get(RoomEvent, chat.id)
    assert stored.payload["user"]["name"] is None and stored.payload["html"] == "" and stored.user_id is None
    assert "Dora Daten" not in str([e.payload for e in db.session.scalars(db.select(RoomEvent))])
    assert [q.body for q in db.session.scalars(db.select(Question))] == [""]
    assert db.session.scalars(db.select(Registration)).all() == []
