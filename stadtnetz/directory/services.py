"""Directory operations: write imported Kreise and Gemeinden, search them, load the demo set.

The upsert loads the stored rows into a dict keyed by AGS, compares, updates only the columns
that changed and inserts the rest in bulk, so a second run of the same files writes nothing.
A run only sets facts its files know: a fact no file of the run carries is left as it is, and
a population is never replaced by one with an older reference date.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..extensions import db
from .importer import Catalogue, MunicipalityRecord, open_source, population_date
from .models import Kreis, Municipality, SizeClass, fold

#: Facts of a few dozen real municipalities from the GV-ISys and Zensus 2022 files (dl-de/by-2-0).
DEMO_FILE = Path(__file__).with_name("demo_municipalities.csv")

Values = dict[str, Any]
Reconcile = Callable[[Mapping[str, Any], Values], Values]


@dataclass(frozen=True)
class UpsertCounts:
    """What an upsert did to one table."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class ImportResult:
    """What an import did to the Kreise and the Gemeinden."""

    kreise: UpsertCounts
    municipalities: UpsertCounts


def import_catalogue(catalogue: Catalogue) -> ImportResult:
    """Upsert the catalogue's Kreise, then its Gemeinden (linked to the Kreise now known)."""
    kreise = _upsert(Kreis, "key", {k.key: {"key": k.key, "name": k.name} for k in catalogue.kreise.values()})
    known_kreise = set(db.session.scalars(sa.select(Kreis.key)))
    wanted = {
        record.ags: _municipality_values(record, known_kreise)
        for record in catalogue.municipalities.values()
    }
    reconcile = partial(_reconcile, catalogue.municipalities)
    municipalities = _upsert(Municipality, "ags", wanted, reconcile=reconcile)
    return ImportResult(kreise, municipalities)


def load_demo_municipalities() -> ImportResult:
    """Upsert the few dozen real municipalities the demo instance ships with."""
    catalogue = Catalogue()
    errors = catalogue.read(open_source(DEMO_FILE)).errors
    if errors:
        raise ValueError(f"{DEMO_FILE.name} is broken: {errors[0]}")
    return import_catalogue(catalogue)


def _municipality_values(record: MunicipalityRecord, known_kreise: set[str]) -> Values:
    """The columns of a Gemeinde; the Land and the Kreis follow from the AGS."""
    return {
        "ags": record.ags,
        "name": record.name,
        "search_name": fold(record.name),
        "land_key": record.ags[:2],
        "kreis_key": record.ags[:5] if record.ags[:5] in known_kreise else None,
        "population": record.population,
        "population_source": record.population_source,
        "area_km2": record.area_km2,
        "postal_code": record.postal_code,
        "latitude": record.latitude,
        "longitude": record.longitude,
    }


def _reconcile(records: dict[str, MunicipalityRecord], row: Mapping[str, Any], values: Values) -> Values:
    """Keep what the stored row knows better: a more recent population, and the official name
    where the imported record comes from a population table only."""
    record = records[row["ags"]]
    keep = set()
    if population_date(row["population_source"]) > population_date(record.population_source):
        keep |= {"population", "population_source"}
    if record.population_only:
        keep |= {"name", "search_name"}
    return {column: value for column, value in values.items() if column not in keep}


def _upsert(
    model: type[db.Model], key: str, wanted: dict[str, Values], reconcile: Reconcile | None = None
) -> UpsertCounts:
    """Insert rows whose ``key`` is new; update only the changed, known columns of the others."""
    table = model.__table__
    primary_key = table.primary_key.columns[0].name
    stored = {
        row[key]: row
        for row in db.session.execute(sa.select(*table.columns)).mappings()
    }
    inserts, updates = [], []
    for value_key, values in wanted.items():
        row = stored.get(value_key)
        if row is None:
            inserts.append(values)
            continue
        values = reconcile(row, values) if reconcile else values
        changes = {c: v for c, v in values.items() if v is not None and row[c] != v}
        if changes:
            updates.append({primary_key: row[primary_key], **changes})
    if inserts:
        db.session.execute(sa.insert(model), inserts)
    if updates:
        db.session.execute(sa.update(model), updates)
        # Bulk updates bypass the identity map; objects loaded earlier must not keep old facts.
        db.session.expire_all()
    return UpsertCounts(len(inserts), len(updates), len(wanted) - len(inserts) - len(updates))


def count_with_population() -> tuple[int, int]:
    """How many Gemeinden the directory holds, and how many of them have a population."""
    total, with_population = db.session.execute(
        sa.select(sa.func.count(), sa.func.count(Municipality.population))
    ).one()
    return total, with_population


# --- search -------------------------------------------------------------------------------


def search_municipalities(query: str = "", land: str | None = None, size: SizeClass | None = None):
    """Select Gemeinden matching a name, a PLZ prefix or an AGS prefix, with optional filters.

    Names match folded (umlauts, ae/oe/ue and ß alike), every word as a substring, names that
    start with the query first; without a query the largest Gemeinden come first.
    """
    largest_first = (Municipality.population.desc().nulls_last(), Municipality.name, Municipality.ags)
    select = sa.select(Municipality).options(selectinload(Municipality.kreis))
    if land:
        select = select.where(Municipality.land_key == land)
    if size is not None:
        select = select.where(Municipality.population >= size.minimum)
        if size.maximum is not None:
            select = select.where(Municipality.population <= size.maximum)
    query = query.strip()
    digits = query.replace(" ", "")
    if digits.isdigit():
        matches = Municipality.ags.startswith(digits) | Municipality.postal_code.startswith(digits)
        return select.where(matches).order_by((Municipality.ags == digits).desc(), *largest_first)
    folded = fold(query)
    for word in folded.split():
        select = select.where(Municipality.search_name.contains(word, autoescape=True))
    starts = sa.case((Municipality.search_name.startswith(folded, autoescape=True), 0), else_=1)
    return select.order_by(starts, *largest_first) if folded else select.order_by(*largest_first)
