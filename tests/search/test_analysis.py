"""German analysis rules on German examples, against the engine without Flask."""

import pytest

from stadtnetz.search import compounds
from stadtnetz.search.analysis import word_terms
from stadtnetz.search.folding import fold
from tests.search.compound_samples import COMPOUNDS, SIMPLE_WORDS
from tests.search.conftest import doc, ids


@pytest.fixture
def engine(engine):
    engine.rebuild([
        doc(1, "Leerstandsmanagement in Lüdenscheid", "Ein Team füllt leere Läden."),
        doc(2, "Das Leerstandskataster", "Alle freien Flächen auf einer Karte."),
        doc(3, "Ideen für die Innenstadt", "Die Entwicklung braucht alle Bürger."),
        doc(4, "Pop-up-Stores beleben die Fußgängerzone", "Junge Händler testen Läden für drei Monate."),
        doc(5, "Straßenfest im Quartier", "Musik und Essen auf der Straße."),
        doc(6, "Radwege", "Sichere Wege für alle, die Rad fahren."),
        doc(7, "Hitzeschutz am Marktplatz", "Bäume spenden Schatten."),
    ])
    return engine


def test_compound_splitting_agrees_with_a_reader_on_real_compounds():
    right = sum(compounds.split(fold(word)) == parts for word, parts in COMPOUNDS.items())
    whole = sum(compounds.split(fold(word)) == [fold(word)] for word in SIMPLE_WORDS)
    assert right / len(COMPOUNDS) >= 0.9
    assert whole / len(SIMPLE_WORDS) >= 0.9


@pytest.mark.parametrize(("word", "parts"), [
    ("Leerstandsmanagement", ["leerstand", "management"]),
    ("Innenstadtentwicklung", ["innenstadt", "entwicklung"]),
    ("Bürgerbeteiligung", ["burger", "beteiligung"]),
    ("Management", ["management"]),
])
def test_compounds_are_cut_at_linking_elements(word, parts):
    assert compounds.split(fold(word)) == parts


def test_a_part_finds_its_compounds(engine):
    assert sorted(ids(engine.search("Leerstand"))) == [1, 2]
    assert ids(engine.search("Kataster")) == [2]


def test_a_compound_finds_texts_about_its_parts(engine):
    assert ids(engine.search("Innenstadtentwicklung")) == [3]


@pytest.mark.parametrize("spelling", ["Bürger", "Burger", "Buerger", "BÜRGER"])
def test_umlauts_and_their_spellings_are_the_same_word(engine, spelling):
    assert ids(engine.search(spelling)) == [3]


@pytest.mark.parametrize("spelling", ["Straße", "Strasse"])
def test_sharp_s_is_ss(engine, spelling):
    assert ids(engine.search(spelling)) == [5]


def test_stop_words_are_not_searched(engine):
    assert word_terms("die") == ()
    assert engine.search("die").total == 0
    assert ids(engine.search("die Radwege")) == [6]


def test_inflected_forms_find_each_other(engine):
    assert ids(engine.search("Quartiere")) == [5]
    assert ids(engine.search("Laden")) == ids(engine.search("Läden"))


@pytest.mark.parametrize(("query", "found"), [
    ("Zwischennutzung", [4]),          # ↔ Pop-up
    ("Stadtzentrum", [3]),             # ↔ Innenstadt
    ("City", [3]),
    ("Klimaanpassung", [7]),           # ↔ Hitzeschutz
    ("leerstehende Ladenlokale", [1, 2]),  # ↔ Leerstand
])
def test_shipped_synonyms_expand_the_query(engine, query, found):
    assert sorted(ids(engine.search(query))) == found


def test_synonyms_added_later_work_without_reindexing(engine):
    assert engine.search("Velowege").total == 0
    engine.set_synonyms([["Velowege", "Radwege"]])
    assert ids(engine.search("Velowege")) == [6]


@pytest.mark.parametrize(("typed", "corrected", "found"), [
    ("Leerstnadsmanagement", "Leerstandsmanagement", [1]),  # long word: two letters swapped
    ("Fußgängerzohne", "Fußgängerzone", [4]),
    ("Hitzeshutz", "Hitzeschutz", [7]),
])
def test_typos_are_corrected_against_the_index_vocabulary(engine, typed, corrected, found):
    results = engine.search(typed)
    assert results.corrected == corrected
    assert ids(results) == found


def test_short_words_and_known_words_are_not_corrected(engine):
    assert engine.search("Rodwege").corrected == "Radwege"
    assert engine.search("Red").corrected is None
    assert engine.search("Leerstand").corrected is None


def test_phrases_need_the_words_in_order(engine):
    assert ids(engine.search('"Läden testen"')) == []
    assert ids(engine.search('"testen Läden"')) == [4]


def test_minus_excludes_words_and_their_compounds(engine):
    assert ids(engine.search("Leerstand -Kataster")) == [1]
    assert ids(engine.search('Läden -"drei Monate"')) == [1]
