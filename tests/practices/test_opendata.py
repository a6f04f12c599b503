"""Open data: every published practice as JSON and CSV, read back with the standard parsers;
licence and source in every row, the dataset's licence in the document and the headers;
drafts and archived practices never part of it; the page that explains it all."""

import csv
import io
import json
from datetime import date

import pytest

from stadtnetz.practices import opendata
from stadtnetz.practices.opendata import COLUMNS

CREDIT = ("Quelle: [„Leerstandsmelder“, Projektbeschreibung von codefor.de]"
          "(https://codefor.de/projekte/lm/), Lizenz: [CC BY 4.0]"
          "(https://creativecommons.org/licenses/by/4.0/deed.de)")
JSON_URL = "/praxisbeispiele/offene-daten/praxisbeispiele.json"
CSV_URL = "/praxisbeispiele/offene-daten/praxisbeispiele.csv"
CC_BY = "https://creativecommons.org/licenses/by/4.0/deed.de"


@pytest.fixture
def practices(make_practice, make_organisation, make_municipality):
    """A published practice of Lüdenscheid with every kind of field, an imported one, a draft and
    an archived one."""
    stadt = make_organisation(name="Stadt Lüdenscheid", municipality=make_municipality(name="Lüdenscheid",
                                                                                       ags="05962032"))
    full = make_practice(
        organisation=stadt, title="Pop-up-Stores: Läden auf Zeit", topics=["leerstand", "kultur"],
        tags=["Zwischennutzung", "Gründung"], status="verstetigt", total_cost=120_000,
        funding_programme="Sofortprogramm Innenstadt", started_on=date(2022, 3, 1),
        contact_name="Julia Becker", contact_email="julia.becker@luedenscheid.de",
        key_figures=[{"name": "Leerstandsquote", "before": "14.2", "after": "9.8", "unit": "%",
                      "measured_on": date(2024, 6, 30)}],
        partners=[{"name": "Leerstandslotse GmbH", "role": "Software"}],
    )
    imported = make_practice(title="Leerstandsmelder", implementation=f"Eine Karte.\n\n{CREDIT}",
                             licence="CC-BY-4.0")
    make_practice(organisation=stadt, title="Geheimer Entwurf", state="draft")
    make_practice(organisation=stadt, title="Abgelegtes Beispiel", state="archived")
    return full, imported


def test_json_holds_every_published_practice_with_licence_and_source(client, practices):
    full, imported = practices

    response = client.get(JSON_URL)

    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.is_streamed
    assert response.headers["Link"] == f'<{CC_BY}>; rel="license"'
    assert 'filename="praxisbeispiele.json"' in response.headers["Content-Disposition"]
    document = json.loads(response.data)
    assert document["licence"] == "CC-BY-4.0" and document["licence_url"] == CC_BY
    assert document["source"] == "http://localhost/praxisbeispiele/offene-daten"
    assert document["fields"] == list(COLUMNS)
    rows = {row["title"]: row for row in document["practices"]}
    assert set(rows) == {full.title, imported.title}
    row = rows[full.title]
    assert list(row) == list(COLUMNS)
    assert row["url"] == f"http://localhost{full.url}" == row["source_url"]
    assert row["licence"] == "CC-BY-4.0" and row["licence_url"] == CC_BY
    assert row["attribution"] == "„Pop-up-Stores: Läden auf Zeit“, Stadt Lüdenscheid"
    assert row["topics"] == ["kultur", "leerstand"] and row["tags"] == ["Zwischennutzung", "Gründung"]
    assert row["status"] == "verstetigt" and row["total_cost"] == 120_000
    assert row["started_on"] == "2022-03-01"
    assert row["key_figures"] == [{"name": "Leerstandsquote", "before": 14.2, "after": 9.8, "unit": "%",
                                   "measured_on": "2024-06-30"}]
    assert row["partners"] == ["Leerstandslotse GmbH"]
    assert (row["municipality"], row["ags"], row["land"]) == ("Lüdenscheid", "05962032", "05")
    # Contact persons are personal data, not open data.
    assert "Julia Becker" not in response.get_data(as_text=True)
    assert "julia.becker@luedenscheid.de" not in response.get_data(as_text=True)
    credited = rows[imported.title]
    assert credited["source_url"] == "https://codefor.de/projekte/lm/"
    assert credited["attribution"] == "„Leerstandsmelder“, Projektbeschreibung von codefor.de"


def test_csv_holds_the_same_rows(client, practices):
    full, imported = practices

    response = client.get(CSV_URL)

    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Link"] == f'<{CC_BY}>; rel="license"'
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")  # so that spreadsheet programs read the umlauts right
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    assert tuple(reader.fieldnames) == COLUMNS
    rows = {row["title"]: row for row in reader}
    assert set(rows) == {full.title, imported.title}
    row = rows[full.title]
    assert row["licence"] == "CC-BY-4.0" and row["licence_url"] == CC_BY
    assert row["source_url"] == f"http://localhost{full.url}"
    assert row["topics"] == "kultur; leerstand" and row["tags"] == "Zwischennutzung; Gründung"
    assert json.loads(row["key_figures"])[0]["after"] == 9.8
    assert row["ended_on"] == "" and row["total_cost"] == "120000"
    assert rows[imported.title]["source_url"] == "https://codefor.de/projekte/lm/"
    assert "Geheimer Entwurf" not in text and "Abgelegtes Beispiel" not in text and "julia.becker" not in text


def test_downloads_stream_in_batches(client, make_practice, monkeypatch):
    monkeypatch.setattr(opendata, "BATCH", 2)
    titles = {make_practice().title for _ in range(5)}

    document = json.loads(client.get(JSON_URL).data)
    lines = client.get(CSV_URL).data.decode("utf-8-sig").splitlines()

    assert {row["title"] for row in document["practices"]} == titles
    assert len(lines) == 1 + 5


def test_empty_downloads_are_valid(client):
    assert json.loads(client.get(JSON_URL).data)["practices"] == []
    text = client.get(CSV_URL).data.decode("utf-8-sig")
    assert text.splitlines() == [",".join(COLUMNS)]


def test_the_page_explains_fields_and_licence(client):
    page = client.get("/praxisbeispiele/offene-daten").get_data(as_text=True)
    assert "<h1>Offene Daten: Praxisbeispiele</h1>" in page
    assert 'href="/praxisbeispiele/offene-daten/praxisbeispiele.json"' in page
    assert 'href="/praxisbeispiele/offene-daten/praxisbeispiele.csv"' in page
    for name in COLUMNS:
        assert f"<code>{name}</code>" in page
    assert "Namensnennung, die die Lizenz verlangt" in page
    assert f'<a href="{CC_BY}" rel="license">CC BY 4.0</a>' in page
    assert '<link rel="alternate" type="application/atom+xml" href="/praxisbeispiele/feed.atom"' in page
