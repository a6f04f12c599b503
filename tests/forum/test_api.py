"""The forum in the API: groups, a group's threads, a thread's posts, with the members-only
rule (outsiders get a JSON 404) and the OpenAPI document describing the routes."""

import sqlalchemy as sa

from stadtnetz.forum.models import Post


def test_groups_list_every_group_with_its_readability(client, login, make_user, make_group):
    member = make_user()
    make_group(name="Mobilität")
    make_group(name="Intern", visibility="members", members=[member])

    anonymous = {g["name"]: g for g in client.get("/api/v1/groups").get_json()["items"]}
    assert anonymous["Mobilität"]["readable"] and not anonymous["Intern"]["readable"]
    assert anonymous["Intern"]["visibility"] == "members"
    assert anonymous["Mobilität"]["threads_url"].startswith("http://localhost/api/v1/groups/")

    login(member)
    assert {g["name"]: g["readable"] for g in client.get("/api/v1/groups").get_json()["items"]}["Intern"]


def test_threads_and_posts_with_pages(client, db, make_user, make_group, make_thread, make_post):
    group = make_group(name="Klimaanpassung")
    thread = make_thread(group=group, title="Hitzeaktionsplan", body="Erster **Beitrag**")
    make_post(thread, thread.author, "Zweiter Beitrag")
    make_thread(group=group, title="Trinkbrunnen")

    listing = client.get(f"/api/v1/groups/{group.id}/threads?per_page=1").get_json()
    assert [t["title"] for t in listing["items"]] == ["Trinkbrunnen"]
    assert listing["pagination"]["total"] == 2
    assert listing["pagination"]["links"]["next"].endswith(
        f"/api/v1/groups/{group.id}/threads?per_page=1&page=2"
    )
    assert listing["pagination"]["pages"] == 2 and listing["group"]["name"] == "Klimaanpassung"

    data = client.get(f"/api/v1/threads/{thread.id}").get_json()
    assert data["title"] == "Hitzeaktionsplan" and data["post_count"] == 2
    assert [p["html"] for p in data["posts"]] == [
        "<p>Erster <strong>Beitrag</strong></p>",
        "<p>Zweiter Beitrag</p>",
    ]
    first = db.session.scalar(sa.select(Post))
    assert data["posts"][0]["html_url"] == f"http://localhost/forum/themen/{thread.id}#beitrag-{first.id}"
    assert client.get(f"/api/v1/threads/{thread.id}?per_page=0").status_code == 400


def test_hidden_posts_carry_no_text(client, db, make_thread):
    thread = make_thread(body="Geheim")
    post = db.session.scalar(sa.select(Post))
    post.deleted_at, post.deleted_reason = post.created_at, "Spam"
    db.session.commit()

    [shown] = client.get(f"/api/v1/threads/{thread.id}").get_json()["posts"]

    assert shown["state"] == "deleted" and shown["html"] is None


def test_members_only_content_is_not_found_for_outsiders(client, login, make_user, make_group, make_thread):
    member = make_user()
    group = make_group(visibility="members", members=[member])
    thread = make_thread(group=group, author=member, title="Internes Thema")
    for who in (None, make_user()):
        if who:
            login(who)
        for url in (f"/api/v1/groups/{group.id}/threads", f"/api/v1/threads/{thread.id}"):
            response = client.get(url)
            assert response.status_code == 404 and "Internes Thema" not in response.text
            assert response.get_json()["error"] == "Seite nicht gefunden"
    login(member)
    assert client.get(f"/api/v1/threads/{thread.id}").get_json()["title"] == "Internes Thema"


def test_openapi_documents_the_forum_routes(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"/api/v1/groups", "/api/v1/groups/{group_id}/threads", "/api/v1/threads/{thread_id}"} <= set(
        paths
    )
    assert paths["/api/v1/threads/{thread_id}"]["get"]["operationId"] == "getThread"


def test_authors_come_by_id_and_name_without_user_objects(
    client, db, make_user, make_group, make_thread, make_post, count_queries
):
    author, other = make_user(name="Jana Autorin"), make_user(name="Kai Antwort")
    thread = make_thread(group=make_group(), author=author, title="Hitzeschutz")
    for _ in range(5):
        make_post(thread, other, "Noch eine Antwort.")
    db.session.execute(sa.update(Post).where(Post.number == 3).values(author_id=None))
    db.session.commit()

    with count_queries() as short:
        data = client.get(f"/api/v1/threads/{thread.id}?per_page=2").get_json()
    with count_queries() as long:
        client.get(f"/api/v1/threads/{thread.id}?per_page=6")

    assert data["author"] == {"id": author.id, "name": "Jana Autorin"}
    assert data["posts"][1]["author"] == {"id": other.id, "name": "Kai Antwort"}
    page_two = client.get(f"/api/v1/threads/{thread.id}?per_page=2&page=2").get_json()
    assert page_two["posts"][0]["author"] is None
    assert len(long) == len(short)
    listing = client.get(f"/api/v1/groups/{thread.group_id}/threads").get_json()
    assert listing["items"][0]["author"] == {"id": author.id, "name": "Jana Autorin"}
