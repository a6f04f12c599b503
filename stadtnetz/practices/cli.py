"""``flask practices import DIR``: publish the Markdown project descriptions of the
*Datenprojekte* corpus (or any directory of the same format) as practices.

Idempotent: a practice is found again by the source URL its credit paragraph names (the line
CC BY asks for, written under the text by the importer), updated only where the file now says
something else, and never created twice; a second run of the same files writes nothing.
Unusable files (a file without a source among them) are reported with their name and skipped.
The whole run is one transaction, committed at the end.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from ..accounts.models import Organisation, OrganisationType
from ..accounts.organisations import organisation_by_slug, slugify
from ..cli import fail
from ..errors import Invalid
from ..extensions import db
from . import services
from .importer import (
    CREDIT_MARK,
    STATUS_MAP,
    Project,
    ProjectFileError,
    credited_source,
    practice_fields,
    read_directory,
)
from .models import Practice

CORPUS_ORGANISATION = "Datenprojekte-Korpus (CC BY 4.0)"
CORPUS_DESCRIPTION = (
    "Beschreibungen gemeinwohlorientierter Daten- und Civic-Tech-Projekte in Deutschland, "
    "übernommen von codefor.de, correlaid.org und publicinterest.ai unter CC BY 4.0. "
    "Jedes Praxisbeispiel nennt seine Quelle."
)
PROGRESS_EVERY = 50

practices_cli = AppGroup("practices", help="Praxisbeispiele verwalten.")


@dataclass
class ImportSummary:
    """What an import did: counts, and each skipped file with the reason."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)
    unknown_status: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + len(self.skipped)


def corpus_organisation() -> Organisation:
    """The organisation imported corpus texts are published under, created if missing."""
    slug = slugify(CORPUS_ORGANISATION)
    organisation = organisation_by_slug(slug)
    if organisation is None:
        organisation = Organisation(name=CORPUS_ORGANISATION, slug=slug, type=OrganisationType.WISSENSCHAFT,
                                    description=CORPUS_DESCRIPTION, website="")
        db.session.add(organisation)
        db.session.flush()
    return organisation


def practice_data(project: Project) -> dict[str, Any]:
    """The ``data`` of ``create_practice``/``update_practice`` for a project."""
    fields = practice_fields(project)
    data = {
        "title": fields.title, "teaser": fields.teaser, "situation": fields.situation,
        "implementation": fields.implementation,
        # Sorted as the practice keeps them, so an unchanged file compares equal.
        "topics": sorted(topic.slug for topic in fields.topics),
        "tags": list(fields.tags), "licence": fields.licence,
        "partners": [{"name": name, "role": ""} for name in fields.partners],
    }
    if fields.status is not None:
        data["status"] = fields.status
    return data


def changes(practice: Practice, data: dict[str, Any]) -> dict[str, Any]:
    """The keys of ``data`` whose values differ from what ``practice`` holds."""
    current = services.snapshot(practice)
    return {key: value for key, value in data.items() if current.get(key) != value}


def imported_practices() -> dict[str, Practice]:
    """The practices imported before, by the source URL their credit paragraph names."""
    query = sa.select(Practice).where(Practice.implementation.contains(CREDIT_MARK))
    return {source: p for p in db.session.scalars(query) if (source := credited_source(p.implementation))}


def import_project(project: Project, organisation: Organisation, known: dict[str, Practice]) -> str:
    """Create and publish, or update, the practice of one project; say which ("created",
    "updated", "unchanged"). Raises ``Invalid`` when the practice cannot be published."""
    data = practice_data(project)
    practice = known.get(project.source_url)
    if practice is None:
        practice = services.create_practice(None, organisation, data)
        try:
            services.publish_practice(None, practice)
        except Invalid:
            db.session.delete(practice)
            db.session.flush()
            raise
        known[project.source_url] = practice
        return "created"
    changed = changes(practice, data)
    if not changed:
        return "unchanged"
    services.update_practice(None, practice, changed)
    return "updated"


def import_directory(directory: Path, organisation: Organisation,
                     progress: Callable[[int], None] | None = None) -> ImportSummary:
    """Import every ``*.md`` file of ``directory`` into ``organisation``; the caller commits."""
    summary = ImportSummary()
    known = imported_practices()
    for n, item in enumerate(read_directory(directory), 1):
        if isinstance(item, ProjectFileError):
            summary.skipped.append(str(item))
        else:
            try:
                outcome = import_project(item, organisation, known)
            except Invalid as error:
                summary.skipped.append(f"{item.file_name}: {error}")
            else:
                setattr(summary, outcome, getattr(summary, outcome) + 1)
                summary.unknown_status += outcome == "created" and item.status not in STATUS_MAP
        if progress and n % PROGRESS_EVERY == 0:
            progress(n)
    return summary


@practices_cli.command("import")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--organisation", "slug", metavar="SLUG",
              help=f"Kurzname der Organisation, unter der veröffentlicht wird "
                   f"(Standard: „{CORPUS_ORGANISATION}“).")
def import_command(directory: Path, slug: str | None) -> None:
    """Projektbeschreibungen (Markdown, Format des Korpus „Datenprojekte“) als Praxisbeispiele
    veröffentlichen. Ein zweiter Lauf aktualisiert, was sich geändert hat, und legt nichts doppelt an."""
    if not directory.is_dir():
        fail(f"{directory} ist kein Verzeichnis.")
    if slug:
        organisation = organisation_by_slug(slug) or fail(f"Keine Organisation mit dem Kurznamen „{slug}“.")
    else:
        organisation = corpus_organisation()
    files = len(list(directory.glob("*.md")))
    click.echo(f"Importiere {files} Dateien aus {directory} nach „{organisation.name}“ …")
    started = time.perf_counter()
    summary = import_directory(directory, organisation, lambda n: click.echo(f"  {n}/{files} …"))
    db.session.commit()
    report(summary, time.perf_counter() - started)


def report(summary: ImportSummary, seconds: float) -> None:
    """Print the summary of an import: counts, skipped files with reasons, duration."""
    click.echo(f"Fertig in {seconds:.1f} s: {summary.created} neu, {summary.updated} aktualisiert, "
               f"{summary.unchanged} unverändert, {len(summary.skipped)} übersprungen.")
    if summary.unknown_status:
        click.echo(f"  {summary.unknown_status} ohne bekannten Projektstand: als „Umsetzung“ eingetragen.")
    for reason in summary.skipped:
        click.echo(f"  übersprungen: {reason}", err=True)
