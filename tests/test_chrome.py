"""The header and footer are rendered once per language, page and kind of viewer
(``stadtnetz.chrome``); nothing of one viewer may reach another, and each page still marks its
own navigation entry."""

import re

from stadtnetz.accounts.models import SiteRole
from tests.conftest import PASSWORD

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def _header(html: str) -> str:
    return html[html.index('<header class="site-header">') : html.index("</header>")]


def _current(html: str) -> list[str]:
    return re.findall(r'<a href="[^"]+" aria-current="page">([^<]+)</a>', _header(html))


def test_each_viewer_gets_their_own_name_and_token(app, make_user, login):
    anna, bert = make_user(name="Anna Aachen"), make_user(name="Bert Bonn")
    first, second = app.test_client(), app.test_client()
    first.post("/anmelden", data={"email": anna.email, "password": PASSWORD})
    second.post("/anmelden", data={"email": bert.email, "password": PASSWORD})
    for client in (first, second):  # the second viewer gets the cached rendering
        client.get("/arbeitsgruppen")
    anna_page = first.get("/arbeitsgruppen").get_data(as_text=True)
    bert_page = second.get("/arbeitsgruppen").get_data(as_text=True)

    assert "Anna Aachen" in _header(anna_page) and "Bert Bonn" not in anna_page
    assert "Bert Bonn" in _header(bert_page) and "Anna Aachen" not in bert_page
    anna_tokens, bert_tokens = set(TOKEN.findall(anna_page)), set(TOKEN.findall(bert_page))
    assert len(anna_tokens) == 1 and len(bert_tokens) == 1 and anna_tokens != bert_tokens
    assert "<!--§" not in anna_page + bert_page


def test_names_are_escaped(client, make_user, login):
    login(make_user(name="<b>Fett</b> & Co"))
    html = client.get("/").get_data(as_text=True)
    assert "&lt;b&gt;Fett&lt;/b&gt; &amp; Co" in _header(html)
    assert "<b>Fett</b>" not in html


def test_the_current_page_is_marked_on_every_page(client):
    for _ in range(2):  # cold, then from the cache
        assert _current(client.get("/arbeitsgruppen").get_data(as_text=True)) == ["Arbeitsgruppen"]
        assert _current(client.get("/praxisbeispiele").get_data(as_text=True)) == ["Praxisbeispiele"]
        assert _current(client.get("/").get_data(as_text=True)) == []


def test_moderation_entry_only_for_moderators(app, make_user):
    moderator, member = make_user(site_role=SiteRole.MODERATOR), make_user()
    pages = {}
    for user in (moderator, member):
        client = app.test_client()
        client.post("/anmelden", data={"email": user.email, "password": PASSWORD})
        pages[user.id] = _header(client.get("/arbeitsgruppen").get_data(as_text=True))
    assert ">Moderation</a>" in pages[moderator.id]
    assert ">Moderation</a>" not in pages[member.id]
    assert ">Anmelden</a>" not in pages[member.id]


def test_language_form_returns_to_this_page_with_its_query(client):
    html = client.get('/praxisbeispiele?q="Leerstand"&page=1').get_data(as_text=True)
    assert 'name="next" value="/praxisbeispiele?q=&#34;Leerstand&#34;&amp;page=1"' in html
    english = client.get("/praxisbeispiele", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert ">Working groups</a>" in _header(english)
    assert 'name="next" value="/praxisbeispiele"' in english
