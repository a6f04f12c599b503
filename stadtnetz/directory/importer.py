"""Read the official municipality files into plain records, without touching the database.

Three formats are recognised by their header row: the Destatis Gemeindeverzeichnis (GV-ISys,
31.12.2019), the Zensus 2022 population table and the list of Länder; a fourth, Stadtnetz's
own compact format, carries the demo municipalities. ``open_source`` reads a file whole and
detects its format (an unusable file raises ``ImportFileError``); ``Source.items`` yields
``KreisRecord``, ``MunicipalityRecord`` and ``LineError`` items; a ``Catalogue`` collects the
records and joins the files on the eight-digit AGS.
"""

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from flask_babel import lazy_gettext as _l

from .models import LAENDER

GVISYS = "gvisys2019"
ZENSUS = "zensus2022"
# GV-ISys record types: 10 Land, 20 Regierungsbezirk, 30 Region, 50 Gemeindeverband are skipped.
GVISYS_KREIS, GVISYS_GEMEINDE, GVISYS_SKIPPED = "40", "60", {"10", "20", "30", "50"}

#: Where a population figure comes from, and its reference date; the newer figure wins.
POPULATION_SOURCES = {
    GVISYS: (_l("Gemeindeverzeichnis GV-ISys"), date(2019, 12, 31)),
    ZENSUS: (_l("Zensus 2022"), date(2022, 5, 15)),
}

# Germany lies between about 47.2 and 55.1° N, 5.8 and 15.1° E; anything far outside is a typo.
LATITUDE_RANGE = (47.0, 55.5)
LONGITUDE_RANGE = (5.5, 15.5)


class ImportFileError(Exception):
    """A whole file cannot be imported (unreadable, empty, unknown format)."""


class RowError(ValueError):
    """One row cannot be imported; the message says why."""


@dataclass(frozen=True)
class KreisRecord:
    """A Landkreis or kreisfreie Stadt."""

    key: str
    name: str


@dataclass(frozen=True)
class MunicipalityRecord:
    """What one file knows about a Gemeinde; ``None`` means the file does not say.

    ``population_only`` marks a record from a population table, whose name only identifies
    the Gemeinde: where a directory record exists too, the directory's official name wins
    (the Zensus adds disambiguations such as "Winterbach (Landkreis Günzburg)").
    """

    ags: str
    name: str
    population_only: bool = False
    population: int | None = None
    population_source: str | None = None
    area_km2: float | None = None
    postal_code: str | None = None
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class LineError:
    """A line that was skipped, and why."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}, Zeile {self.line}: {self.message}"


Item = KreisRecord | MunicipalityRecord | LineError
RowParser = Callable[[dict[str, str]], Iterable[KreisRecord | MunicipalityRecord]]


# --- field parsers: each raises RowError with a German message ------------------------------


def parse_key(text: str, digits: int, what: str) -> str:
    """A numeric key of exactly ``digits`` digits (leading zeros kept)."""
    text = text.strip()
    if not re.fullmatch(rf"\d{{{digits}}}", text):
        raise RowError(f"{what} „{text}“ ist kein {digits}-stelliger Schlüssel")
    return text


def parse_land(key: str) -> str:
    """A known two-digit Land key."""
    if key not in LAENDER:
        raise RowError(f"unbekannter Landesschlüssel „{key}“")
    return key


def parse_name(text: str) -> str:
    """A non-empty name."""
    name = " ".join(text.split())
    if not name:
        raise RowError("Name fehlt")
    return name


def parse_population(text: str) -> int | None:
    """Inhabitants, thousands optionally separated by spaces; empty or 0 (uninhabited) is None."""
    digits = re.sub(r"\s", "", text)
    if not digits:
        return None
    if not digits.isdigit():
        raise RowError(f"Einwohnerzahl „{text.strip()}“ ist keine ganze Zahl")
    return int(digits) or None


def parse_decimal(text: str, what: str) -> float | None:
    """A decimal number with a point or a comma; empty is None."""
    number = re.sub(r"\s", "", text).replace(",", ".")
    if not number:
        return None
    try:
        return float(number)
    except ValueError:
        raise RowError(f"{what} „{text.strip()}“ ist keine Zahl") from None


def parse_postal_code(text: str) -> str | None:
    """A five-digit Postleitzahl; empty is None."""
    text = text.strip()
    return parse_key(text, 5, "Postleitzahl") if text else None


def parse_coordinates(latitude: str, longitude: str) -> tuple[float | None, float | None]:
    """Latitude and longitude in Germany; missing or 0/0 (no position on record) is None."""
    lat, lon = parse_decimal(latitude, "Breitengrad"), parse_decimal(longitude, "Längengrad")
    if not lat and not lon:
        return None, None
    if lat is None or not LATITUDE_RANGE[0] <= lat <= LATITUDE_RANGE[1]:
        raise RowError(f"Breitengrad „{latitude.strip()}“ liegt nicht in Deutschland")
    if lon is None or not LONGITUDE_RANGE[0] <= lon <= LONGITUDE_RANGE[1]:
        raise RowError(f"Längengrad „{longitude.strip()}“ liegt nicht in Deutschland")
    return lat, lon


# --- row parsers, one per format ----------------------------------------------------------


def gvisys_row(row: dict[str, str]) -> Iterator[KreisRecord | MunicipalityRecord]:
    """A GV-ISys row: satzart 40 is a Kreis, 60 a Gemeinde; Länder and regions are skipped."""
    kind = row["satzart"].strip()
    if kind in GVISYS_SKIPPED:
        return
    if kind not in (GVISYS_KREIS, GVISYS_GEMEINDE):
        raise RowError(f"unbekannte Satzart „{kind}“")
    land = parse_land(parse_key(row["land"], 2, "Land"))
    kreis_key = land + parse_key(row["rb"], 1, "Regierungsbezirk") + parse_key(row["kreis"], 2, "Kreis")
    name = parse_name(row["gemeindename"])
    if kind == GVISYS_KREIS:
        yield KreisRecord(kreis_key, name)
        return
    population = parse_population(row["bevoelkerung"])
    latitude, longitude = parse_coordinates(row["breitengrad"], row["laengengrad"])
    yield MunicipalityRecord(
        ags=kreis_key + parse_key(row["gemeinde"], 3, "Gemeinde"),
        name=name,
        population=population,
        population_source=GVISYS if population else None,
        area_km2=parse_decimal(row["flaeche"], "Fläche"),
        postal_code=parse_postal_code(row["postleitzahl"]),
        latitude=latitude,
        longitude=longitude,
    )


def zensus_row(row: dict[str, str]) -> Iterator[MunicipalityRecord]:
    """A Zensus 2022 row; its ``ags`` column holds the 12-digit ARS."""
    ars = parse_key(row["ags"], 12, "Regionalschlüssel")
    ags = ars[:5] + ars[9:12]
    land = parse_land(ags[:2])
    if row["state"].strip() != LAENDER[land][1]:
        raise RowError(f"Land „{row['state'].strip()}“ passt nicht zum Schlüssel {ars}")
    population = parse_population(row["population"])
    yield MunicipalityRecord(
        ags=ags,
        name=parse_name(row["place"]),
        population_only=True,
        population=population,
        population_source=ZENSUS if population else None,
    )


def laender_row(row: dict[str, str]) -> Iterator[KreisRecord | MunicipalityRecord]:
    """A Land: checked against the known Länder, nothing to import."""
    land = parse_land(parse_key(row["ags_state"], 2, "Landesschlüssel"))
    if (row["state_name"].strip(), row["state"].strip()) != LAENDER[land]:
        raise RowError(f"Land {land} heißt hier „{row['state_name'].strip()}“ ({row['state'].strip()})")
    yield from ()


def stadtnetz_row(row: dict[str, str]) -> Iterator[KreisRecord | MunicipalityRecord]:
    """A row of Stadtnetz's own format: one Gemeinde with its Kreis and merged facts."""
    ags = parse_key(row["ags"], 8, "Gemeindeschlüssel")
    parse_land(ags[:2])
    population = parse_population(row["einwohner"])
    source = row["einwohner_quelle"].strip() or None
    if population and source not in POPULATION_SOURCES:
        raise RowError(f"unbekannte Quelle der Einwohnerzahl „{source or ''}“")
    latitude, longitude = parse_coordinates(row["breitengrad"], row["laengengrad"])
    if row["kreis"].strip():
        yield KreisRecord(ags[:5], parse_name(row["kreis"]))
    yield MunicipalityRecord(
        ags=ags,
        name=parse_name(row["name"]),
        population=population,
        population_source=source if population else None,
        area_km2=parse_decimal(row["flaeche_km2"], "Fläche"),
        postal_code=parse_postal_code(row["plz"]),
        latitude=latitude,
        longitude=longitude,
    )


@dataclass(frozen=True)
class Format:
    """A file format, recognised by the columns its header must contain."""

    label: str
    columns: tuple[str, ...]
    parse_row: RowParser
    note: str = ""


FORMATS = (
    Format(
        "GV-ISys-Gemeindeverzeichnis",
        ("satzart", "land", "rb", "kreis", "gemeinde", "gemeindename", "flaeche", "bevoelkerung",
         "postleitzahl", "laengengrad", "breitengrad"),
        gvisys_row,
    ),
    Format("Zensus-2022-Bevölkerung", ("state", "ags", "place", "population"), zensus_row),
    Format(
        "Länderliste",
        ("ags_state", "state_name", "state"),
        laender_row,
        note="die Länder sind fest hinterlegt; geprüft, nichts zu importieren",
    ),
    Format(
        "Stadtnetz-Verzeichnis",
        ("ags", "name", "kreis", "einwohner", "einwohner_quelle", "flaeche_km2", "plz",
         "breitengrad", "laengengrad"),
        stadtnetz_row,
    ),
)


def detect_format(header: list[str]) -> Format | None:
    """The format whose columns the header has, most specific first."""
    names = {name.strip().lower() for name in header}
    matching = [f for f in FORMATS if names.issuperset(f.columns)]
    return max(matching, key=lambda f: len(f.columns), default=None)


# --- files --------------------------------------------------------------------------------


@dataclass
class Source:
    """A readable file of a known format."""

    path: Path
    format: Format
    text: str
    delimiter: str

    def items(self) -> Iterator[Item]:
        """Every record of the file, and a ``LineError`` for each line that cannot be used."""
        reader = csv.reader(io.StringIO(self.text), delimiter=self.delimiter)
        header = [name.strip().lower() for name in next(reader)]
        first_line_of: dict[str, int] = {}
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                yield LineError(self.path.name, reader.line_num, f"kein gültiges CSV ({error})")
                continue
            if any(cell.strip() for cell in row):
                yield from self._parse(header, row, reader.line_num, first_line_of)

    def _parse(self, header: list[str], row: list[str], line: int, first_line_of: dict[str, int]):
        """The records of one row, or a ``LineError``; a Gemeinde seen before is an error."""
        if len(row) != len(header):
            yield LineError(self.path.name, line, f"{len(row)} Spalten statt {len(header)}")
            return
        try:
            records = list(self.format.parse_row(dict(zip(header, row, strict=True))))
        except RowError as error:
            yield LineError(self.path.name, line, str(error))
            return
        ags = next((r.ags for r in records if isinstance(r, MunicipalityRecord)), None)
        earlier = first_line_of.setdefault(ags, line) if ags else line
        if earlier != line:
            yield LineError(self.path.name, line, f"Gemeindeschlüssel {ags} doppelt (zuerst Zeile {earlier})")
            return
        yield from records


def open_source(path: str | Path) -> Source:
    """Read ``path`` and detect its format; raise ``ImportFileError`` if it cannot be used."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(f"{path}: keine UTF-8-Textdatei") from None
    except OSError as error:
        raise ImportFileError(f"{path}: nicht lesbar ({error.strerror or error})") from None
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        raise ImportFileError(f"{path}: die Datei ist leer oder beginnt mit einer Leerzeile")
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    header = next(csv.reader([first_line], delimiter=delimiter))
    found = detect_format(header)
    if found is None:
        known = ", ".join(f.label for f in FORMATS)
        raise ImportFileError(f"{path}: unbekanntes Format (Kopfzeile „{first_line[:80]}“); bekannt: {known}")
    return Source(path, found, text, delimiter)


# --- joining ------------------------------------------------------------------------------


def population_date(source: str | None) -> date:
    """The reference date of a population source (the earliest date for none)."""
    return POPULATION_SOURCES[source][1] if source else date.min


def join(first: MunicipalityRecord, second: MunicipalityRecord) -> MunicipalityRecord:
    """One Gemeinde from two files: name and facts of the first, facts it lacks from the
    second, and the most recent population of either."""
    facts = ("area_km2", "postal_code", "latitude", "longitude")
    missing = {name: getattr(second, name) for name in facts if getattr(first, name) is None}
    latest = max(first, second, key=lambda record: population_date(record.population_source))
    return replace(first, **missing, population=latest.population, population_source=latest.population_source)


@dataclass
class FileReport:
    """What one file contributed to a catalogue."""

    kreise: int = 0
    municipalities: int = 0
    errors: list[LineError] = field(default_factory=list)


@dataclass
class Catalogue:
    """Kreise and Gemeinden collected from one or more files, joined on the AGS."""

    kreise: dict[str, KreisRecord] = field(default_factory=dict)
    municipalities: dict[str, MunicipalityRecord] = field(default_factory=dict)

    def read(self, source: Source) -> FileReport:
        """Add every record of ``source``; report the counts and the skipped lines."""
        report = FileReport()
        for item in source.items():
            if isinstance(item, LineError):
                report.errors.append(item)
            else:
                self.add(item)
                report.kreise += isinstance(item, KreisRecord)
                report.municipalities += isinstance(item, MunicipalityRecord)
        return report

    def add(self, record: KreisRecord | MunicipalityRecord) -> None:
        """Add a record; a Gemeinde already known from another file is joined with it."""
        if isinstance(record, KreisRecord):
            self.kreise[record.key] = record
            return
        known = self.municipalities.get(record.ags)
        if known is not None:
            first, second = (record, known) if known.population_only else (known, record)
            record = join(first, second)
        self.municipalities[record.ags] = record
