"""Ranking, facets, pages, sorting, snippets, suggestions and more-like-this of the engine."""

from datetime import UTC, datetime

import pytest

from stadtnetz.errors import Invalid
from tests.search.conftest import doc, ids


def test_title_outranks_teaser_outranks_body(engine):
    engine.rebuild([
        doc(1, "Bericht", "Hier steht Wochenmarkt nur im Text, neben vielem anderen."),
        doc(2, "Bericht", teaser="Ein Wochenmarkt am Abend"),
        doc(3, "Wochenmarkt am Abend"),
    ])
    assert ids(engine.search("Wochenmarkt")) == [3, 2, 1]


def test_facet_counts_cover_the_whole_result_not_the_page(engine):
    engine.rebuild([doc(n, f"Leerstand {n}", topic=["leerstand", "handel"] if n % 2 else ["leerstand"],
                        land="05" if n <= 30 else "09") for n in range(1, 46)])
    results = engine.search("Leerstand", per_page=10, facets=("topic", "land"))
    assert results.total == 45 and len(results.hits) == 10 and results.pages == 5
    assert [(f.value, f.count) for f in results.facets["topic"]] == [("leerstand", 45), ("handel", 23)]
    assert [(f.value, f.count) for f in results.facets["land"]] == [("05", 30), ("09", 15)]
    filtered = engine.search("Leerstand", filters={"land": ["09"], "topic": ["handel"]}, facets=("land",))
    assert filtered.total == 8  # 31, 33, … 45
    assert [(f.value, f.count) for f in filtered.facets["land"]] == [("09", 8)]


def test_pages_do_not_overlap_and_cover_everything(engine):
    engine.rebuild([doc(n, f"Markt {n}") for n in range(1, 26)])
    pages = [ids(engine.search("Markt", page=page, per_page=10)) for page in (1, 2, 3)]
    assert [len(page) for page in pages] == [10, 10, 5]
    assert sorted(n for found in pages for n in found) == list(range(1, 26))


def test_sorting_by_date_title_and_cost(engine):
    engine.rebuild([
        doc(1, "Beta Markt", published=datetime(2023, 1, 1, tzinfo=UTC), cost=500),
        doc(2, "Alpha Markt", published=datetime(2025, 1, 1, tzinfo=UTC), cost=100),
        doc(3, "Äpfel Markt", published=datetime(2024, 1, 1, tzinfo=UTC)),
    ])
    assert ids(engine.search("Markt", sort="newest")) == [2, 3, 1]
    assert ids(engine.search("Markt", sort="title")) == [2, 3, 1]
    assert ids(engine.search("Markt", sort="cost")) == [1, 2, 3]
    assert ids(engine.search("", sort="relevance")) == [2, 3, 1]  # browsing: newest first


def test_snippets_mark_the_words_found_and_escape_the_rest(engine):
    engine.rebuild([doc(1, "Kataster", "Das Leerstandskataster zeigt <b>jede</b> Fläche & mehr.")])
    snippet = str(engine.search("Leerstand").hits[0].snippet)
    assert "<mark>Leerstandskataster</mark>" in snippet
    assert "&lt;b&gt;jede&lt;/b&gt;" in snippet and "&amp; mehr." in snippet


def test_audiences_decide_what_is_found(engine):
    engine.rebuild([doc(1, "Marktplatz öffentlich"), doc(2, "Marktplatz intern", audience=["group:1"])])
    assert ids(engine.search("Marktplatz")) == [1]
    assert sorted(ids(engine.search("Marktplatz", audiences={"public", "group:1"}))) == [1, 2]
    assert engine.suggest("intern") == []
    assert engine.suggest("intern", audiences={"public", "group:1"}) == ["intern"]


def test_suggestions_complete_the_last_word(engine):
    engine.rebuild([doc(1, "Leerstandsmanagement"), doc(2, "Leerstand und Leerstandsmanagement"),
                    doc(3, "Innenstadt")])
    assert engine.suggest("leer") == ["leerstandsmanagement", "leerstand"]
    assert engine.suggest("Innenstadt Leerst", limit=1) == ["innenstadt leerstandsmanagement"]
    assert engine.suggest("l") == []


def test_more_like_this_finds_related_documents_but_not_itself(engine):
    engine.rebuild([
        doc(1, "Leerstand in der Altstadt", "Leere Ladenlokale werden an Gründer vermietet."),
        doc(2, "Gründer ziehen in leere Ladenlokale", "Die Altstadt lebt wieder."),
        doc(3, "Radwege", "Neue Radwege am Fluss."),
        doc(4, "Intern: Ladenlokale", "Leere Ladenlokale in der Altstadt", audience=["group:1"]),
    ])
    assert ids(engine.more_like_this("practice:1")) == [2]
    assert engine.more_like_this("practice:99") == []


def test_removing_and_replacing_documents(engine):
    engine.add(doc(1, "Wochenmarkt"))
    engine.add(doc(1, "Bauernmarkt"))
    assert ids(engine.search("Bauernmarkt")) == [1] and engine.search("Wochenmarkt").total == 1
    engine.remove("practice:1")
    assert engine.search("Bauernmarkt").total == 0


@pytest.mark.parametrize("arguments", [{"sort": "beliebt"}, {"page": 0}, {"per_page": 1000},
                                       {"facets": ("farbe",)}, {"filters": {"farbe": ["rot"]}}])
def test_invalid_arguments_are_refused(engine, arguments):
    with pytest.raises(Invalid):
        engine.search("Markt", **arguments)


def test_documents_with_every_word_come_first_then_those_with_some(engine):
    engine.rebuild([
        doc(1, "Bericht", "Klima und Umwelt im Blick."),
        doc(2, "Klima Klima Klima", teaser="Klima"),
        doc(3, "Umwelt"),
        doc(4, "Radwege am Fluss"),
    ])
    results = engine.search("Klima Umwelt")
    assert results.total == 3
    assert ids(results)[0] == 1 and sorted(ids(results)[1:]) == [2, 3]
    assert ids(engine.search("Klima Umwelt", per_page=1, page=3)) == ids(results)[2:]
    # Nothing holds both words: the documents with one of them, more matching words first.
    relaxed = ids(engine.search("Umwelt Fluss Radwege"))
    assert relaxed[0] == 4 and sorted(relaxed[1:]) == [1, 3]


def test_enough_documents_with_every_word_show_only_those(engine):
    engine.rebuild([doc(n, f"Klima Umwelt {n}") for n in range(1, 11)] + [doc(11, "Klima allein")])
    assert engine.search("Klima Umwelt").total == 10
    fewer = engine.search("Klima allein")  # one document with both, then those with one
    assert fewer.total == 11 and ids(fewer)[0] == 11


def test_a_relaxed_query_keeps_phrases_and_exclusions(engine):
    engine.rebuild([doc(1, "Klima im Quartier", "grüne Dächer"), doc(2, "Umwelt im Quartier", "Kataster"),
                    doc(3, "Klima", "ohne Dächer")])
    assert sorted(ids(engine.search("Klima Umwelt -Kataster"))) == [1, 3]
    assert ids(engine.search('Klima Umwelt "grüne Dächer"')) == [1]


def test_a_title_that_the_query_names_comes_first(engine, monkeypatch):
    engine.rebuild([
        doc(1, "Stadtratmonitor Leipzig", "Der Stadtrat tagt offen: Stadtrat, Stadtrat und offener Stadtrat.",
            teaser="Offener Stadtrat"),
        doc(2, "Offener Stadtrat", "Sitzungen des Rats im Netz, mit Vorlagen, Anträgen, Beschlüssen, "
            "Tagesordnungen und Protokollen aus allen Ausschüssen der Stadt seit dem Jahr 2009."),
    ])
    assert ids(engine.search("Offener Stadtrat")) == [2, 1]
    monkeypatch.setattr("stadtnetz.search.ranking.TITLE_WEIGHT", 0.0)
    assert ids(engine.search("Offener Stadtrat")) == [1, 2]  # BM25 alone: the compound wins
