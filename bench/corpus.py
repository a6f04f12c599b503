"""The benchmark's material, all drawn from real German text in ``../shared/data``.

``load_projects`` reads the 318 project descriptions (CC BY 4.0) of
``corpus/datenprojekte``; ``real_documents`` turns them into search documents for the quality
measurements; ``generated_documents`` recombines their sentences, titles and tags with real
municipality names into as many practice-shaped documents as asked, deterministically.
"""

import csv
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from stadtnetz.directory.models import SizeClass
from stadtnetz.practices.topics import PracticeStatus, Topic, cost_range

DATA_DIR = Path(__file__).resolve().parents[2] / "shared" / "data"
CORPUS_DIR = DATA_DIR / "corpus" / "datenprojekte"
GEMEINDEN_DIR = DATA_DIR / "gemeinden"

FUNDING = [
    "Zukunftsfähige Innenstädte und Zentren", "Städtebauförderung", "Modellprojekte Smart Cities",
    "LEADER", "EFRE", "Landesprogramm Innenstadt", "",
]
SECTIONS = ["Ausgangslage", "Umsetzung", "Ergebnisse", "Was nicht funktioniert hat", "Übertragbarkeit"]
STATUS_SLUGS = {
    "In Planung": "planung", "Im Testbetrieb": "umsetzung", "In Betrieb": "verstetigt",
    "In Weiterentwicklung": "umsetzung", "Eingestellt": "eingestellt",
}
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ0-9„\"])")
EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


@dataclass
class Project:
    """One project description of the real corpus."""

    number: int
    title: str
    status: str
    summary: str
    organisations: list[str]
    areas: list[str]  # the Einsatzbereiche, e.g. "Klima & Umwelt"
    topic_tags: list[str]  # their tags, e.g. "Nachhaltigkeit"; the relevance judgements
    kind_tags: list[str]  # the Arten tags, e.g. "Datenanalyse"

    @property
    def sentences(self) -> list[str]:
        """The summary split into sentences."""
        return [s.strip() for s in SENTENCE_END.split(self.summary) if s.strip()]


def tag_text(tag: str) -> str:
    """A ``#Kinder--und-Jugendhilfe`` tag as words: ``Kinder- und Jugendhilfe``."""
    return tag.lstrip("#").replace("--", "- ").replace("-", " ").replace("  ", " ").strip()


def _sections(text: str) -> dict[str, str]:
    parts = re.split(r"^## (.+)$", text, flags=re.M)
    return {parts[i].strip(): parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}


def _parse(number: int, path: Path) -> Project:
    text = path.read_text(encoding="utf-8")
    front = re.search(r"^title:\s*(.+)$", text, flags=re.M)
    status = re.search(r"^status:\s*(.*)$", text, flags=re.M)
    sections = _sections(text)
    areas, topic_tags, kind_tags = [], [], []
    for line in sections.get("Einsatzbereiche", "").splitlines():
        areas += re.findall(r"\[\[([^\]]+)\]\]", line)
        topic_tags += [tag_text(t) for t in re.findall(r"#[^\s,]+", line)]
    for line in sections.get("Arten", "").splitlines():
        kind_tags += [tag_text(t) for t in re.findall(r"#[^\s,]+", line)]
    return Project(
        number=number,
        title=(front.group(1) if front else path.stem).strip(),
        status=(status.group(1) if status else "").strip(),
        summary=" ".join(sections.get("Kurzbeschreibung", "").split()),
        organisations=re.findall(r"\[\[Organisation/([^\]]+)\]\]", sections.get("Organisation(en)", "")),
        areas=areas,
        topic_tags=sorted(set(topic_tags)),
        kind_tags=sorted(set(kind_tags)),
    )


def load_projects() -> list[Project]:
    """Every project of the corpus, numbered from 1 in file-name order."""
    if not CORPUS_DIR.is_dir():
        raise SystemExit(f"The real corpus is missing: {CORPUS_DIR} (needs ../shared beside the project)")
    return [_parse(n, path) for n, path in enumerate(sorted(CORPUS_DIR.glob("*.md")), start=1)]


def real_documents(projects: list[Project]) -> list[dict]:
    """The projects as search documents; the Einsatzbereiche stay out, they are the judgements."""
    documents = []
    for project in projects:
        sentences = project.sentences or [project.title]
        partners = ", ".join(project.organisations)
        body = " ".join(sentences[1:] + ([f"Beteiligte Organisationen: {partners}."] if partners else []))
        documents.append({
            "id": f"practice:{project.number}",
            "kind": "practice",
            "title": project.title,
            "teaser": sentences[0],
            "body": body,
            "tags": project.kind_tags,
            "url": f"/praxisbeispiele/{project.number}",
            "published": EPOCH + timedelta(days=project.number),
            "audience": ["public"],
            "status": STATUS_SLUGS.get(project.status, "idee"),
            "organisation": project.organisations[0] if project.organisations else "",
        })
    return documents


def load_municipalities() -> list[tuple[str, str, str]]:
    """Real municipalities as (name, Land key, size class), from the Zensus 2022 table."""
    with (GEMEINDEN_DIR / "laender.csv").open(encoding="utf-8-sig") as f:
        land_keys = {row["state"]: row["ags_state"] for row in csv.DictReader(f)}
    municipalities = []
    with (GEMEINDEN_DIR / "zensus2022_gemeinden_bevoelkerung.csv").open(encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            size = SizeClass.for_population(int(row["population"])).slug
            municipalities.append((row["place"].split(",")[0], land_keys[row["state"]], size))
    return municipalities


def generated_documents(projects: list[Project], count: int, seed: int = 20261122) -> Iterator[dict]:
    """``count`` practice documents recombined from the real corpus; the same seed, the same corpus."""
    rng = random.Random(seed)
    sentences = [s for p in projects for s in p.sentences]
    titles = [p.title for p in projects]
    tags = sorted({t for p in projects for t in p.topic_tags + p.kind_tags})
    organisations = sorted({o for p in projects for o in p.organisations})
    municipalities = load_municipalities()
    for number in range(1, count + 1):
        name, land, size = rng.choice(municipalities)
        title = rng.choice(titles)
        if rng.random() < 0.7:
            title = f"{title} in {name}"
        body = " ".join(
            f"{heading}: " + " ".join(rng.sample(sentences, rng.randint(2, 4))) for heading in SECTIONS
        )
        cost = rng.choice([0, rng.randint(1_000, 2_000_000)])
        document = {
            "id": f"practice:{number}",
            "kind": "practice",
            "title": title,
            "teaser": " ".join(rng.sample(sentences, rng.randint(1, 2)))[:500],
            "body": body,
            "tags": rng.sample(tags, rng.randint(1, 4)),
            "url": f"/praxisbeispiele/{number}",
            "published": EPOCH + timedelta(minutes=rng.randint(0, 3_000_000)),
            # One in twenty is visible only to a working group, as members-only content is.
            "audience": ["public"] if rng.random() < 0.95 else [f"group:{rng.randint(1, 50)}"],
            "topic": [t.slug for t in rng.sample(list(Topic), rng.randint(1, 3))],
            "land": land,
            "size_class": size,
            "status": rng.choice(list(PracticeStatus)).value,
            "funding": rng.choice(FUNDING),
            "cost_range": cost_range(cost),
            "cost": cost,
            "municipality": name,
            "organisation": rng.choice(organisations),
        }
        if not document["funding"]:
            del document["funding"]  # no funding programme: no facet value
        yield document
