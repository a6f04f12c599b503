"""Relevance: BM25 (Whoosh's formula and parameters) summed over the query's terms.

Whoosh scores document by document through nested matchers, a few microseconds of Python per
document and term; on a common word at 100,000 documents that is most of a second. Here the
documents are already known (a bitmask) and each term's postings are scored once per snapshot
(``Snapshot.impacts``, also kept best first: ``Snapshot.by_impact``), so ``rank`` reads a
term's best postings first and stops as soon as no document left can reach the best
``limit``. A word in the title counts three times (its posting weight carries the field
boost, see ``analysis.GermanAnalyzer``).
"""

import heapq
import math
from array import array
from bisect import bisect_left
from itertools import accumulate, compress, count

from whoosh import query as wq

from .querying import FIELD

#: The best this many hits are re-ordered by how much of their title the query names.
RERANK = 50
#: A hit whose title holds every typed word scores (1 + TITLE_WEIGHT) times its BM25 score, and
#: (1 + 2 * TITLE_WEIGHT) times when the title is nothing but those words.
TITLE_WEIGHT = 0.5
#: Scoring one document by bisection costs about as much, per term, as skipping this many
#: postings in C (``compress``); it decides when ``rank`` stops reading postings best first.
LOOKUP_COST = 16
#: At most this many bitmask splits to find the documents that can still be among the best.
REACHABLE_STEPS = 256
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
    """The ``limit`` best (document number, score) pairs among ``matched``, best first: by
    score, then by document number, as if every document had been scored.

    Fagin's threshold algorithm: each term's postings are read best impact first
    (``Snapshot.by_impact``; ``compress`` skips those outside ``matched`` in C), a document met
    for the first time gets its full score (its impact in every term's postings, by bisection),
    and reading stops once the ``limit``-th best score beats what a document not yet met could
    still reach, the sum of the impacts last read. On a common word that is a few dozen
    postings of tens of thousands. With many terms (synonyms, compound parts) that sum falls
    slowly: once the documents scored would have cost about as much as skipping through every
    posting (``LOOKUP_COST``), the rest is left to ``_remaining``.
    """
    terms = sorted(positive_terms(snap, query, matched)) if matched and limit > 0 else []
    if not terms:
        return []
    inside = snap.flags(matched).__getitem__
    streams = {}
    for position, term in enumerate(terms):
        docnums, impacts = snap.by_impact(FIELD, term)
        streams[position] = compress(zip(docnums, impacts, strict=True), map(inside, docnums))
    postings = [snap.impacts(FIELD, term) for term in terms]
    budget = sum(len(docnums) for docnums, _ in postings) // (LOOKUP_COST * len(terms))
    bounds = [math.inf] * len(terms)
    best: list[tuple[float, int]] = []  # (score, -docnum), the worst of the best first
    seen: set[int] = set()
    while streams:
        for position, stream in list(streams.items()):
            posting = next(stream, None)
            if posting is None:
                bounds[position] = 0.0
                del streams[position]
                continue
            docnum, bounds[position] = posting
            if docnum not in seen:
                seen.add(docnum)
                _keep(best, limit, docnum, _score(postings, docnum))
        # Sums in the same order as a document's score, so the comparison holds in floats too.
        if len(best) == limit and best[0][0] > sum(bounds):
            break
        if len(seen) > budget:
            _remaining(snap, terms, postings, matched & ~snap.from_docnums(seen), bounds, best, limit)
            break
    return [(-negative, score) for score, negative in sorted(best, reverse=True)]


def _score(postings: list[tuple[array, array]], docnum: int) -> float:
    """A document's score: its impact in each term's postings that hold it, in term order."""
    score = 0.0
    for docnums, impacts in postings:
        i = bisect_left(docnums, docnum)
        if i < len(docnums) and docnums[i] == docnum:
            score += impacts[i]
    return score


def _keep(best: list[tuple[float, int]], limit: int, docnum: int, score: float) -> None:
    """Put a document among the ``limit`` best if it belongs there."""
    if len(best) < limit:
        heapq.heappush(best, (score, -docnum))
    elif (score, -docnum) > best[0]:
        heapq.heapreplace(best, (score, -docnum))


def _remaining(snap, terms: list[str], postings, unseen: int, bounds: list[float],
               best: list[tuple[float, int]], limit: int) -> None:
    """Score the documents of ``unseen`` that can still be among the best.

    No unseen document has a higher impact in a term than the last one read (``bounds``), so
    one whose terms' bounds add up to less than the ``limit``-th best score cannot beat it
    (``_reachable`` finds the others with bitmasks). They are scored by bisection when they
    are few, else by reading every term's postings.
    """
    masks = [snap.term(FIELD, term) for term in terms]
    candidates = _reachable(masks, bounds, best[0][0], unseen) if len(best) == limit else unseen
    if candidates.bit_count() * LOOKUP_COST * len(terms) < sum(len(docnums) for docnums, _ in postings):
        for docnum in compress(count(), snap.flags(candidates)):
            _keep(best, limit, docnum, _score(postings, docnum))
        return
    inside = snap.flags(candidates).__getitem__
    scores = array("d", bytes(8 * snap.size))
    for docnums, impacts in postings:  # in term order, as ``_score`` adds
        for docnum, impact in compress(zip(docnums, impacts, strict=True), map(inside, docnums)):
            scores[docnum] += impact
    for docnum in compress(count(), snap.flags(candidates)):
        _keep(best, limit, docnum, scores[docnum])


def _reachable(masks: list[int], bounds: list[float], threshold: float, within: int) -> int:
    """The documents of ``within`` whose terms' ``bounds`` add up to ``threshold`` or more.

    It walks the terms, highest bound first, splitting the documents into those with and
    those without the term, and drops a part once the terms left cannot make up the rest.
    After ``REACHABLE_STEPS`` splits a part is kept whole: more documents to score, never
    fewer than needed.
    """
    order = sorted(range(len(bounds)), key=bounds.__getitem__, reverse=True)
    left = [*accumulate(bounds[position] for position in reversed(order))][::-1]
    steps = 0

    def split(i: int, need: float, docs: int) -> int:
        nonlocal steps
        if need <= 0 or steps >= REACHABLE_STEPS:
            return docs
        if not docs or i == len(order) or left[i] < need:
            return 0
        steps += 1
        mask, bound = masks[order[i]], bounds[order[i]]
        return split(i + 1, need - bound, docs & mask) | split(i + 1, need, docs & ~mask)

    # A hair below the threshold, so that rounding never drops a document that ties.
    return split(0, threshold * (1 - 1e-9), within)


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
