"""GET /api/v1/search: hits with highlights, facets over the whole result, kinds, visibility."""

import pytest

from stadtnetz.practices import services


def test_hits_are_highlighted_and_faceted(client, catalogue):
    body = client.get("/api/v1/search?q=Hitze").get_json()
    assert [hit["title"] for hit in body["hits"]] == ["Schattenplätze gegen Hitze"]
    hit = body["hits"][0]
    assert hit["kind"] == "practice" and hit["id"] == catalogue.schatten.id
    assert hit["url"] == f"http://localhost{catalogue.schatten.url}"
    assert hit["municipality"] == "Passau" and hit["organisation"] == "Stadt Passau"
    facets = body["facets"]
    assert {v["value"]: v["count"] for v in facets["topic"]} == {"klimaanpassung": 1, "oeffentlicher-raum": 1}
    assert facets["land"] == [{"value": "09", "label": "Bayern", "count": 1}]
    assert body["pagination"]["total"] == 1
    assert body["q"] == "Hitze"


def test_facets_count_the_whole_result_not_the_page(client, catalogue):
    body = client.get("/api/v1/search?per_page=1").get_json()
    assert len(body["hits"]) == 1
    assert {v["value"]: v["count"] for v in body["facets"]["land"]} == {"05": 2, "09": 1}
    assert {v["value"]: v["count"] for v in body["facets"]["kind"]} == {"practice": 3}


def test_a_snippet_marks_the_words_found(client, catalogue):
    hit = client.get("/api/v1/search?q=Domplatz").get_json()["hits"][0]
    assert "<mark>Domplatz</mark>" in hit["snippet"]


def test_filters_and_kinds_narrow_the_result(client, catalogue):
    body = client.get("/api/v1/search?kinds=practice&size_class=grossstadt").get_json()
    assert [hit["title"] for hit in body["hits"]] == [catalogue.kataster.title]


@pytest.mark.parametrize("who", ["anonymous", "outsider", "writer"])
def test_a_draft_is_found_only_once_published(client, login, make_user, db, index, catalogue, who):
    """Drafts are not in the index at all, not even for their writers (who have their own pages)."""
    if who != "anonymous":
        login(catalogue.writer if who == "writer" else make_user())
    for q in ("Geheimer Leerstandsplan", "Geheimer"):
        hits = client.get(f"/api/v1/search?q={q}").get_json()["hits"]
        assert "Geheimer Leerstandsplan" not in [hit["title"] for hit in hits]

    services.publish_practice(None, catalogue.draft)
    db.session.commit()
    index()
    hits = client.get("/api/v1/search?q=Geheimer").get_json()["hits"]
    assert [hit["title"] for hit in hits] == ["Geheimer Leerstandsplan"]
