"""Each published practice has its own discussion thread on its page, opened by the first post."""

import sqlalchemy as sa

from stadtnetz.forum.models import Thread
from stadtnetz.forum.practice_discussion import GROUP_SLUG


def test_first_post_opens_the_practice_thread_and_the_page_shows_it(
    client, db, login, make_user, make_practice
):
    practice = make_practice(title="Pop-up-Stores in Lüdenscheid")
    page = client.get(practice.url).text
    assert "Noch hat niemand über dieses Praxisbeispiel diskutiert." in page
    assert "Melden Sie sich an, um mitzudiskutieren." in page

    login(make_user(name="Tobias Schulte"))
    response = client.post(
        f"/praxisbeispiele/{practice.id}/diskussion",
        data={"body": "Wie lange lief die **Zwischennutzung**?", "save": "1"},
    )
    thread = db.session.scalar(sa.select(Thread).where(Thread.practice_id == practice.id))
    assert thread.title == "Diskussion: Pop-up-Stores in Lüdenscheid"
    assert thread.group.slug == GROUP_SLUG and thread.group.is_public
    assert response.headers["Location"].startswith(f"/forum/themen/{thread.id}#beitrag-")

    client.post(f"/praxisbeispiele/{practice.id}/diskussion", data={"body": "Nachtrag.", "save": "1"})
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(Thread.id))) == 1 and thread.post_count == 2
    page = client.get(practice.url).text
    assert "<strong>Zwischennutzung</strong>" in page and "Nachtrag." in page
    assert "Die ganze Diskussion lesen (2 Beiträge)" in page
    assert (
        f'<a href="{practice.url}">Pop-up-Stores in Lüdenscheid</a>'
        in client.get(f"/forum/themen/{thread.id}").text
    )


def test_preview_on_its_own_page(client, db, login, make_user, make_practice):
    practice = make_practice()
    login(make_user())
    page = client.post(
        f"/praxisbeispiele/{practice.id}/diskussion", data={"body": "*kursiv*", "preview": "1"}
    )
    assert "<em>kursiv</em>" in page.text and db.session.scalar(sa.select(sa.func.count(Thread.id))) == 0


def test_drafts_and_archived_practices_cannot_be_discussed(client, db, login, make_user, make_practice):
    writer = make_user()
    login(writer)
    draft = make_practice(state="draft")
    assert (
        client.post(f"/praxisbeispiele/{draft.id}/diskussion", data={"body": "x", "save": "1"}).status_code
        == 404
    )
    archived = make_practice(state="archived")
    response = client.post(f"/praxisbeispiele/{archived.id}/diskussion", data={"body": "x", "save": "1"})
    assert "Nur veröffentlichte Praxisbeispiele können diskutiert werden." in response.text
    assert db.session.scalar(sa.select(sa.func.count(Thread.id))) == 0
