"""German compound splitting from a real lexicon: the word frequencies of ``wordfreq``.

The method is Koehn & Knight's (2003): of all ways to cut a word into known words (allowing
the linking elements -s-, -es-, -n-, -en-, -e-, -er-, -ens- and a dropped final -e), take the one
whose parts have the highest geometric mean frequency, the unsplit word competing too. So
"leerstandsmanagement" (rare) becomes "leerstand" + "management" (both common), while
"management" stays whole because "manage" + "ment" is rarer than the word itself.
"""

import math
from functools import cache

from .folding import fold

#: Linking elements (Fugenelemente) between the parts of a compound, longest first.
LINKS = ("ens", "es", "en", "er", "ns", "s", "n", "e", "")
#: Shortest part we accept: three-letter parts ("amt", "rat") cut too many words wrongly.
MIN_PART = 4
#: Words shorter than two minimal parts cannot be compounds.
MIN_COMPOUND = 2 * MIN_PART
#: A part must be at least this frequent (Zipf 2.3, about 1 in 5 million words): rarer entries
#: of a web word list are mostly fragments and typos that would split words wrongly.
MIN_PART_FREQUENCY = 2e-7
#: Suffixes and prefixes that the word list also holds as words, but that are never the parts
#: of a compound ("Zufrieden-heit", "Trans-formation").
NOT_PARTS = frozenset({"heit", "keit", "ling", "lung", "ster", "tion", "trans", "ment", "ismus"})


@cache
def lexicon() -> dict[str, float]:
    """Folded German word → frequency, loaded once per process (about two seconds)."""
    from wordfreq import get_frequency_dict

    words: dict[str, float] = {}
    for word, frequency in get_frequency_dict("de", wordlist="large").items():
        if len(word) >= 3 and word.isalpha():
            key = fold(word)
            words[key] = words.get(key, 0.0) + frequency
    return words


def split(word: str) -> list[str]:
    """The parts of a folded compound (linking elements removed), or ``[word]`` if it is none."""
    if len(word) < MIN_COMPOUND:
        return [word]
    reading = _fewest_parts(word, top=True)
    whole = lexicon().get(word, 0.0)
    if reading is None or len(reading[1]) == 1:
        return [word]
    # Koehn & Knight: split only when the parts are more common than the word as a whole.
    if whole and math.log(whole) >= reading[0]:
        return [word]
    return list(reading[1])


def _known(part: str) -> tuple[str, float] | None:
    """The lexicon form of ``part`` and its frequency, also for a dropped final -e (Schul-bau)."""
    if part in NOT_PARTS:
        return None
    words = lexicon()
    for form in (part, part + "e"):
        frequency = words.get(form, 0.0)
        if frequency >= MIN_PART_FREQUENCY:
            return form, frequency
    return None


@cache
def _fewest_parts(word: str, top: bool = False) -> tuple[float, tuple[str, ...]] | None:
    """(mean log frequency, parts) of the reading of ``word`` with the fewest known parts.

    Fewest parts first keeps known words whole inside a compound: "leerstandsmanagement" is
    "leerstand" + "management", not "leer" + "stand" + "management". Among readings with as
    many parts, the most common parts win.
    """
    known = None if top else _known(word)
    if known:
        return math.log(known[1]), (known[0],)
    best: tuple[int, float, tuple[str, ...]] | None = None
    for cut in range(MIN_PART, len(word) - MIN_PART + 1):
        tail = _fewest_parts(word[cut:])
        if tail is None:
            continue
        head = word[:cut]
        for link in LINKS:
            if not head.endswith(link) or len(head) - len(link) < MIN_PART:
                continue
            part = _known(head[: len(head) - len(link)])
            if part is None:
                continue
            count = 1 + len(tail[1])
            score = (math.log(part[1]) + tail[0] * len(tail[1])) / count
            if best is None or (count, -score) < (best[0], -best[1]):
                best = (count, score, (part[0], *tail[1]))
    return None if best is None else (best[1], best[2])
