"""Visibility: a document is found only by those whose audiences include one of its own."""

import pytest

from stadtnetz import outbox, search
from stadtnetz.search import service
from tests.search.conftest import ids


@pytest.fixture
def insiders():
    """Users named "Insider …" belong to audience group:1."""

    def provider(user) -> set[str]:
        return {"group:1"} if user.name.startswith("Insider") else set()

    search.audience_provider(provider)
    yield
    service._audience_providers.remove(provider)


@pytest.fixture
def two_notes(make_note):
    public = make_note("Marktplatz für alle")
    internal = make_note("Marktplatz intern", audience="group:1")
    outbox.run_pending("search")
    return public, internal


def test_a_group_document_is_hidden_from_others(insiders, two_notes, make_user):
    public, internal = two_notes
    outsider, insider = make_user(name="Andere Person"), make_user(name="Insider Eins")
    assert ids(search.search("Marktplatz")) == [public.id]
    assert ids(search.search("Marktplatz", user=outsider)) == [public.id]
    assert sorted(ids(search.search("Marktplatz", user=insider))) == [public.id, internal.id]
    assert search.suggest("inte", user=outsider) == []
    assert search.suggest("inte", user=insider) == ["intern"]


def test_more_like_this_respects_audiences(insiders, two_notes, make_user):
    public, internal = two_notes
    assert search.more_like_this("note", public.id) == []
    assert ids(search.more_like_this("note", public.id, user=make_user(name="Insider Zwei"))) == [internal.id]


def test_search_page_hides_group_documents(insiders, two_notes, client, login, make_user):
    assert "Marktplatz intern" not in client.get("/suche?q=Marktplatz").get_data(as_text=True)
    login(make_user(name="Insider Drei"))
    assert "Marktplatz intern" in client.get("/suche?q=Marktplatz").get_data(as_text=True)
