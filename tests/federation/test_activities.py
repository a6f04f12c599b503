"""The activities we build: ids under our base URL, addressing, embedded objects, and their
record, which makes a public activity's id dereference."""

import re

from stadtnetz.federation import activities, objects
from stadtnetz.federation.actors import local_actor_for

ID = re.compile(r"^http://localhost/ap/activities/[0-9a-f-]{36}$")


def test_create_update_delete_of_a_practice_are_addressed_like_the_article(app, make_practice):
    practice = make_practice()
    organisation = local_actor_for(practice.organisation)
    article = objects.practice_article(practice)
    create = activities.create(organisation, article)
    assert ID.match(create["id"]) and create["type"] == "Create"
    assert create["actor"] == organisation.uri == article["attributedTo"]
    assert create["to"] == [objects.PUBLIC] and create["cc"] == [organisation.followers]
    assert create["object"]["id"] == article["id"] and "@context" not in create["object"]
    assert activities.update(organisation, article)["id"] != create["id"]
    stone = objects.tombstone(article["id"], "Article")
    delete = activities.delete(organisation, stone)
    assert delete["object"]["type"] == "Tombstone" and objects.PUBLIC in delete["to"]


def test_follow_answers_and_undo_are_addressed_to_the_other_side(app, make_group):
    group = local_actor_for(make_group())
    follow = {"id": "https://b.example/ap/activities/1", "type": "Follow",
              "actor": "https://b.example/ap/instance", "object": group.uri}
    accept = activities.accept(group, follow)
    assert accept["type"] == "Accept" and accept["object"] == follow
    assert accept["to"] == ["https://b.example/ap/instance"] and accept["cc"] == []
    assert activities.reject(group, follow)["to"] == ["https://b.example/ap/instance"]
    ours = activities.follow(local_actor_for(None), "https://b.example/ap/groups/radverkehr")
    assert ours["object"] == "https://b.example/ap/groups/radverkehr"
    undo = activities.undo(local_actor_for(None), ours)
    assert undo["object"]["id"] == ours["id"] and undo["to"] == ours["to"]


def test_a_group_announces_a_whole_activity_to_its_followers(app, make_thread):
    thread = make_thread()
    group = local_actor_for(thread.group)
    create = activities.create(local_actor_for(thread.author), objects.thread_page(thread))
    announce = activities.announce(group, create)
    assert announce["actor"] == group.uri and announce["cc"] == [group.followers]
    assert announce["object"]["id"] == create["id"] and announce["object"]["object"]["type"] == "Page"


def test_like_and_flag(app, make_user):
    user = local_actor_for(make_user())
    like = activities.like(user, "https://b.example/p/1", "https://b.example/u/anna")
    assert like["type"] == "Like" and like["object"] == "https://b.example/p/1"
    flag = activities.flag(local_actor_for(None), ["https://b.example/p/1"], "Werbung",
                           "https://b.example/ap/instance")
    assert flag["content"] == "Werbung" and flag["actor"] == "http://localhost/ap/instance"
    assert objects.PUBLIC not in flag["to"]


def test_a_recorded_public_activity_dereferences_and_a_private_one_does_not(app, db, client, make_practice):
    practice = make_practice()
    organisation = local_actor_for(practice.organisation)
    public = activities.record(activities.create(organisation, objects.practice_article(practice)))
    private = activities.record(activities.follow(organisation, "https://b.example/ap/instance"))
    db.session.commit()
    response = client.get(f"/ap/activities/{public.id}", headers={"Accept": "application/activity+json"})
    assert response.status_code == 200 and response.json["object"]["name"] == practice.title
    assert client.get(f"/ap/activities/{private.id}").status_code == 404
