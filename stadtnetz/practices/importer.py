"""Read the Markdown project descriptions of the *Datenprojekte* corpus and turn each into the
fields of a practice, without touching the database.

A file has YAML-like front matter (``title``, ``status``; the closing ``---`` is sometimes
indented, and titles contain colons, so it is read line by line rather than as YAML), then the
sections ``Kurzbeschreibung``, ``Organisation(en)``, ``Projekt-Links``, ``Einsatzbereiche``
(``- [[Bereich]]: #Tag, #Tag``), ``Arten`` (same shape), ``Quelle`` and a licence line
(``Lizenz: "CC-BY 4.0" mit Dank an https://codefor.de/``). ``read_project`` parses one file
into a ``Project``, raising ``ProjectFileError`` (with the file name) when it cannot be used;
``practice_fields`` maps a project onto a ``PracticeFields`` using the tables below. The text
of Umsetzung ends with a credit paragraph (source, origin, licence), which CC BY asks for and
by which ``credited_source`` recognises an imported practice on the next run.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .topics import PracticeStatus, Topic

#: Where the corpus lies in a checkout beside ``../shared`` (see shared/data/README.md).
CORPUS_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "corpus" / "datenprojekte"
TEASER_LENGTH = 500
#: A practice keeps at most 20 tags (as the practice form does); the most specific come first.
MAX_TAGS = 20
LICENCE = "CC-BY-4.0"
CC_BY_URL = "https://creativecommons.org/licenses/by/4.0/deed.de"

#: Corpus status → practice status. "Unbekannt" and an empty status have no entry: the
#: practice keeps the default (Umsetzung) and the importer says so.
STATUS_MAP = {
    "In Planung": PracticeStatus.PLANUNG,
    "Im Testbetrieb": PracticeStatus.UMSETZUNG,
    "In Weiterentwicklung": PracticeStatus.UMSETZUNG,
    "In Betrieb": PracticeStatus.VERSTETIGT,
    "Eingestellt": PracticeStatus.EINGESTELLT,
}

#: Einsatzbereich of the corpus → Handlungsfeld. The corpus's areas are broader than the ten
#: Handlungsfelder; an area without an entry here becomes a free tag instead.
AREA_TOPICS = {
    "Stadtentwicklung": Topic.RAUM,
    "Klima & Umwelt": Topic.KLIMA,
    "Demokratie & Soziale Rechte": Topic.BETEILIGUNG,
    "Inklusion & Teilhabe": Topic.BETEILIGUNG,
    "Organisation & Professionalisierung": Topic.DIGITALISIERUNG,
    "Kultur": Topic.KULTUR,
}

#: A #tag of an Einsatzbereich that names a Handlungsfeld more precisely than its area does.
TAG_TOPICS = {
    "Wohnen": Topic.WOHNEN,
    "Mobilität": Topic.MOBILITAET,
    "Verkehr": Topic.MOBILITAET,
    "Öffentlicher Nahverkehr": Topic.MOBILITAET,
    "Klimaschutz": Topic.KLIMA,
    "Klimawandel": Topic.KLIMA,
    "Klima": Topic.KLIMA,
    "Luftqualität": Topic.KLIMA,
    "Partizipation": Topic.BETEILIGUNG,
    "Jugendbeteiligung": Topic.BETEILIGUNG,
    "Wahlen": Topic.BETEILIGUNG,
    "Verwaltung": Topic.DIGITALISIERUNG,
    "Tourismus": Topic.HANDEL,
    "Kultur": Topic.KULTUR,
}

#: Every corpus entry is a data or civic-tech project: having any "Arten" (Datenanalyse,
#: Digitale Plattformen…) puts it under Digitalisierung.
KIND_TOPIC = Topic.DIGITALISIERUNG

#: Misspelt area names in the corpus, corrected where they become tags.
SPELLING = {"Anti Dismkriminierung": "Antidiskriminierung"}

# A sentence ends with . ! or ? followed by space and an upper-case letter, digit or quote.
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ0-9„\"])")
# Sentences that state the aim ("Ziel ist es, …") describe the starting point, not the work.
AIM = re.compile(r"^(Das |Unser |Ihr |Sein )?(Ziel|Ziele)\b")
WIKI_LINK = re.compile(r"\[\[(?:[^\]|/]*/)?([^\]|]+)(?:\|[^\]]*)?\]\]")
LIST_ITEM = re.compile(r"^\s*[-*]\s*(.*)$")
# The credit paragraph ``credit_paragraph`` writes under an imported text; it also finds the
# practice again on the next run.
CREDIT_MARK = "Quelle: ["
CREDIT = re.compile(r"^Quelle: \[(?P<text>.*?)\]\((?P<url>[^)\s]+)\), Lizenz: ", re.MULTILINE)
LICENCE_LINE = re.compile(r'^Lizenz:\s*"?([^"]+?)"?(?:\s+mit Dank an\s+(\S+))?\s*$')


class ProjectFileError(Exception):
    """A file cannot be imported; the message names the file and says why."""


@dataclass(frozen=True)
class Area:
    """A line of ``Einsatzbereiche`` or ``Arten``: a named area with its tags."""

    name: str
    tags: tuple[str, ...]


@dataclass(frozen=True)
class Project:
    """One project description as written in the corpus."""

    file_name: str
    title: str
    status: str
    summary: str
    organisations: tuple[str, ...]
    links: tuple[str, ...]
    areas: tuple[Area, ...]
    kinds: tuple[Area, ...]
    source_url: str
    licence: str
    credit_url: str


@dataclass(frozen=True)
class PracticeFields:
    """The fields of a practice made from a project (Markdown as written, not yet rendered)."""

    title: str
    teaser: str
    situation: str
    implementation: str
    topics: tuple[Topic, ...]
    tags: tuple[str, ...]
    status: PracticeStatus | None
    licence: str
    attribution: str
    partners: tuple[str, ...]


# --- reading ------------------------------------------------------------------------------


def read_project(path: Path) -> Project:
    """Parse one corpus file; raise ``ProjectFileError`` if it is unreadable or incomplete."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ProjectFileError(f"{path.name}: keine UTF-8-Textdatei") from None
    except OSError as error:
        raise ProjectFileError(f"{path.name}: nicht lesbar ({error.strerror or error})") from None
    if not text.strip():
        raise ProjectFileError(f"{path.name}: die Datei ist leer")
    front, body = split_front_matter(text)
    if front is None:
        raise ProjectFileError(f"{path.name}: Kopfbereich (Front Matter zwischen ---) fehlt")
    sections = split_sections(body)
    title = front.get("title", "")
    summary = " ".join(sections.get("Kurzbeschreibung", "").split())
    if not title:
        raise ProjectFileError(f"{path.name}: Titel (title) fehlt im Kopfbereich")
    if not summary:
        raise ProjectFileError(f"{path.name}: Abschnitt „Kurzbeschreibung“ fehlt oder ist leer")
    source_url = next((item for item in list_items(sections.get("Quelle", "")) if is_url(item)), "")
    if not source_url:
        # CC BY asks to name the source; it is also what finds the practice again next time.
        raise ProjectFileError(f"{path.name}: Abschnitt „Quelle“ nennt keine Adresse")
    licence, credit_url = read_licence(body)
    return Project(
        file_name=path.name,
        title=" ".join(title.split()),
        status=front.get("status", ""),
        summary=summary,
        organisations=tuple(WIKI_LINK.sub(r"\1", item)
                            for item in list_items(sections.get("Organisation(en)", ""))),
        links=tuple(item for item in list_items(sections.get("Projekt-Links", "")) if is_url(item)),
        areas=read_areas(sections.get("Einsatzbereiche", "")),
        kinds=read_areas(sections.get("Arten", "")),
        source_url=source_url,
        licence=licence,
        credit_url=credit_url,
    )


def read_directory(directory: Path) -> Iterator[Project | ProjectFileError]:
    """Every ``*.md`` file of ``directory`` in name order, parsed, or the error that stops it."""
    for path in sorted(directory.glob("*.md")):
        try:
            yield read_project(path)
        except ProjectFileError as error:
            yield error


def split_front_matter(text: str) -> tuple[dict[str, str] | None, str]:
    """The ``key: value`` pairs between the opening ``---`` and the next ``---`` line, and the rest."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return None, text
    end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == "---"), None)
    if end is None:
        return None, text
    front = {}
    for line in lines[1:end]:
        key, colon, value = line.partition(":")
        if colon and key.strip() and not key.startswith((" ", "\t")):
            front[key.strip()] = value.strip().strip("\"'")
    return front, "\n".join(lines[end + 1:])


def split_sections(body: str) -> dict[str, str]:
    """The text under each ``## Heading``, keyed by the heading."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in body.splitlines():
        if line.startswith("## "):
            current = sections.setdefault(line[3:].strip(), [])
        elif line.startswith("# "):
            current = None
        elif current is not None:
            current.append(line)
    return {name: "\n".join(lines).strip() for name, lines in sections.items()}


def list_items(text: str) -> list[str]:
    """The non-empty items of a Markdown list."""
    return [m.group(1).strip() for line in text.splitlines()
            if (m := LIST_ITEM.match(line)) and m.group(1).strip()]


def read_areas(text: str) -> tuple[Area, ...]:
    """``- [[Name]]: #A, #B`` items (a bare ``- #Tag`` is an area without a name)."""
    areas = []
    for item in list_items(text):
        name = WIKI_LINK.sub(r"\1", item.split(":", 1)[0]) if item.startswith("[[") else ""
        tags = tuple(tag_name(tag) for tag in re.findall(r"#([^\s,#]+)", item))
        areas.append(Area(SPELLING.get(name.strip(), name.strip()), tags))
    return tuple(areas)


def tag_name(raw: str) -> str:
    """A #tag as words: ``Öffentlicher-Nahverkehr`` → "Öffentlicher Nahverkehr",
    ``Kinder--und-Jugendhilfe`` → "Kinder- und Jugendhilfe"."""
    return raw.replace("--", "\0").replace("-", " ").replace("\0", "- ").strip()


def read_licence(text: str) -> tuple[str, str]:
    """The licence (SPDX-style, e.g. ``CC-BY-4.0``) and the URL the file asks to credit."""
    for line in text.splitlines():
        if match := LICENCE_LINE.match(line.strip()):
            return re.sub(r"[\s-]+", "-", match.group(1).strip()).upper(), match.group(2) or ""
    return "", ""


def is_url(text: str) -> bool:
    """True for an absolute http(s) URL."""
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


# --- mapping onto a practice ----------------------------------------------------------------


def sentences(text: str) -> list[str]:
    """The sentences of a paragraph."""
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]


def teaser(text: str, limit: int = TEASER_LENGTH) -> str:
    """The longest run of whole sentences within ``limit`` characters; a first sentence that is
    too long is cut at a word and ends with an ellipsis."""
    kept = ""
    for sentence in sentences(text):
        joined = f"{kept} {sentence}".strip()
        if len(joined) > limit:
            break
        kept = joined
    if kept:
        return kept
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def topics_of(project: Project) -> tuple[Topic, ...]:
    """The Handlungsfelder of a project, by ``AREA_TOPICS``, ``TAG_TOPICS`` and ``KIND_TOPIC``."""
    found = {AREA_TOPICS[area.name] for area in project.areas if area.name in AREA_TOPICS}
    found |= {TAG_TOPICS[tag] for area in project.areas for tag in area.tags if tag in TAG_TOPICS}
    if project.kinds:
        found.add(KIND_TOPIC)
    return tuple(topic for topic in Topic if topic in found)


def tags_of(project: Project) -> tuple[str, ...]:
    """Free tags: unmapped areas, then every #tag of the areas and kinds, each once."""
    tags = [area.name for area in project.areas if area.name and area.name not in AREA_TOPICS]
    tags += [tag for area in project.areas + project.kinds for tag in area.tags]
    seen: set[str] = set()
    unique = [tag for tag in tags if not (tag.casefold() in seen or seen.add(tag.casefold()))]
    return tuple(unique[:MAX_TAGS])


def german_list(names: tuple[str, ...]) -> str:
    """Names joined the German way: ``A``, ``A und B``, ``A, B und C``."""
    return " und ".join(filter(None, (", ".join(names[:-1]), names[-1])))


def attribution(project: Project) -> str:
    """The credit line CC BY asks for: title, origin (as the file names it) and licence."""
    origin = urlsplit(project.credit_url or project.source_url).netloc.removeprefix("www.")
    return f"„{project.title}“, Projektbeschreibung von {origin}, CC BY 4.0"


def credit_paragraph(project: Project) -> str:
    """The Markdown paragraph that credits the source under the text, as the licence asks."""
    text = attribution(project).rsplit(", ", 1)[0].replace("[", "\\[").replace("]", "\\]")
    return f"Quelle: [{text}]({project.source_url}), Lizenz: [CC BY 4.0]({CC_BY_URL})"


def credit_of(text: str) -> tuple[str, str] | None:
    """The credit (``„Titel“, Projektbeschreibung von …``) and source URL that an imported
    text's credit paragraph names, if it has one."""
    match = CREDIT.search(text or "")
    if match is None:
        return None
    return match.group("text").replace("\\[", "[").replace("\\]", "]"), match.group("url")


def credited_source(text: str) -> str | None:
    """The source URL named by an imported text's credit paragraph, if it has one."""
    credit = credit_of(text)
    return credit[1] if credit else None


def practice_fields(project: Project) -> PracticeFields:
    """Map a project onto a practice. Ausgangslage: the sentences that state the aim ("Ziel ist
    es, …"), else the first sentence; Umsetzung: the other sentences, who carried it out, the
    project's links and the credit paragraph; the organisations also become partners."""
    parts = sentences(project.summary)
    aims = [s for s in parts if AIM.match(s)] or parts[:1]
    implementation = [" ".join(s for s in parts if s not in aims)]
    if project.organisations:
        names = german_list(project.organisations)
        implementation.append(f"Umgesetzt von {names}" + ("" if names.endswith(".") else "."))
    if project.links:
        implementation.append("Mehr zum Projekt:\n\n" + "\n".join(f"- <{url}>" for url in project.links))
    implementation.append(credit_paragraph(project))
    return PracticeFields(
        title=project.title,
        teaser=teaser(project.summary),
        situation=" ".join(aims),
        implementation="\n\n".join(part for part in implementation if part),
        topics=topics_of(project),
        tags=tags_of(project),
        status=STATUS_MAP.get(project.status),
        licence=LICENCE if project.licence in ("", LICENCE) else project.licence,
        attribution=attribution(project),
        partners=project.organisations,
    )
