"""What every page inherits: headers, error pages, language, the start page and /healthz."""

import re

import pytest
from flask import request
from werkzeug.exceptions import InternalServerError

from stadtnetz import create_app
from stadtnetz.web import safe_next
from tests.conftest import config_for_tests


def test_start_page_is_german_by_default(client):
    response = client.get("/")
    html = response.get_data(as_text=True)
    assert '<html lang="de">' in html
    assert "Kommunen lernen voneinander" in html
    assert 'href="#inhalt"' in html and 'id="inhalt"' in html


def test_every_response_carries_a_strict_content_security_policy(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "http" not in csp  # no third-party origin anywhere
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_reference_only_assets_of_the_instance(client):
    html = client.get("/").get_data(as_text=True)
    assets = re.findall(r'<(?:link|script|img)[^>]+(?:href|src)="([^"]+)"', html)
    assert assets
    assert all(url.startswith("/") and not url.startswith("//") for url in assets)


def test_accept_language_english_switches_the_interface(client):
    html = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in html


def test_a_visitor_can_switch_the_language_and_stays_on_the_page(client):
    response = client.post("/sprache", data={"locale": "en", "next": "/kommunen?q=Jena"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/kommunen?q=Jena"
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "/\\evil.example", "", None])
def test_redirect_targets_outside_the_site_are_refused(target):
    assert safe_next(target) == "/"


def test_unknown_page_gets_the_german_404_page(client):
    response = client.get("/gibt-es-nicht")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.get_data(as_text=True)


def test_wrong_method_gets_the_german_405_page(client):
    response = client.get("/sprache")
    assert response.status_code == 405
    assert "Methode nicht erlaubt" in response.get_data(as_text=True)


def test_a_too_large_body_gets_the_german_413_page(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post("/sprache", data={"locale": "de", "next": "x" * 4096})
    assert response.status_code == 413
    assert "Anfrage zu groß" in response.get_data(as_text=True)


def test_an_unexpected_error_gets_the_german_500_page_and_is_logged(app, client, caplog):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/kaputt")
    def broken():
        raise RuntimeError("boom")

    response = client.get("/kaputt")
    assert response.status_code == InternalServerError.code
    assert "Etwas ist schiefgelaufen" in response.get_data(as_text=True)
    assert "boom" not in response.get_data(as_text=True)
    assert any("Unhandled error" in record.message for record in caplog.records)


def test_health_reports_database_and_migrations(client):
    # The test database is created from the models, not by migrations: the check notices.
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "ok"
    assert response.json["migrations"] == "pending"


def test_behind_a_reverse_proxy_the_client_address_comes_from_it(tmp_path):
    database = f"sqlite:///{tmp_path / 'p.db'}"
    app = create_app(config_for_tests(PROXY_COUNT=1, SQLALCHEMY_DATABASE_URI=database))

    @app.get("/adresse")
    def address():
        return f"{request.scheme} {request.remote_addr}"

    response = app.test_client().get(
        "/adresse", headers={"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
    )
    assert response.get_data(as_text=True) == "https 203.0.113.7"
