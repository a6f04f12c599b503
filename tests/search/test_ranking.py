"""Ranking reads only the postings it needs; its order must still be that of scoring everything."""

import random

import pytest

from stadtnetz.search import ranking
from stadtnetz.search.engine import SearchEngine
from stadtnetz.search.querying import FIELD, QueryBuilder

from .conftest import doc

WORDS = ["Stadt", "Daten", "Karte", "Klimaschutz", "Klima", "Schutz", "Kommune", "Gemeinde",
         "Verwaltung", "Radverkehr", "Markt", "Platz", "Bürgerbeteiligung", "Beteiligung",
         "Plattform", "Projekt", "Innenstadt", "Fördermittel", "Zentrum", "Nahverkehr", "Bus", "Bahn",
         "Raum", "öffentlicher"]
QUERIES = ("Stadt", "Daten Karte", '"Daten Karte"', "Klimaschutz Kommune", "Stadt -Markt",
           "Bürgerbeteiligung", "Fördermittel Innenstadt", "öffentlicher Raum", "Nahverkehr Projekt")


@pytest.fixture(scope="module")
def snap(tmp_path_factory):
    """An index of 600 texts drawn from ``WORDS``, common words far more often than rare ones."""
    generator = random.Random(3)
    weights = [1 / (rank + 1) for rank in range(len(WORDS))]

    def text(length: int) -> str:
        return " ".join(generator.choices(WORDS, weights, k=length))

    engine = SearchEngine(tmp_path_factory.mktemp("ranking") / "index")
    engine.rebuild(doc(n, text(generator.randint(1, 4)), text(generator.randint(5, 60))) for n in range(600))
    return engine, engine.snapshot()


def everything_scored(snap, query, matched: int, limit: int) -> list[tuple[int, float]]:
    """The reference: every document of ``matched`` scored, term by term in the same order."""
    scores: dict[int, float] = {}
    for term in sorted(ranking.positive_terms(snap, query, matched)):
        for docnum, impact in zip(*snap.impacts(FIELD, term), strict=True):
            if matched >> docnum & 1:
                scores[docnum] = scores.get(docnum, 0.0) + impact
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]


# Costs that make ranking read everything best first, stop at once, or anything between; and
# bitmask splits cut short, which may only add documents to score.
@pytest.mark.parametrize(("lookup_cost", "steps"), [(1, 256), (16, 256), (10**6, 256), (16, 0), (10**6, 2)])
@pytest.mark.parametrize("text", QUERIES)
def test_ranking_equals_scoring_every_document(snap, monkeypatch, lookup_cost, steps, text):
    engine, snapshot = snap
    monkeypatch.setattr(ranking, "LOOKUP_COST", lookup_cost)
    monkeypatch.setattr(ranking, "REACHABLE_STEPS", steps)
    built = QueryBuilder(snapshot.reader, engine.synonyms).build(text)
    for query in filter(None, (built.query, built.relaxed)):
        matched = snapshot.mask(query) & snapshot.live
        assert matched, text
        for limit in (1, 7, 50, 600):
            expected = everything_scored(snapshot, query, matched, limit)
            assert ranking.rank(snapshot, query, matched, limit) == expected
