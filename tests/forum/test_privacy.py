"""The forum's part in data export and account deletion."""

import json

import sqlalchemy as sa

from stadtnetz import outbox, search
from stadtnetz.forum import notifications
from stadtnetz.forum.activity_models import Flag, Notification, ThreadWatch, WatchLevel
from stadtnetz.forum.models import GroupMembership, Post, PostRevision, Thread
from stadtnetz.forum.posting import edit_post
from tests.conftest import PASSWORD


def test_export_contains_groups_posts_with_versions_flags_and_watches(
    client, db, login, make_user, make_group, make_thread, make_post
):
    user = make_user()
    group = make_group(name="Mobilität", members=[user])
    thread = make_thread(group=group, author=user, title="Radwege", body="Erste Fassung")
    post = db.session.scalar(sa.select(Post))
    edit_post(user, post, "Zweite Fassung")
    other = make_post(thread, make_user(), "Fremder Beitrag")
    db.session.add(Flag(post=other, user=user, reason="Off-Topic"))
    db.session.commit()
    login(user)

    data = json.loads(client.post("/konto/daten").text)["forum"]

    assert data["groups"] == [
        {
            "group": "Mobilität",
            "role": "member",
            "status": "approved",
            "message": "",
            "since": data["groups"][0]["since"],
        }
    ]
    [own] = data["posts"]
    assert own["thread"] == "Radwege" and own["text"] == "Zweite Fassung"
    assert own["earlier_versions"] == ["Erste Fassung"]
    assert data["flags"] == [{"post": other.id, "reason": "Off-Topic", "at": data["flags"][0]["at"]}]
    assert data["watching"]["threads"] == {str(thread.id): "watching"}


def _delete_account(client, login, user, delete_content: bool):
    login(user)
    data = {"password": PASSWORD}
    if delete_content:
        data["delete_content"] = "y"
    response = client.post("/konto/loeschen", data=data, follow_redirects=True)
    assert "Ihr Konto ist gelöscht." in response.text


def test_deleting_an_account_keeps_posts_as_deleted_account(
    client, db, login, make_user, make_group, make_thread, make_post
):
    user = make_user(name="Gerda Gehend")
    group = make_group(members=[user])
    thread = make_thread(group=group, author=user, body="Bleibt stehen.")
    make_post(thread, make_user(), "Hallo @[Gerda Gehend]")
    notifications.watch_thread(user, thread, WatchLevel.MUTED)
    db.session.commit()
    user_id = user.id

    _delete_account(client, login, user, delete_content=False)

    page = client.get(f"/forum/themen/{thread.id}").text
    assert "Bleibt stehen." in page and "gelöschtes Konto" in page
    assert page.count("Gerda Gehend") == 1  # only where someone else's post mentions her
    assert db.session.scalar(sa.select(Thread.author_id)) is None
    for model in (GroupMembership, ThreadWatch, Notification):
        assert (
            db.session.scalar(sa.select(sa.func.count()).select_from(model).where(model.user_id == user_id))
            == 0
        )


def test_deleting_with_content_erases_the_text_and_the_index_entry(
    app, client, db, login, make_user, make_thread
):
    user = make_user()
    thread = make_thread(author=user, body="Ein Wort namens Quarkstrudel.")
    post = db.session.scalar(sa.select(Post))
    edit_post(user, post, "Nun Quarkstrudel zweimal.")
    db.session.commit()
    outbox.run_pending("search")
    assert search.search("Quarkstrudel").total == 1

    _delete_account(client, login, user, delete_content=True)

    db.session.expire_all()
    post = db.session.get(Post, post.id)
    assert post.body == "" and post.html == "" and post.is_deleted and post.author_id is None
    assert db.session.scalar(sa.select(sa.func.count(PostRevision.id))) == 0
    assert "Quarkstrudel" not in client.get(f"/forum/themen/{thread.id}").text
    outbox.run_pending("search")
    assert search.search("Quarkstrudel").total == 0
