"""The OpenAPI document is valid OpenAPI 3.1 and describes every route under /api/v1."""

import re

from openapi_spec_validator import validate


def test_the_document_validates(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_every_api_route_is_documented(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    routes = {re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
              for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")}
    assert routes == set(document["paths"])
    for path, operations in document["paths"].items():
        assert set(operations) == {"get"}, path


def test_parameters_come_from_the_schemas(client):
    document = client.get("/api/v1/openapi.json").get_json()
    parameters = {p["name"]: p for p in document["paths"]["/api/v1/practices"]["get"]["parameters"]}
    assert set(parameters) == {"q", "topic", "land", "size_class", "status", "funding", "cost_range",
                               "sort", "page", "per_page"}
    assert parameters["per_page"]["schema"]["maximum"] == 100
    assert "leerstand" in parameters["topic"]["schema"]["items"]["enum"]
    assert parameters["topic"]["explode"] is True
    search = {p["name"] for p in document["paths"]["/api/v1/search"]["get"]["parameters"]}
    assert "kinds" in search
