"""The live room over Socket.IO: who may enter, and every rule of chat, Q&A, polls, hands,
reactions and moderation; reconnecting clients catch up without gaps or duplicates."""

from datetime import timedelta

import pytest

from stadtnetz.accounts.models import SiteRole
from stadtnetz.extensions import socketio
from stadtnetz.webtalks import registration
from stadtnetz.webtalks.models import Access

NS = "/webtalk"


def events(client) -> list[dict]:
    """The room events the client received since the last call."""
    return [r["args"][0] for r in client.get_received(NS) if r["name"] == "event"]


def emit(client, name, **data) -> dict:
    return client.emit(name, data, namespace=NS, callback=True)


def test_anonymous_connection_is_refused(app, client, make_talk):
    talk = make_talk()
    sio = socketio.test_client(app, namespace=NS, flask_test_client=client, auth={"talk": talk.id})
    assert not sio.is_connected(NS)


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("unregistered member", False),
        ("waiting", False),
        ("registered", True),
        ("speaker", True),
        ("moderator", True),
    ],
)
def test_members_only_room_admits_registered_people_speakers_and_moderators(
    db, make_user, make_group, make_talk, room_client, who, allowed
):
    user = make_user(site_role=SiteRole.MODERATOR if who == "moderator" else SiteRole.MEMBER)
    first = make_user()
    talk = make_talk(
        group=make_group(members=[user, first]),
        access=Access.MEMBERS,
        capacity=1,
        speakers=[user] if who == "speaker" else [],
    )
    if who == "waiting":
        registration.register(first, talk)
    if who in ("registered", "waiting"):
        registration.register(user, talk)
        db.session.commit()
    assert room_client(talk, user).is_connected(NS) is allowed


def test_public_room_admits_any_logged_in_user_but_only_while_open(make_user, make_talk, room_client):
    assert room_client(make_talk(), make_user()).is_connected(NS)
    later = make_talk(starts_in=timedelta(hours=3))
    assert not room_client(later, make_user()).is_connected(NS)
    assert room_client(later, make_user(site_role=SiteRole.MODERATOR)).is_connected(NS)


def test_presence_shows_who_joins_and_leaves_with_roles(make_user, make_talk, room_client):
    moderator, guest = make_user(site_role=SiteRole.MODERATOR, name="Mo"), make_user(name="Gast")
    talk = make_talk()
    mod = room_client(talk, moderator)
    events(mod)
    other = room_client(talk, guest)
    [joined] = events(mod)
    assert joined["kind"] == "presence" and joined["present"] is True
    assert joined["user"] == {"id": guest.id, "name": "Gast", "role": "participant"}
    roles = {e["user"]["name"]: e["user"]["role"] for e in events(other) if e["kind"] == "presence"}
    assert roles == {"Mo": "moderator", "Gast": "participant"}
    other.disconnect(namespace=NS)
    [left] = events(mod)
    assert left["kind"] == "presence" and left["present"] is False


def test_chat_is_rendered_sanitised_and_broadcast(make_user, make_talk, room_client):
    talk = make_talk()
    alice, bob = room_client(talk, make_user(name="Alice")), room_client(talk, make_user())
    events(bob)
    answer = emit(alice, "chat", text="**Hallo** <script>alert(1)</script>")
    assert answer["ok"] is True
    [message] = [e for e in events(bob) if e["kind"] == "chat"]
    assert message["html"] == "<p><strong>Hallo</strong> alert(1)</p>"
    assert message["user"]["name"] == "Alice" and message["id"] == answer["id"]


def test_chat_is_rate_limited(make_user, make_talk, room_client):
    alice = room_client(make_talk(), make_user())
    answers = [emit(alice, "chat", text=f"Nachricht {n}") for n in range(6)]
    assert [a["ok"] for a in answers] == [True] * 5 + [False]
    assert answers[-1]["error"] == "Sie schreiben sehr schnell. Bitte warten Sie einen Moment."


def test_moderator_deletes_a_message_and_it_leaves_the_log(make_user, make_talk, room_client):
    talk = make_talk()
    mod, alice = room_client(talk, make_user(site_role=SiteRole.MODERATOR)), room_client(talk, make_user())
    message_id = emit(alice, "chat", text="Werbung!")["id"]
    assert emit(alice, "delete_chat", id=message_id)["ok"] is False, "only moderators delete"
    assert emit(mod, "delete_chat", id=message_id)["ok"] is True
    deleted = events(alice)[-1]
    assert (deleted["kind"], deleted["message"]) == ("chat_deleted", message_id)
    late = room_client(talk, make_user())
    replayed = {e["id"]: e for e in events(late)}
    assert replayed[message_id]["html"] == "" and replayed[message_id]["deleted"] is True


def test_muted_participant_cannot_chat_until_unmuted(make_user, make_talk, room_client):
    talk = make_talk()
    target = make_user()
    mod, muted = room_client(talk, make_user(site_role=SiteRole.MODERATOR)), room_client(talk, target)
    assert emit(muted, "mute", user=mod_id(mod, talk))["ok"] is False, "participants do not mute"
    assert emit(mod, "mute", user=target.id, muted=True)["ok"] is True
    answer = emit(muted, "chat", text="Hallo?")
    assert answer == {"ok": False, "error": "Die Moderation hat Ihren Chat stummgeschaltet."}
    emit(mod, "mute", user=target.id, muted=False)
    assert emit(muted, "chat", text="Wieder da")["ok"] is True


def mod_id(_client, talk) -> int:
    return talk.group_id  # any id: the permission check comes first


def test_removed_participant_is_disconnected_and_cannot_return(make_user, make_talk, room_client):
    talk = make_talk()
    target = make_user()
    mod, removed = room_client(talk, make_user(site_role=SiteRole.MODERATOR)), room_client(talk, target)
    assert emit(mod, "remove", user=target.id)["ok"] is True
    assert not removed.is_connected(NS)
    assert not room_client(talk, target).is_connected(NS)
    kinds = [e["kind"] for e in events(mod)]
    assert "removed" in kinds and kinds[-1] == "presence"


def test_questions_upvote_once_and_moderator_settles(make_user, make_talk, room_client):
    talk = make_talk()
    mod, asker, fan = (
        room_client(talk, make_user(site_role=SiteRole.MODERATOR)),
        room_client(talk, make_user(name="Frida")),
        room_client(talk, make_user()),
    )
    assert emit(asker, "ask", text="Was kostet das?")["ok"] is True
    [question] = [e["question"] for e in events(fan) if e["kind"] == "question"]
    assert question["author"] == "Frida" and question["votes"] == 0
    assert emit(fan, "upvote", id=question["id"])["ok"] is True
    second = emit(fan, "upvote", id=question["id"])
    assert second == {"ok": False, "error": "Sie haben diese Frage schon unterstützt."}
    assert emit(asker, "settle", id=question["id"], state="answered")["ok"] is False
    assert emit(mod, "settle", id=question["id"], state="answered", answer="Rund *5.000 €*.")["ok"] is True
    update = [e["question"] for e in events(fan) if e["kind"] == "question_update"]
    assert [q["votes"] for q in update] == [1, 1]
    assert update[-1]["state"] == "answered" and update[-1]["answer_html"] == "<p>Rund <em>5.000 €</em>.</p>"


def test_questions_are_sorted_by_votes(db, make_user, make_talk, room_client):
    from stadtnetz.webtalks.qa import questions

    talk = make_talk()
    people = [room_client(talk, make_user()) for _ in range(3)]
    first = emit(people[0], "ask", text="Erste Frage")
    emit(people[0], "ask", text="Zweite Frage")
    second_id = [e for e in events(people[1]) if e["kind"] == "question"][-1]["question"]["id"]
    for person in people[1:]:
        emit(person, "upvote", id=second_id)
    assert first["ok"]
    assert [q.body for q in questions(talk)] == ["Zweite Frage", "Erste Frage"]


def test_anonymous_questions_only_where_allowed_and_without_a_name(make_user, make_talk, room_client):
    closed, open_ = make_talk(), make_talk(anonymous_questions=True)
    refused = emit(room_client(closed, make_user()), "ask", text="Darf ich?", anonymous=True)
    assert refused == {"ok": False, "error": "In diesem Webtalk sind keine anonymen Fragen möglich."}
    asker, other = room_client(open_, make_user(name="Geheim")), room_client(open_, make_user())
    emit(asker, "ask", text="Heikle Frage", anonymous=True)
    [event] = [e for e in events(other) if e["kind"] == "question"]
    assert event["question"]["author"] is None and "Geheim" not in str(event)


def test_poll_single_choice_votes_once_live_results_and_final(make_user, make_talk, room_client):
    talk = make_talk()
    mod, voter, watcher = (
        room_client(talk, make_user(site_role=SiteRole.MODERATOR)),
        room_client(talk, make_user()),
        room_client(talk, make_user()),
    )
    assert emit(voter, "open_poll", question="Wer?", options=["A", "B"])["ok"] is False
    assert emit(mod, "open_poll", question="Welche Farbe?", options=["Rot", "Grün", " "])["ok"] is True
    [poll] = [e["poll"] for e in events(watcher) if e["kind"] == "poll"]
    assert poll["options"] == ["Rot", "Grün"] and poll["results"] == [0, 0]
    assert emit(voter, "vote", id=poll["id"], choices=[0, 1])["ok"] is False, "single choice"
    assert emit(voter, "vote", id=poll["id"], choices=[1])["ok"] is True
    assert emit(voter, "vote", id=poll["id"], choices=[0]) == {
        "ok": False,
        "error": "Sie haben bei dieser Umfrage schon abgestimmt.",
    }
    [live] = [e["poll"] for e in events(watcher) if e["kind"] == "poll_update"]
    assert live["results"] == [0, 1] and live["closed"] is False
    assert emit(mod, "close_poll", id=poll["id"])["ok"] is True
    [final] = [e["poll"] for e in events(watcher) if e["kind"] == "poll_update"]
    assert final["closed"] is True and final["results"] == [0, 1]
    assert emit(watcher, "vote", id=poll["id"], choices=[0])["error"] == "Diese Umfrage ist beendet."


def test_poll_multiple_choice_counts_every_option(make_user, make_talk, room_client):
    talk = make_talk()
    mod, voter = room_client(talk, make_user(site_role=SiteRole.MODERATOR)), room_client(talk, make_user())
    emit(
        mod,
        "open_poll",
        question="Was nutzen Sie?",
        options=["Leerstandskataster", "Pop-up", "Fonds"],
        multiple=True,
    )
    poll_id = next(e for e in events(voter) if e["kind"] == "poll")["poll"]["id"]
    assert emit(voter, "vote", id=poll_id, choices=[0, 2])["ok"] is True
    assert next(e for e in events(voter) if e["kind"] == "poll_update")["poll"]["results"] == [1, 0, 1]


def test_hands_form_a_queue_the_moderator_works_through(make_user, make_talk, room_client):
    from stadtnetz.webtalks.room import hand_queue

    talk = make_talk()
    first_user, second_user = make_user(name="Erste"), make_user(name="Zweite")
    mod = room_client(talk, make_user(site_role=SiteRole.MODERATOR))
    first, second = room_client(talk, first_user), room_client(talk, second_user)
    assert emit(first, "raise_hand")["ok"] and emit(second, "raise_hand")["ok"]
    assert emit(first, "raise_hand")["error"] == "Ihre Hand ist schon gehoben."
    assert [p["name"] for p in hand_queue(talk)] == ["Erste", "Zweite"]
    assert emit(second, "lower_hand", user=first_user.id)["ok"] is False, "only one's own hand"
    assert emit(mod, "lower_hand", user=first_user.id)["ok"] is True
    assert [p["name"] for p in hand_queue(talk)] == ["Zweite"]
    hands = [(e["user"]["name"], e["raised"]) for e in events(mod) if e["kind"] == "hand"]
    assert hands == [("Erste", True), ("Zweite", True), ("Erste", False)]


def test_reactions_from_the_fixed_set_are_broadcast(make_user, make_talk, room_client):
    talk = make_talk()
    alice, bob = room_client(talk, make_user()), room_client(talk, make_user())
    assert emit(alice, "react", emoji="👏")["ok"] is True
    assert emit(alice, "react", emoji="<b>")["ok"] is False
    assert [e["emoji"] for e in events(bob) if e["kind"] == "reaction"] == ["👏"]


def test_reconnecting_client_receives_what_it_missed_in_order_without_duplicates(
    make_user, make_talk, room_client
):
    talk = make_talk()
    alice_user, bob_user = make_user(), make_user()
    alice, bob = room_client(talk, alice_user), room_client(talk, bob_user)
    emit(alice, "chat", text="eins")
    seen = events(bob)
    last_id = seen[-1]["id"]
    bob.disconnect(namespace=NS)
    for text in ("zwei", "drei"):
        emit(alice, "chat", text=text)
    emit(alice, "ask", text="Und vier?")
    back = room_client(talk, bob_user, last_id=last_id)
    caught_up = events(back)
    ids = [e["id"] for e in caught_up]
    assert ids == list(range(last_id + 1, last_id + 1 + len(ids))), "in order, no gaps, no duplicates"
    chats = [e["html"] for e in caught_up if e["kind"] == "chat"]
    assert chats == ["<p>zwei</p>", "<p>drei</p>"]
    assert [e["kind"] for e in caught_up][-1] == "presence"
    assert emit(back, "sync", last_id=last_id)["events"] == caught_up


def test_every_event_is_stored_with_ids_rising_by_one(db, make_user, make_talk, room_client):
    from stadtnetz.webtalks.room_models import RoomEvent

    talk = make_talk()
    alice = room_client(talk, make_user())
    emit(alice, "chat", text="a")
    emit(alice, "chat", text="")  # refused: takes no number
    emit(alice, "react", emoji="🎉")
    stored = db.session.scalars(
        db.select(RoomEvent).where(RoomEvent.webtalk_id == talk.id).order_by(RoomEvent.seq)
    ).all()
    assert [(e.seq, e.kind) for e in stored] == [(1, "presence"), (2, "chat"), (3, "reaction")]
