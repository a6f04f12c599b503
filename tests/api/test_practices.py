"""GET /api/v1/practices and /api/v1/practices/<id>: filters, pagination, visibility."""

import pytest


def titles(response) -> list[str]:
    assert response.status_code == 200, response.get_json()
    return [item["title"] for item in response.get_json()["items"]]


@pytest.mark.parametrize(("query", "expected"), [
    ("", {"kataster", "popup", "schatten"}),
    ("topic=handel", {"kataster"}),
    ("topic=handel&topic=kultur", {"kataster", "popup"}),
    ("land=09", {"schatten"}),
    ("size_class=grossstadt", {"kataster"}),
    ("size_class=kleinstadt&size_class=mittelstadt", {"popup", "schatten"}),
    ("status=planung", {"schatten"}),
    ("funding=Zukunftsfähige Innenstädte und Zentren", {"kataster"}),
    ("cost_range=bis-10000", {"popup"}),
    ("cost_range=250000-1000000&land=09", {"schatten"}),
    ("topic=handel&land=09", set()),
    ("q=Hitze", {"schatten"}),
    ("q=Kataster", {"kataster"}),
])
def test_filters_as_on_the_browse_page(client, catalogue, query, expected):
    response = client.get(f"/api/v1/practices?{query}")
    assert set(titles(response)) == {getattr(catalogue, name).title for name in expected}
    assert response.get_json()["pagination"]["total"] == len(expected)


def test_items_describe_the_practice(client, catalogue):
    item = client.get("/api/v1/practices?land=09").get_json()["items"][0]
    assert item["id"] == catalogue.schatten.id
    assert item["teaser"] == "Bäume und Sonnensegel für den Domplatz."
    assert {t["value"] for t in item["topics"]} == {"klimaanpassung", "oeffentlicher-raum"}
    assert item["status"] == {"value": "planung", "label": "Planung"}
    assert item["municipality"]["name"] == "Passau"
    assert item["municipality"]["size_class"] == "mittelstadt"
    assert item["land"] == "09"
    assert item["organisation"]["name"] == "Stadt Passau"
    assert item["total_cost"] == 300_000
    assert item["cost_range"] == "250000-1000000"
    assert item["url"] == f"http://localhost/api/v1/practices/{catalogue.schatten.id}"
    assert item["html_url"] == f"http://localhost{catalogue.schatten.url}"
    assert item["licence"] == "CC-BY-4.0"


def test_sorting_by_title_and_cost(client, catalogue):
    assert titles(client.get("/api/v1/practices?sort=title")) == sorted(
        [catalogue.kataster.title, catalogue.popup.title, catalogue.schatten.title])
    costs = [item["total_cost"] for item in client.get("/api/v1/practices?sort=cost").get_json()["items"]]
    assert costs in ([8_000, 40_000, 300_000], [300_000, 40_000, 8_000])


def test_pages_carry_totals_and_links_that_keep_the_filters(client, catalogue):
    first = client.get("/api/v1/practices?per_page=2&sort=title&status=planung&status=umsetzung"
                       "&status=verstetigt").get_json()
    assert [i["title"] for i in first["items"]] == sorted(
        [catalogue.kataster.title, catalogue.popup.title, catalogue.schatten.title])[:2]
    pagination = first["pagination"]
    assert [pagination[k] for k in ("page", "per_page", "total", "pages")] == [1, 2, 3, 2]
    assert pagination["links"]["prev"] is None
    next_url = pagination["links"]["next"]
    assert next_url.startswith("http://localhost/api/v1/practices?")
    assert "status=planung&status=umsetzung&status=verstetigt" in next_url and "page=2" in next_url

    second = client.get(next_url.removeprefix("http://localhost")).get_json()
    assert [i["title"] for i in second["items"]] == [sorted(
        [catalogue.kataster.title, catalogue.popup.title, catalogue.schatten.title])[2]]
    assert second["pagination"]["links"]["next"] is None
    assert second["pagination"]["links"]["prev"].endswith("page=1")


def test_a_page_past_the_end_is_empty_not_an_error(client, catalogue):
    body = client.get("/api/v1/practices?page=9").get_json()
    assert body["items"] == []
    assert body["pagination"]["total"] == 3


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
def test_a_draft_never_appears_for_another_user(client, login, make_user, catalogue, who):
    if who == "outsider":
        login(make_user())
    for url in ("/api/v1/practices", "/api/v1/practices?q=Geheimer Leerstandsplan",
                "/api/v1/practices?land=09&per_page=100"):
        assert catalogue.draft.title not in titles(client.get(url))
    response = client.get(f"/api/v1/practices/{catalogue.draft.id}")
    assert response.status_code == 404
    assert response.is_json and "Geheimer" not in response.get_data(as_text=True)


def test_a_published_practice_in_full(client, catalogue):
    body = client.get(f"/api/v1/practices/{catalogue.schatten.id}").get_json()
    assert body["title"] == "Schattenplätze gegen Hitze"
    assert [s["key"] for s in body["sections"]] == ["situation", "implementation"]
    assert body["sections"][0] == {"key": "situation", "heading": "Ausgangslage",
                                   "markdown": "Im Sommer ist der Domplatz zu heiß.",
                                   "html": "<p>Im Sommer ist der Domplatz zu heiß.</p>"}
    assert "contact_email" not in body and "contact_phone" not in body


def test_an_unknown_practice_is_a_json_404(client, catalogue):
    response = client.get("/api/v1/practices/999999")
    assert response.status_code == 404
    assert response.get_json()["error"] == "Seite nicht gefunden"
