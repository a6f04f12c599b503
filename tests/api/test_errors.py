"""Bad parameters answer 400 with a German JSON error naming the parameter, never a 500."""

import pytest

BAD = [
    ("page", "page=0"), ("page", "page=zwei"), ("page", "page=1&page=2"),
    ("per_page", "per_page=101"), ("per_page", "per_page=0"), ("per_page", "per_page=-5"),
    ("per_page", "per_page=1.5"),
    ("topic", "topic=unbekannt"), ("topic", "topic=handel&topic=gibtsnicht"),
    ("land", "land=99"), ("land", "land=5"), ("size_class", "size_class=riesig"),
    ("status", "status=fertig"), ("cost_range", "cost_range=teuer"), ("funding", "funding=" + "x" * 201),
    ("sort", "sort=zufall"), ("q", "q=" + "x" * 201), ("unbekannt", "unbekannt=1"),
]


@pytest.mark.parametrize("path", ["/api/v1/practices", "/api/v1/search"])
@pytest.mark.parametrize(("parameter", "query"), BAD, ids=[q[:30] for _p, q in BAD])
def test_a_bad_parameter_is_named_in_a_400(client, path, parameter, query):
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "Ungültige Anfrage"
    assert body["parameter"] == parameter
    assert body["detail"].startswith(f"{parameter}: ")
    assert body["errors"][parameter]


def test_the_messages_name_what_is_allowed(client):
    assert client.get("/api/v1/practices?per_page=500").get_json()["detail"] == "per_page: Von 1 bis 100."
    detail = client.get("/api/v1/practices?size_class=riesig").get_json()["detail"]
    assert detail == "size_class: Erlaubt sind: grossstadt, mittelstadt, kleinstadt, landgemeinde."
    assert client.get("/api/v1/practices?x=1").get_json()["detail"] == "x: Unbekannter Parameter."


def test_several_bad_parameters_are_all_listed(client):
    body = client.get("/api/v1/practices?page=0&sort=zufall").get_json()
    assert set(body["errors"]) == {"page", "sort"}


def test_an_unknown_kind_is_a_400(client):
    response = client.get("/api/v1/search?kinds=raumschiff")
    assert response.status_code == 400
    assert response.get_json()["parameter"] == "kinds"


def test_empty_parameters_count_as_absent(client, catalogue):
    """A GET form sends its empty fields; they mean "no filter"."""
    response = client.get("/api/v1/practices?q=&topic=&page=&sort=")
    assert response.status_code == 200
    assert response.get_json()["pagination"]["page"] == 1
    assert response.get_json()["pagination"]["total"] == 3


def test_unknown_api_urls_and_methods_answer_json(client):
    assert client.get("/api/v1/gibtsnicht").get_json()["error"] == "Seite nicht gefunden"
    response = client.post("/api/v1/practices")
    assert response.status_code == 405
    assert response.is_json
