"""The fixed query sets: latency queries from the corpus's vocabulary and the domain, and the
judged queries for search quality (known items by title words, topics by Einsatzbereiche).

Everything derived from the corpus is chosen with a fixed seed, so every run asks the same.
"""

import random
import re
from collections import Counter

from corpus import Project

# Words a user leaves out or that carry no meaning on their own.
_STOP_WORDS = (
    "aber alle allem allen aller alles als also am an ander andere anderen auch auf aus bei bin "
    "bis bist da damit dann das dass dem den denen der des dessen die dies diese diesem diesen "
    "dieser dieses doch dort du durch ein eine einem einen einer eines er es etwa euch für gegen "
    "hat hatte hier ihr ihre ihrem ihren ihrer im in ist ja jede jedem jeden jeder jedes kann "
    "kein keine können man mehr mit muss nach nicht noch nur ob oder ohne sehr sein seine sich "
    "sie sind so soll sollen sowie über um und uns unter viel vom von vor war waren was weil "
    "wenn werden wie wir wird wo zu zum zur zwischen ziel ziele sowohl dabei dazu zudem the of "
    "and for to on with"
)
STOP_WORDS = set(_STOP_WORDS.split())

# Terms of the product's domain (inner cities, the Handlungsfelder); many have few hits here.
DOMAIN_QUERIES = [
    "Leerstand", "Leerstandsmanagement", "Leerstandskataster", "Innenstadtentwicklung",
    "Zwischennutzung", '"Pop-up Store"', "Klimaanpassung", "Hitzeschutz", "Stadtgrün",
    "Bürgerbeteiligung", "Buerger Beteiligung", "Burger", "Mobilität ländlicher Raum",
    "Radverkehr", "Parkraummanagement", "Wochenmarkt", "Gastronomie", "Einzelhandel",
    "Fördermittel Innenstadt", '"Smart City"', '"Open Data"', "Luftqualität Sensoren",
    "Barrierefreiheit", "Wohnraum", "Digitalisierung Verwaltung", "Quartiersmanagement",
    "Stadtentwicklung", "Verkehrswende", "Ladenlokal", "Citymanagement", "Kulturförderung",
    "öffentlicher Raum", "Nahverkehr", "Klimaschutz Kommune", "Ehrenamt", "Nachbarschaft",
]
EXCLUSION_QUERIES = [
    "Daten -Karte", "Plattform -Bildung", "Karte -Leipzig", "Umwelt -Klima", "Stadt -Berlin",
    "Projekt -Daten", "Verwaltung -Transparenz", "Analyse -KI", "Beteiligung -online", "Schule -Kinder",
]
WORD = re.compile(r"[A-Za-zÄÖÜäöüß][\w-]*[A-Za-zÄÖÜäöüß]")


def _words(text: str) -> list[str]:
    return WORD.findall(text)


def _content(word: str) -> bool:
    return word.lower() not in STOP_WORDS and len(word) >= 4


def _spread(items: list[str], count: int) -> list[str]:
    """``count`` items evenly spread over ``items`` (frequent to rare), in order."""
    if len(items) <= count:
        return items
    step = len(items) / count
    return [items[int(i * step)] for i in range(count)]


def latency_queries(projects: list[Project], seed: int = 7) -> list[tuple[str, str]]:
    """At least 200 (type, query) pairs: words, compounds, phrases, multi-word, domain, exclusions."""
    rng = random.Random(seed)
    texts = [f"{p.title}. {p.summary}" for p in projects]
    df = Counter(w for text in texts for w in {w for w in _words(text)})
    nouns = sorted((w for w in df if w[0].isupper() and _content(w) and "-" not in w),
                   key=lambda w: (-df[w], w))
    singles = _spread([w for w in nouns if 5 <= len(w) < 13 and df[w] >= 2], 60)
    compounds = _spread([w for w in nouns if len(w) >= 13], 50)
    bigrams = Counter(
        f"{a} {b}"
        for p in projects for sentence in p.sentences
        for a, b in zip(_words(sentence), _words(sentence)[1:], strict=False)
        if _content(a) and _content(b)
    )
    phrases = [f'"{b}"' for b, n in sorted(bigrams.items(), key=lambda kv: (-kv[1], kv[0])) if n >= 2][:40]
    multi = []
    for project in rng.sample(projects, 50):
        words = sorted({w for w in _words(project.summary) if _content(w) and len(w) >= 5})
        multi.append(" ".join(rng.sample(words, min(len(words), rng.randint(2, 3)))))
    return (
        [("word", q) for q in singles] + [("compound", q) for q in compounds]
        + [("phrase", q) for q in phrases] + [("multi", q) for q in multi if q]
        + [("domain", q) for q in DOMAIN_QUERIES] + [("exclusion", q) for q in EXCLUSION_QUERIES]
    )


def known_item_queries(projects: list[Project], seed: int = 11) -> list[tuple[str, set[str]]]:
    """For each project, up to three of its title's words (in order), judged by the project alone."""
    rng = random.Random(seed)
    queries = []
    for project in projects:
        words = [w for w in re.split(r"[\s:,()/|\u2013]+", project.title) if w]
        content = [w for w in words if _content(w) or len(words) <= 2] or words
        picked = sorted(rng.sample(range(len(content)), min(3, len(content))))
        queries.append((" ".join(content[i] for i in picked), {f"practice:{project.number}"}))
    return queries


def topic_queries(projects: list[Project], minimum: int = 3) -> list[tuple[str, set[str]]]:
    """Each Einsatzbereich and tag with at least ``minimum`` projects, judged by who carries it."""
    judged: dict[str, set[str]] = {}
    for project in projects:
        for label in project.topic_tags + [a.replace("&", " ") for a in project.areas]:
            judged.setdefault(" ".join(label.split()), set()).add(f"practice:{project.number}")
    return sorted((q, ids) for q, ids in judged.items() if len(ids) >= minimum)
