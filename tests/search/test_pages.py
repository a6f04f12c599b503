"""The search page, the autocomplete endpoint and the admins' synonym page."""

import statistics
import time

import pytest

from stadtnetz import outbox
from stadtnetz.accounts.models import SiteRole
from stadtnetz.search.models import SynonymGroup


@pytest.fixture
def indexed(make_note):
    """Notes about markets and vacancies, indexed."""
    notes = [make_note(f"Wochenmarkt {n}", "Frische Ware am Samstag.") for n in range(1, 24)]
    notes.append(make_note("Leerstandskataster", "Alle leeren <Läden> auf einer Karte."))
    outbox.run_pending("search")
    return notes


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_results_show_type_highlight_and_facets(client, indexed):
    html = page(client, "/suche?q=Leerstand")
    assert "1 Treffer" in html
    assert '<a href="/notizen/24">Leerstandskataster</a>' in html
    # "Leerstand" ↔ "Ladenleerstand", "leerstehende Ladenlokale": the synonyms' words are marked too
    assert "Alle <mark>leeren</mark> &lt;<mark>Läden</mark>&gt; auf einer Karte." in html
    assert '<span class="badge">Notiz</span>' in html
    assert 'name="kind" value="note"' in html and "Notiz <span class=\"meta\">(1)</span>" in html


def test_pages_of_results(client, indexed):
    first = page(client, "/suche?q=Wochenmarkt")
    assert "23 Treffer" in first and "Seite 1 von 2" in first
    assert 'href="/suche?page=2&amp;q=Wochenmarkt&amp;sort=relevance"' in first
    assert "Seite 2 von 2" in page(client, "/suche?q=Wochenmarkt&page=2")


def test_a_typo_gets_a_did_you_mean_link(client, indexed):
    html = page(client, "/suche?q=Wochenmrkt")
    assert "Meinten Sie" in html and ">Wochenmarkt</a>?" in html
    assert "23 Treffer" in html


def test_nothing_found_says_what_to_try(client, indexed):
    html = page(client, "/suche?q=Seilbahn")
    assert "0 Treffer" in html and "Nichts gefunden" in html


def test_bad_parameters_fall_back_instead_of_failing(client, indexed):
    assert "23 Treffer" in page(client, "/suche?q=Wochenmarkt&sort=beliebt&page=0")
    assert client.get("/suche?q=Wochenmarkt&land=05&farbe=rot").status_code == 200


def test_the_navigation_leads_to_the_search(client):
    html = page(client, "/")
    assert 'href="/suche"' in html
    search_page = page(client, "/suche")
    assert '<label for="search-q">' in search_page
    assert 'src="/static/js/search-suggest.js"' in search_page and "<script>" not in search_page


def test_autocomplete_answers_json_fast(client, indexed):
    assert client.get("/suche/vorschlaege?q=woch").get_json() == ["wochenmarkt"]
    assert client.get("/suche/vorschlaege?q=Leerst").get_json() == ["leerstandskataster"]
    assert client.get("/suche/vorschlaege?q=").get_json() == []
    timings = []
    for _ in range(20):
        started = time.perf_counter()
        client.get("/suche/vorschlaege?q=wo")
        timings.append(time.perf_counter() - started)
    assert statistics.median(timings) < 0.05


@pytest.mark.parametrize(("role", "status"), [
    (SiteRole.MEMBER, 403), (SiteRole.MODERATOR, 403), (SiteRole.ADMIN, 200),
])
def test_only_admins_manage_synonyms(client, login, make_user, role, status):
    login(make_user(site_role=role))
    assert client.get("/admin/synonyme").status_code == status
    assert client.post("/admin/synonyme", data={"terms": "Velo\nFahrrad"}).status_code in (status, 302)


def test_an_admin_adds_a_synonym_group_that_search_uses_at_once(client, db, login, make_user, make_note):
    make_note("Fahrradstraße am Ring")
    outbox.run_pending("search")
    assert "0 Treffer" in page(client, "/suche?q=Velo")
    login(make_user(site_role=SiteRole.ADMIN))
    html = client.post("/admin/synonyme", data={"terms": "Velo\nFahrrad\n"}, follow_redirects=True)
    assert "Die Synonymgruppe ist gespeichert" in html.get_data(as_text=True)
    assert [group.phrases for group in db.session.scalars(db.select(SynonymGroup))] == [["Velo", "Fahrrad"]]
    assert "1 Treffer" in page(client, "/suche?q=Velo")


def test_a_group_needs_two_terms_and_can_be_deleted(client, db, login, make_user):
    login(make_user(site_role=SiteRole.ADMIN))
    html = client.post("/admin/synonyme", data={"terms": "Velo\nvelo"}).get_data(as_text=True)
    assert "mindestens zwei verschiedene Begriffe" in html
    client.post("/admin/synonyme", data={"terms": "Velo\nFahrrad"})
    group = db.session.scalar(db.select(SynonymGroup))
    client.post(f"/admin/synonyme/{group.id}/loeschen")
    assert db.session.scalar(db.select(SynonymGroup)) is None
