"""Highlighted snippets: the passage of a text with the most query words, each in ``<mark>``."""

from markupsafe import Markup, escape

from .analysis import WORD, word_terms

#: Words shown around the matches.
SNIPPET_WORDS = 32


def snippet(text: str, terms: set[str], size: int = SNIPPET_WORDS) -> Markup:
    """The window of ``size`` words with the most words matching ``terms``, as safe HTML."""
    spans = [match.span() for match in WORD.finditer(text or "")]
    if not spans:
        return Markup("")
    hits = [i for i, (start, end) in enumerate(spans) if terms.intersection(word_terms(text[start:end]))]
    first = _best_window(hits, size) if hits else 0
    last = min(first + size, len(spans)) - 1
    marked = set(hits)
    pieces = [Markup("… ") if first else Markup("")]
    cursor = spans[first][0]
    for i in range(first, last + 1):
        start, end = spans[i]
        pieces.append(escape(text[cursor:start]))
        word = escape(text[start:end])
        pieces.append(Markup("<mark>%s</mark>") % word if i in marked else word)
        cursor = end
    if last < len(spans) - 1:
        pieces.append(Markup(" …"))
    else:
        pieces.append(escape(text[cursor:]))
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
