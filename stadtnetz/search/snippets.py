"""Highlighted snippets: the passage of a text with the most query words, each in ``<mark>``."""

from itertools import islice

from markupsafe import Markup, escape

from .analysis import WORD, word_terms

#: Words shown around the matches.
SNIPPET_WORDS = 32


def snippet(text: str, terms: set[str], size: int = SNIPPET_WORDS) -> Markup:
    """The window of ``size`` words with the most words matching ``terms``, as safe HTML.

    The words are found and matched in C (``findall``, the cached ``word_terms``); only the
    window is located in the text and escaped, between the marks in whole runs.
    """
    words = WORD.findall(text or "")
    if not words:
        return Markup("")
    hits = [i for i, found in enumerate(map(word_terms, words)) if not terms.isdisjoint(found)]
    first = _best_window(hits, size) if hits else 0
    last = min(first + size, len(words)) - 1
    marked = set(hits)
    spans = [match.span() for match in islice(WORD.finditer(text), last + 1)][first:]
    pieces = [Markup("… ") if first else Markup("")]
    cursor = spans[0][0]
    for i, (start, end) in enumerate(spans, first):
        if i in marked:
            pieces.append(escape(text[cursor:start]))
            pieces.append(Markup("<mark>%s</mark>") % text[start:end])
            cursor = end
    end = spans[-1][1]
    pieces.append(escape(text[cursor:end]))
    pieces.append(Markup(" …") if last < len(words) - 1 else escape(text[end:]))
    return Markup("").join(pieces)


def _best_window(hits: list[int], size: int) -> int:
    """The first word of the window that holds the most hits, starting a little before them."""
    best_start, best_count = hits[0], 0
    low = 0
    for high, position in enumerate(hits):
        while position - hits[low] >= size:
            low += 1
        if high - low + 1 > best_count:
            best_start, best_count = hits[low], high - low + 1
    return max(0, best_start - 3)
