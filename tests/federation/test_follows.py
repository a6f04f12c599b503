"""Follow tables and following remote actors from this instance."""

import pytest
import sqlalchemy as sa

from stadtnetz.errors import Invalid
from stadtnetz.federation.activities import SentActivity
from stadtnetz.federation.actors import local_actor_for
from stadtnetz.federation.following import resolve_handle
from stadtnetz.federation.follows import Follower, Following, FollowState, follower_inboxes
from stadtnetz.federation.remote_actors import store_actor_document

from .test_processing import ORG, actor_document


def remote(uri: str, shared: bool = True) -> str:
    document = actor_document(uri)
    if not shared:
        del document["endpoints"]
    store_actor_document(uri, document)
    return uri


def test_follower_inboxes_prefer_the_shared_inbox_once_per_server(db, make_organisation):
    jena, siegen = make_organisation(), make_organisation()
    followers = [remote("https://thueringen.example/ap/users/1"), remote("https://thueringen.example/ap/users/2"),
                 remote("https://klein.example/ap/users/3", shared=False)]
    for uri in followers:
        db.session.add(Follower(local_kind="organisation", local_id=jena.id, actor_uri=uri,
                                follow_id=uri + "#follow"))
    db.session.add(Follower(local_kind="organisation", local_id=siegen.id,
                            actor_uri=remote("https://anders.example/ap/users/4"), follow_id="x"))
    db.session.commit()

    assert follower_inboxes(local_actor_for(jena)) == {
        "https://thueringen.example/ap/inbox", "https://klein.example/ap/users/3/inbox"}
    assert follower_inboxes(local_actor_for(None)) == set()


@pytest.mark.parametrize("handle", ["", "jena", "@jena", "jena@", "@je na@beispiel.de", "ftp://beispiel.de/jena"])
def test_malformed_handles_are_refused_with_a_german_message(app, handle):
    with pytest.raises(Invalid) as refused:
        resolve_handle(handle)
    assert "@stadt@beispiel.de" in str(refused.value.message)


def test_actor_urls_are_taken_as_given(app):
    assert resolve_handle(" https://thueringen.example/ap/organisations/jena ") == \
        "https://thueringen.example/ap/organisations/jena"


def test_follow_form_refuses_an_address_it_may_not_reach(client, login, make_user, db):
    # Loopback is out of bounds without the test setting: nothing is fetched, nothing stored.
    login(make_user())
    page = client.post("/netzwerk/folgen", data={"handle": "@jena@127.0.0.1:9"}).get_data(as_text=True)
    assert "Unter dieser Adresse wurde kein Profil gefunden." in page
    page = client.post("/netzwerk/folgen", data={"handle": "jena"}).get_data(as_text=True)
    assert "Bitte geben Sie eine Adresse wie @stadt@beispiel.de" in page
    assert db.session.scalar(sa.select(sa.func.count(Following.id))) == 0


def test_unfollow_sends_undo_and_forgets_the_follow(app, client, login, make_user, db):
    app.config["FEDERATION"] = "open"
    user = make_user()
    remote(ORG)
    following = Following(user=user, actor_uri=ORG, follow_id="http://localhost/ap/activities/1",
                          state=FollowState.ACCEPTED)
    db.session.add(following)
    db.session.commit()
    login(user)
    page = client.get("/netzwerk/folgen").get_data(as_text=True)
    assert "Stadt Jena" in page and "bestätigt" in page

    response = client.post(f"/netzwerk/folgen/{following.id}/beenden", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Sie folgen diesem Profil nicht mehr." in page
    assert db.session.scalar(sa.select(sa.func.count(Following.id))) == 0
    undo = db.session.scalar(sa.select(SentActivity).where(SentActivity.type == "Undo"))
    assert undo.json["object"] == {"id": "http://localhost/ap/activities/1", "type": "Follow",
                                   "actor": local_actor_for(user).uri, "object": ORG}


def test_nobody_ends_another_users_follow(client, login, make_user, db):
    owner, other = make_user(), make_user()
    following = Following(user=owner, actor_uri=ORG, follow_id="http://localhost/ap/activities/2")
    db.session.add(following)
    db.session.commit()
    login(other)
    assert client.post(f"/netzwerk/folgen/{following.id}/beenden").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(Following.id))) == 1
