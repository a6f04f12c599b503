"""Fresh instance: an empty index sorts, browses and answers the API without errors."""

import pytest


@pytest.mark.parametrize("url", [
    "/api/v1/practices", "/api/v1/practices?sort=newest", "/api/v1/practices?sort=title",
    "/api/v1/practices?sort=cost", "/praxisbeispiele", "/praxisbeispiele?sort=newest",
    "/suche?q=Leerstand&sort=newest",
])
def test_an_empty_index_answers_every_sort(client, url):
    response = client.get(url)
    assert response.status_code == 200
    if url.startswith("/api/"):
        assert response.get_json()["pagination"]["total"] == 0
