"""A thread links published practices: chosen by address or number when the thread is started
or edited, listed on the thread page, and listed on each practice page for those who may read
the thread's group."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from stadtnetz.accounts.models import SiteRole
from stadtnetz.database import utcnow
from stadtnetz.errors import Invalid
from stadtnetz.forum.models import Thread
from stadtnetz.forum.practice_links import practice_ids

LINKING = "Themen in den Arbeitsgruppen, die dieses Praxisbeispiel nennen"


@pytest.fixture
def veteran(make_user):
    return lambda **kw: make_user(created_at=utcnow() - timedelta(days=30), **kw)


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("", []),
        ("12", [12]),
        ("12, 7\n12", [12, 7]),
        ("https://stadtnetz.example/praxisbeispiele/5-pop-up-stores\n/praxisbeispiele/9", [5, 9]),
        ("http://localhost:5000/praxisbeispiele/31-gruen/", [31]),
    ],
)
def test_practices_are_named_by_address_or_number(text, ids):
    assert practice_ids(text) == ids


@pytest.mark.parametrize("text", ["Pop-up-Stores", "https://example.org/arbeitsgruppen/3", "12a"])
def test_anything_else_is_refused_with_its_text(text):
    with pytest.raises(Invalid) as refused:
        practice_ids(text)
    assert text in str(refused.value.message) and refused.value.field == "practices"


def test_new_thread_links_practices_and_both_pages_list_them(
    client, db, login, veteran, make_group, make_practice
):
    author = veteran(name="Julia Becker")
    group = make_group(members=[author], name="Leerstandsbewältigung")
    popup = make_practice(title="Pop-up-Stores in Lüdenscheid")
    market = make_practice(title="Wochenmarkt am Abend")
    login(author)

    response = client.post(
        f"/arbeitsgruppen/{group.slug}/neues-thema",
        data={
            "title": "Zwischennutzung von Ladenlokalen",
            "body": "Wer hat Erfahrung?",
            "practices": f"http://localhost{popup.url}\n{market.id}",
            "save": "1",
        },
        follow_redirects=True,
    )

    thread = db.session.scalar(sa.select(Thread))
    assert [p.title for p in thread.practices] == ["Pop-up-Stores in Lüdenscheid", "Wochenmarkt am Abend"]
    assert "Verknüpfte Praxisbeispiele" in response.text
    assert f'<a href="{popup.url}">Pop-up-Stores in Lüdenscheid</a>' in response.text
    practice_page = client.get(popup.url).text
    assert LINKING in practice_page
    assert f'<a href="/forum/themen/{thread.id}">Zwischennutzung von Ladenlokalen</a>' in practice_page
    assert "Leerstandsbewältigung · 1 Beitrag" in practice_page


def test_drafts_and_unknown_numbers_cannot_be_linked(client, db, login, veteran, make_group, make_practice):
    author = veteran()
    group = make_group(members=[author])
    draft = make_practice(title="Noch ein Entwurf", state="draft")
    login(author)
    data = {"title": "Frage", "body": "Text", "save": "1"}

    page = client.post(f"/arbeitsgruppen/{group.slug}/neues-thema", data={**data, "practices": str(draft.id)})
    # A draft is refused like a missing number: its title stays secret.
    assert f"Kein veröffentlichtes Praxisbeispiel hat die Nummer {draft.id}." in page.text
    assert "Noch ein Entwurf" not in page.text
    page = client.post(f"/arbeitsgruppen/{group.slug}/neues-thema", data={**data, "practices": "99999"})
    assert "Kein veröffentlichtes Praxisbeispiel hat die Nummer 99999." in page.text
    assert 'href="#practices"' in page.text  # the error summary leads to the field
    assert db.session.scalar(sa.select(sa.func.count(Thread.id))) == 0


def test_author_and_moderator_edit_title_and_links_others_may_not(
    client, db, login, veteran, make_user, make_group, make_thread, make_practice
):
    author, other = veteran(name="Julia Becker"), veteran()
    moderator = make_user(site_role=SiteRole.MODERATOR)
    group = make_group(members=[author, other])
    first, second = make_practice(title="Erstes Beispiel"), make_practice(title="Zweites Beispiel")
    thread = make_thread(group=group, author=author, title="Alter Titel")
    edit = f"/forum/themen/{thread.id}/bearbeiten"

    login(other)
    assert client.get(edit).status_code == 403
    assert (
        "Titel und verknüpfte Praxisbeispiele bearbeiten" not in client.get(f"/forum/themen/{thread.id}").text
    )

    login(author)
    assert "Titel und verknüpfte Praxisbeispiele bearbeiten" in client.get(f"/forum/themen/{thread.id}").text
    page = client.post(
        edit, data={"title": "Neuer Titel", "practices": f"{first.id}\n{second.id}"}, follow_redirects=True
    )
    assert "<h1>Neuer Titel</h1>" in page.text and "Zweites Beispiel" in page.text

    login(moderator)
    form = client.get(edit).text
    assert f"http://localhost{first.url}\nhttp://localhost{second.url}" in form  # prefilled, one per line
    client.post(edit, data={"title": "Neuer Titel", "practices": str(second.id)})
    db.session.expire_all()
    assert thread.title == "Neuer Titel" and [p.title for p in thread.practices] == ["Zweites Beispiel"]
    assert LINKING not in client.get(first.url).text


def test_members_only_threads_are_listed_on_the_practice_page_only_for_readers(
    client, db, login, veteran, make_user, make_group, make_thread, make_practice
):
    member, outsider = veteran(), veteran()
    site_moderator = make_user(site_role=SiteRole.MODERATOR)
    practice = make_practice(title="Hitzeaktionsplan")
    closed = make_group(members=[member], visibility="members", name="Klimaanpassung intern")
    thread = make_thread(group=closed, author=member, title="Interne Abstimmung zum Hitzeplan")
    thread.practices = [practice]
    db.session.commit()

    for viewer in (None, outsider):
        if viewer is not None:
            login(viewer)
        page = client.get(practice.url).text
        assert "Interne Abstimmung zum Hitzeplan" not in page and LINKING not in page
    for reader in (member, site_moderator):
        login(reader)
        assert "Interne Abstimmung zum Hitzeplan" in client.get(practice.url).text


def test_deleting_a_thread_removes_its_links(db, make_thread, make_practice):
    practice = make_practice()
    thread = make_thread()
    thread.practices = [practice]
    db.session.commit()
    db.session.delete(thread)
    db.session.commit()
    assert db.session.execute(sa.text("SELECT count(*) FROM forum_thread_practice")).scalar() == 0


def test_the_api_lists_the_linked_practices(client, db, make_thread, make_practice):
    practice = make_practice(title="Hitzeaktionsplan Lüdenscheid")
    thread = make_thread()
    thread.practices = [practice]
    db.session.commit()
    data = client.get(f"/api/v1/threads/{thread.id}").get_json()
    assert data["practices"] == [
        {
            "id": practice.id,
            "title": "Hitzeaktionsplan Lüdenscheid",
            "html_url": f"http://localhost{practice.url}",
        }
    ]


def test_a_practice_archived_since_it_was_linked_may_stay(
    client, db, login, veteran, make_group, make_thread, make_practice
):
    from stadtnetz.practices.services import archive_practice

    author = veteran()
    thread = make_thread(group=make_group(members=[author]), author=author)
    kept, other = make_practice(title="Schon verknüpft"), make_practice(title="Neu archiviert")
    thread.practices = [kept]
    archive_practice(None, kept)
    archive_practice(None, other)
    db.session.commit()
    login(author)
    edit = f"/forum/themen/{thread.id}/bearbeiten"

    page = client.post(edit, data={"title": "Titel", "practices": f"{kept.id}\n{other.id}"})
    assert f"Kein veröffentlichtes Praxisbeispiel hat die Nummer {other.id}." in page.text
    client.post(edit, data={"title": "Neuer Titel", "practices": str(kept.id)})
    db.session.expire_all()
    assert thread.title == "Neuer Titel" and thread.practices == [kept]
