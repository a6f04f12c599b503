"""German text analysis for the index: words → folded, stop words out, compounds split, stemmed.

Every word of a document yields its stemmed form and, when it is a compound, the stems of its
parts at the same position, so "Leerstandsmanagement" is found by "Leerstand" and
"Innenstadtentwicklung" by a text about the Innenstadt and its Entwicklung. The work per
distinct word is cached: a large index has far fewer distinct words than words.
"""

import re
from functools import lru_cache

from whoosh.analysis import Analyzer, Token
from whoosh.fields import FieldType
from whoosh.formats import Positions
from whoosh.lang import stemmer_for_language, stopwords_for_language

from . import compounds
from .folding import fold

WORD = re.compile(r"\w+", re.UNICODE)
#: Positions left empty between title, teaser, body and tags, so no phrase spans two of them.
SEGMENT_GAP = 100
#: Snowball's German stop words, folded like the text they are removed from.
STOP_WORDS = frozenset(fold(word) for word in stopwords_for_language("de"))

_stem = stemmer_for_language("de")


@lru_cache(maxsize=500_000)
def word_terms(word: str) -> tuple[str, ...]:
    """The index terms of one word: its stem, then the stems of its compound parts; () if stop."""
    folded = fold(word)
    if len(folded) < 2 or folded in STOP_WORDS:
        return ()
    whole = _stem(folded)
    parts = compounds.split(folded)
    if len(parts) == 1:
        return (whole,)
    return (whole, *dict.fromkeys(_stem(part) for part in parts if _stem(part) != whole))


def words(text: str) -> list[str]:
    """The words of ``text`` as written."""
    return WORD.findall(text)


class Segments(str):
    """Text in parts with their boosts: ``[(title, 3.0), (body, 1.0)]``. Whoosh indexes only
    strings (a list would count as analysed tokens), so the parts ride on a string."""

    parts: list[tuple[str, float]]

    def __new__(cls, parts: list[tuple[str, float]]):
        text = super().__new__(cls, "\n".join(part for part, _boost in parts))
        text.parts = parts
        return text

    def __getnewargs__(self):
        return (self.parts,)


def _term_positions(value) -> dict[str, list]:
    """Each term of a ``content`` value → ``[weight, position, position, …]``, the weight
    summing the boosts of the term's occurrences: what ``Positions`` makes of the analyzer's
    tokens, in one loop without a token per word (a test holds them equal)."""
    found: dict[str, list] = {}
    get = found.get
    position = 0
    for text, boost in value.parts if isinstance(value, Segments) else [(value, 1.0)]:
        for terms in map(word_terms, WORD.findall(text)):
            if not terms:
                continue
            for term in terms:
                entry = get(term)
                if entry is None:
                    found[term] = [boost, position]
                else:
                    entry[0] += boost
                    entry.append(position)
            position += 1
        position += SEGMENT_GAP
    return found


def encoded_positions(entry: list) -> bytes:
    """``Positions().encode`` of the positions of a ``_term_positions`` entry; a term that
    occurs once in a document (six postings in seven) takes its bytes from a table."""
    if len(entry) == 2 and entry[1] < len(_ONE_POSITION):
        return _ONE_POSITION[entry[1]]
    return _encoded_positions(tuple(entry[1:]))


@lru_cache(maxsize=100_000)
def _encoded_positions(positions: tuple[int, ...]) -> bytes:
    return _POSITIONS.encode(positions)


_POSITIONS = Positions()
_ONE_POSITION = [_POSITIONS.encode([position]) for position in range(4096)]


class GermanAnalyzer(Analyzer):
    """Analyzer of the ``content`` field.

    The value is a string or ``Segments`` (title 3, teaser 2, body 1):
    one field with per-token weights ranks a word in the title above the same word in the body
    at the cost of a single posting list per term.
    """

    is_morph = True

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        segments = value.parts if isinstance(value, Segments) else [(value, 1.0)]
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        position = start_pos
        for text, boost in segments:
            for match in WORD.finditer(text):
                terms = word_terms(match.group())
                if not terms:
                    continue
                for term in terms:
                    token.text = term
                    token.boost = boost
                    if positions:
                        token.pos = position
                    if chars:
                        token.startchar, token.endchar = match.span()
                    yield token
                position += 1
            position += SEGMENT_GAP


class ContentField(FieldType):
    """The ``content`` field: ``GermanAnalyzer``'s terms with positions, scorable.

    ``index`` gives what Whoosh's ``FieldType.index`` would, without a token object per word:
    indexing is most of the work of a rebuild, so it is the one place worth the second loop.
    """

    def __init__(self):
        super().__init__(Positions(), GermanAnalyzer(), scorable=True)

    def postings(self, value) -> dict[str, list]:
        """Each term of ``value`` → ``[weight, position, position, …]``."""
        return _term_positions(value)

    def index(self, value, **kwargs):
        return [(term.encode(), len(entry) - 1, entry[0], encoded_positions(entry))
                for term, entry in _term_positions(value).items()]


class SpellingAnalyzer(Analyzer):
    """Analyzer of the ``words`` field: the words as written (lower case), for autocomplete and
    typo correction, which must offer real words, not stems."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for position, match in enumerate(WORD.finditer(value), start_pos):
            word = match.group().lower()
            if len(word) < 3 or word.isdigit():
                continue
            token.text = word
            token.boost = 1.0
            if positions:
                token.pos = position
            if chars:
                token.startchar, token.endchar = match.span()
            yield token
