"""Folding of German spellings, so that "Bürger", "Buerger" and "Burger" are the same word."""

import re

# "ue" after "q" is no umlaut (Quelle, Quest); elsewhere ae/oe/ue are the umlauts typed out.
_DIGRAPHS = re.compile(r"ae|oe|(?<!q)ue")
_UMLAUTS = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss", "é": "e", "è": "e", "à": "a"})


def fold(word: str) -> str:
    """Lower-case ``word``, turn umlauts and their ae/oe/ue spellings into plain vowels, ß into ss."""
    return _DIGRAPHS.sub(lambda match: match.group(0)[0], word.lower().translate(_UMLAUTS))
