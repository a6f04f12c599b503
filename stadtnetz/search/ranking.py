"""Relevance: BM25 (Whoosh's formula and parameters) summed over the query's terms.

Whoosh scores document by document through nested matchers, a few microseconds of Python per
document and term; on a common word at 100,000 documents that is most of a second. Here the
documents are already known (a bitmask), so each term's postings are read block by block and
scored once per snapshot (``Snapshot.impacts``), summed in one tight loop, and only the best
``limit`` are kept. A word in the title counts
three times (its posting weight carries the field boost, see ``analysis.GermanAnalyzer``).
"""

import heapq
from collections import defaultdict
from itertools import compress

from whoosh import query as wq

from .querying import FIELD

#: The best this many hits are re-ordered by how much of their title the query names.
RERANK = 50
#: A hit whose title holds every typed word scores (1 + TITLE_WEIGHT) times its BM25 score, and
#: (1 + 2 * TITLE_WEIGHT) times when the title is nothing but those words.
TITLE_WEIGHT = 0.5
#: Whoosh's BM25F defaults (see ``snapshot.Snapshot.impacts``, which applies them).
K1 = 1.2
B = 0.75


def positive_terms(snap, query: wq.Query, matched: int) -> set[str]:
    """The terms that make a document of ``matched`` match (not those after a minus, nor the
    parts of an alternative that matched nothing, whose postings need not be read)."""
    if not snap.mask(query) & matched:
        return set()
    if isinstance(query, wq.AndNot):
        return positive_terms(snap, query.a, matched)
    if isinstance(query, wq.Term):
        return {query.text}
    if isinstance(query, wq.Phrase):
        return set(query.words)
    return set().union(*(positive_terms(snap, child, matched) for child in query.children()))


def rank(snap, query: wq.Query, matched: int, limit: int) -> list[tuple[int, float]]:
    """The ``limit`` best (document number, score) pairs among ``matched``, best first."""
    if not matched:
        return []
    inside = snap.flags(matched).__getitem__
    scores: dict[int, float] = defaultdict(float)
    for term in positive_terms(snap, query, matched):
        docnums, impacts = snap.impacts(FIELD, term)
        # compress() and map() filter in C; only matching postings reach the Python loop.
        for docnum, impact in compress(zip(docnums, impacts, strict=True), map(inside, docnums)):
            scores[docnum] += impact
    return heapq.nlargest(limit, scores.items(), key=lambda item: (item[1], -item[0]))


def by_title(snap, ranked: list[tuple[int, float]], stems: frozenset[str]) -> list[tuple[int, float]]:
    """``ranked`` with its best ``RERANK`` re-ordered by the share of the typed words (``stems``)
    that their titles hold as words of their own, not as parts of a compound, and by whether
    the title is exactly those words: a known item is looked for by its name. BM25 alone put
    "Weihnachtsmarkt-App Münster 2014" above "Weihnachtsmärkte" for "Weihnachtsmärkte", and
    "Stadtratmonitor" above "Offener Stadtrat" for "Offener Stadtrat". Scores only grow, so the
    re-ordered hits stay ahead of the rest.
    """
    if not stems:
        return ranked

    def score(docnum: int, bm25: float) -> float:
        title = snap.title_stems(docnum)
        named = len(stems & title) / len(stems) + (title == stems)
        return bm25 * (1 + TITLE_WEIGHT * named)

    head = [(docnum, score(docnum, bm25)) for docnum, bm25 in ranked[:RERANK]]
    return sorted(head, key=lambda item: (-item[1], item[0])) + ranked[RERANK:]
