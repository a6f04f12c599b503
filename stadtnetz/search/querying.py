"""From what a person types to a Whoosh query: words, "phrases", -exclusions, synonyms, typos.

Each word becomes "its stem, or all the stems of its compound parts", so "Innenstadtentwicklung"
also finds a text that speaks of the Innenstadt and its Entwicklung. A run of words that forms
a synonym entry becomes "any entry of the group". A word of five letters or more that the index
does not know is replaced by the closest word it does know (one edit, two for long words).
"""

import re
from dataclasses import dataclass, field

from whoosh import query as wq
from whoosh.support.levenshtein import distance

from .analysis import word_terms, words
from .folding import fold
from .synonyms import SynonymMap

FIELD = "content"
SPELLING_FIELD = "words"
#: Typo tolerance: words this long get one edit, from LONG_WORD on two.
MIN_TYPO_LENGTH = 5
LONG_WORD = 9

_PIECES = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')


@dataclass
class ParsedQuery:
    """A query string taken apart: words, phrases and what must not occur."""

    words: list[str] = field(default_factory=list)
    phrases: list[list[str]] = field(default_factory=list)
    excluded: list[list[str]] = field(default_factory=list)


def parse(text: str) -> ParsedQuery:
    """Split the query into words, quoted phrases and -excluded words or phrases."""
    parsed = ParsedQuery()
    for match in _PIECES.finditer(text or ""):
        minus = match.group(1) or match.group(3)
        quoted = match.group(2)
        pieces = words(quoted if quoted is not None else match.group(4))
        if not pieces:
            continue
        if minus:
            parsed.excluded.append(pieces)
        elif quoted is not None and len(pieces) > 1:
            parsed.phrases.append(pieces)
        else:
            parsed.words.extend(pieces)
    return parsed


@dataclass
class BuiltQuery:
    """The Whoosh query, the terms to highlight and the corrected spelling (if any).

    ``relaxed`` (with two or more plain words) asks for any of the words instead of all of
    them, phrases and exclusions still holding: what to show when too few documents have all.
    ``stems`` are those of the words typed (plain and in phrases), without their compound
    parts or synonyms: what a title that the query names holds.
    """

    query: wq.Query | None
    highlight: set[str]
    corrected: str | None
    relaxed: wq.Query | None = None
    stems: frozenset[str] = frozenset()


class QueryBuilder:
    """Builds queries against one index reader (its vocabulary decides about typos)."""

    def __init__(self, reader, synonyms: SynonymMap):
        self.reader = reader
        self.synonyms = synonyms
        self.highlight: set[str] = set()

    def build(self, text: str) -> BuiltQuery:
        """The query for ``text``; ``query`` is None when nothing searchable was typed."""
        parsed = parse(text)
        word_clauses, spelled = self._words(parsed.words)
        phrases = [clause for phrase in parsed.phrases if (clause := self._phrase(phrase))]
        excluded = [clause for pieces in parsed.excluded if (clause := self._exact(pieces, False))]
        if not word_clauses and not phrases and not excluded:
            return BuiltQuery(None, set(), None)
        corrected = None
        if spelled != parsed.words:
            corrected = _respell(text, dict(zip(parsed.words, spelled, strict=True)))
        relaxed = None
        if len(word_clauses) > 1:
            relaxed = _all_of([wq.Or(word_clauses), *phrases], excluded)
        typed = [*spelled, *(word for phrase in parsed.phrases for word in phrase)]
        stems = frozenset(terms[0] for word in typed if (terms := word_terms(word)))
        return BuiltQuery(_all_of([*word_clauses, *phrases], excluded), self.highlight, corrected,
                          relaxed, stems)

    def _words(self, typed: list[str]) -> tuple[list[wq.Query], list[str]]:
        """Clauses for the plain words (synonym runs first, longest run wins) and their spelling."""
        clauses: list[wq.Query] = []
        spelled = list(typed)
        folded = [fold(word) for word in typed]
        i = 0
        while i < len(typed):
            for n in range(min(self.synonyms.longest, len(typed) - i), 0, -1):
                alternatives = self.synonyms.alternatives(tuple(folded[i : i + n]))
                if alternatives:
                    options = [self._exact(words(phrase), True) for phrase in alternatives]
                    clauses.append(wq.Or([option for option in options if option]))
                    i += n
                    break
            else:
                clause, spelled[i] = self._word(typed[i])
                if clause is not None:
                    clauses.append(clause)
                i += 1
        return clauses, spelled

    def _word(self, word: str) -> tuple[wq.Query | None, str]:
        """The clause for one typed word and how it is spelled after correction."""
        terms = word_terms(word)
        if not terms:
            return None, word
        if self._known(terms) or len(word) < MIN_TYPO_LENGTH:
            return self._terms(terms, True), word
        correction = self._correct(word)
        if correction is None:
            return self._terms(terms, True), word
        return self._terms(word_terms(correction), True), correction

    def _exact(self, pieces: list[str], highlight: bool) -> wq.Query | None:
        """All of ``pieces`` (no typo correction): a synonym entry or an excluded phrase."""
        clauses = [self._terms(terms, highlight) for word in pieces if (terms := word_terms(word))]
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else wq.And(clauses)

    def _phrase(self, pieces: list[str]) -> wq.Query | None:
        """The words in this order, next to each other (stop words left out on both sides)."""
        stems = [terms[0] for word in pieces if (terms := word_terms(word))]
        self.highlight.update(stems)
        if not stems:
            return None
        return wq.Term(FIELD, stems[0]) if len(stems) == 1 else wq.Phrase(FIELD, stems)

    def _terms(self, terms: tuple[str, ...], highlight: bool) -> wq.Query:
        """The word itself, or (for a compound) all of its parts."""
        if highlight:
            self.highlight.update(terms)
        whole = wq.Term(FIELD, terms[0])
        if len(terms) == 1:
            return whole
        return wq.Or([whole, wq.And([wq.Term(FIELD, term) for term in terms[1:]])])

    def _known(self, terms: tuple[str, ...]) -> bool:
        frequency = self.reader.doc_frequency
        return bool(frequency(FIELD, terms[0])) or (
            len(terms) > 1 and all(frequency(FIELD, term) for term in terms[1:])
        )

    def _correct(self, word: str) -> str | None:
        """The indexed word closest to ``word`` (ties: the most common), or None."""
        typed = word.lower()
        maximum = 2 if len(typed) >= LONG_WORD else 1
        candidates = [
            candidate
            for candidate in self.reader.terms_within(SPELLING_FIELD, typed, maximum, prefix=1)
            if candidate != typed and self._known(word_terms(candidate))
        ]
        if not candidates:
            return None
        frequency = self.reader.doc_frequency
        best = min(candidates, key=lambda c: (distance(c, typed), -frequency(SPELLING_FIELD, c)))
        return best.capitalize() if word[:1].isupper() else best


def _all_of(clauses: list[wq.Query], excluded: list[wq.Query]) -> wq.Query:
    """All of ``clauses`` (everything when there are none) and none of ``excluded``."""
    query = wq.And(clauses) if len(clauses) > 1 else clauses[0] if clauses else wq.Every()
    return wq.AndNot(query, wq.Or(excluded)) if excluded else query


def _respell(text: str, corrections: dict[str, str]) -> str:
    """``text`` with each corrected word replaced, everything else as typed."""
    return re.sub(r"\w+", lambda match: corrections.get(match.group(), match.group()), text)
