"""The municipality search at /kommunen: name, PLZ and AGS, filters, pagination."""

import html
import re

import pytest

from stadtnetz.directory.services import load_demo_municipalities

CREDIT = "Datenquelle: Statistische Ämter des Bundes und der Länder, Zensus 2022"


def page_text(response) -> str:
    """The visible text of a page, tags removed and whitespace collapsed."""
    body = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return " ".join(html.unescape(body).split())


def result_names(response) -> list[str]:
    """The municipality names listed as results, in order."""
    page = response.get_data(as_text=True)
    titles = re.findall(r'<h3 class="result-title"><a href="[^"]+">([^<]+)</a>', page)
    return [html.unescape(title) for title in titles]


@pytest.fixture
def demo_directory(db):
    """The 43 demo municipalities (real facts from GV-ISys and Zensus 2022)."""
    load_demo_municipalities()
    db.session.commit()


def test_without_query_the_largest_are_listed(client, demo_directory):
    response = client.get("/kommunen")

    text = page_text(response)
    assert "Die größten Kommunen" in text
    assert "Das Verzeichnis enthält 43 Kommunen." in text
    assert result_names(response)[:3] == ["Berlin, Stadt", "Hamburg, Freie und Hansestadt", "Leipzig, Stadt"]
    assert "Berlin · kreisfreie Stadt · 3.596.999 Einwohner · Großstadt" in text
    assert "Seite 1 von 3" in text
    assert CREDIT in text


def test_empty_directory_says_so(client, db):
    text = page_text(client.get("/kommunen"))

    assert "Das Verzeichnis ist noch leer" in text


@pytest.mark.parametrize("query", ["Lüdenscheid", "Luedenscheid", "ludenscheid", "LÜDENSCHEID", " lüdensch "])
def test_name_matches_with_umlauts_and_their_spellings(client, demo_directory, query):
    response = client.get("/kommunen", query_string={"q": query})

    assert result_names(response) == ["Lüdenscheid, Stadt"]
    text = page_text(response)
    assert "1 Kommune gefunden" in text
    assert "Märkischer Kreis · 71.688 Einwohner · Mittelstadt" in text
    assert "PLZ 58507 · AGS 05962032" in text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Muenster", ["Münster, Stadt"]),
        ("hann münden", ["Hann. Münden, Stadt"]),
        ("GÖRLITZ", ["Görlitz, Stadt"]),
        ("Mužakow", ["Bad Muskau / Mužakow, Stadt"]),
        ("strasse", []),
    ],
)
def test_name_search_examples(client, demo_directory, query, expected):
    assert result_names(client.get("/kommunen", query_string={"q": query})) == expected


def test_names_starting_with_the_query_come_first(client, make_municipality):
    make_municipality(name="Bad Neustadt a.d.Saale, Stadt", ags="05962001", population=15_000)
    make_municipality(name="Neustadt a.d.Aisch, Stadt", ags="05962002", population=12_000)
    make_municipality(name="Neustadt (Hessen), Stadt", ags="05962003", population=9_000)

    names = result_names(client.get("/kommunen", query_string={"q": "neustadt"}))

    assert names == ["Neustadt a.d.Aisch, Stadt", "Neustadt (Hessen), Stadt", "Bad Neustadt a.d.Saale, Stadt"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("58507", ["Lüdenscheid, Stadt"]),
        ("585", ["Lüdenscheid, Stadt"]),
        ("58", ["Lüdenscheid, Stadt", "Altena, Stadt"]),
        ("05962032", ["Lüdenscheid, Stadt"]),
        ("05962", ["Lüdenscheid, Stadt", "Altena, Stadt"]),
        ("0596 2032", ["Lüdenscheid, Stadt"]),
    ],
)
def test_postal_code_and_ags_prefixes(client, demo_directory, query, expected):
    assert result_names(client.get("/kommunen", query_string={"q": query})) == expected


def test_exact_ags_comes_before_postal_code_matches(client, make_municipality):
    make_municipality(name="Großstadt", ags="05962032", postal_code="10000", population=500_000)
    make_municipality(name="Postleitzahl-Treffer", ags="14713000", kreis_key="14713", postal_code="05962",
                      population=900_000)

    names = result_names(client.get("/kommunen", query_string={"q": "05962032"}))

    assert names == ["Großstadt"]
    assert result_names(client.get("/kommunen", query_string={"q": "05962"}))[0] == "Postleitzahl-Treffer"


def test_filter_by_land(client, demo_directory):
    response = client.get("/kommunen", query_string={"land": "16"})

    assert result_names(response) == ["Erfurt, Stadt", "Jena, Stadt", "Weimar, Stadt"]
    assert "3 Kommunen gefunden" in page_text(response)


def test_filter_by_size_class_and_land_with_query(client, demo_directory):
    response = client.get("/kommunen", query_string={"q": "stadt", "land": "12", "groesse": "kleinstadt"})

    assert result_names(response) == ["Wittenberge, Stadt", "Templin, Stadt"]


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ("landgemeinde", ["Ort 4999"]),
        ("kleinstadt", ["Ort 19999", "Ort 5000"]),
        ("mittelstadt", ["Ort 99999", "Ort 20000"]),
        ("grossstadt", ["Ort 100000"]),
    ],
)
def test_size_class_boundaries(client, make_municipality, size, expected):
    for n, population in enumerate((4_999, 5_000, 19_999, 20_000, 99_999, 100_000)):
        make_municipality(name=f"Ort {population}", ags=f"05962{n:03d}", population=population)
    make_municipality(name="Unbewohnt", ags="05962999", population=None, population_source=None)

    assert result_names(client.get("/kommunen", query_string={"groesse": size})) == expected


def test_results_are_paginated_and_links_keep_the_search(client, make_municipality):
    for n in range(25):
        make_municipality(name=f"Musterdorf {n:02d}", ags=f"05962{n:03d}", population=1_000 + n)
    make_municipality(name="Musterdorf in Sachsen", ags="14713000", kreis_key="14713")

    first = client.get("/kommunen", query_string={"q": "musterdorf", "land": "05"})

    assert len(result_names(first)) == 20
    text = page_text(first)
    assert "25 Kommunen gefunden" in text
    assert "Seite 1 von 2" in text
    next_link = re.search(r'<a href="([^"]+)" rel="next">', first.get_data(as_text=True)).group(1)
    next_url = html.unescape(next_link)
    assert "q=musterdorf" in next_url
    assert "land=05" in next_url
    assert "groesse" not in next_url

    second = client.get(next_url)
    assert result_names(second) == [f"Musterdorf {n:02d}" for n in range(4, -1, -1)]
    assert "Seite 2 von 2" in page_text(second)


def test_page_beyond_the_last_is_not_found(client, demo_directory):
    response = client.get("/kommunen", query_string={"q": "jena", "page": 5})

    assert response.status_code == 404
    assert "Seite nicht gefunden" in page_text(response)


@pytest.mark.parametrize("query", ["xyzzy", "%", "_"])
def test_no_results_are_explained(client, demo_directory, query):
    response = client.get("/kommunen", query_string={"q": query})

    text = page_text(response)
    assert result_names(response) == []
    assert "0 Kommunen gefunden" in text
    assert "Keine Kommune passt zu Ihrer Suche." in text


def test_invalid_filter_is_explained_and_the_query_kept(client, demo_directory):
    response = client.get("/kommunen", query_string={"q": "Jena", "land": "99"})

    text = page_text(response)
    assert "Bitte korrigieren Sie folgende Angaben: Land: Keine gültige Auswahl" in text
    assert 'value="Jena"' in response.get_data(as_text=True)
    assert result_names(response) == []


def test_overlong_query_is_explained(client, demo_directory):
    response = client.get("/kommunen", query_string={"q": "x" * 101})

    assert "Name, Postleitzahl oder Gemeindeschlüssel:" in page_text(response)
    assert result_names(response) == []


def test_search_form_offers_every_land_and_size_class(client, db):
    text = page_text(client.get("/kommunen"))

    assert "Alle Länder Baden-Württemberg Bayern Berlin" in text
    assert "Großstadt (ab 100.000 Einwohnern)" in text
    assert "Kleinstadt (5.000 bis 19.999 Einwohner)" in text
    assert "Landgemeinde (bis 4.999 Einwohner)" in text
