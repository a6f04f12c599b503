"""``flask directory import FILE…``: load the official municipality files into the directory.

Every file is read and recognised before anything is written, so an unknown or unreadable
file stops the run with exit code 1 and changes nothing. Malformed lines are reported with
file name and line number and skipped; the run still succeeds with the rest.
"""

import time
from pathlib import Path

import click
from babel.numbers import format_decimal
from flask.cli import AppGroup
from sqlalchemy.exc import SQLAlchemyError

from ..cli import fail
from ..extensions import db
from . import services
from .importer import Catalogue, ImportFileError, open_source

directory_cli = AppGroup("directory", help="Das Gemeindeverzeichnis verwalten.")


def number(value: int | float) -> str:
    """A number written the German way (11.008; 2,3), like the rest of the German output."""
    return format_decimal(value, format="#,##0.#", locale="de")


@directory_cli.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def import_files(files: tuple[Path, ...]) -> None:
    """Gemeindeverzeichnis (GV-ISys), Zensus-2022-Bevölkerung und Länderliste importieren.

    Das Format jeder Datei wird an der Kopfzeile erkannt; mehrere Dateien werden über den
    Gemeindeschlüssel (AGS) verknüpft. Ein zweiter Lauf mit denselben Dateien ändert nichts.
    """
    started = time.perf_counter()
    sources, problems = [], []
    for path in files:
        try:
            sources.append(open_source(path))
        except ImportFileError as error:
            problems.append(str(error))
    if problems:
        fail("\n".join(problems) + "\nEs wurde nichts importiert.")

    catalogue, skipped = Catalogue(), 0
    for source in sources:
        click.echo(f"Lese {source.path.name} ({source.format.label}) …")
        report = catalogue.read(source)
        for error in report.errors:
            click.echo(f"  übersprungen: {error}", err=True)
        skipped += len(report.errors)
        note = f"; {source.format.note}" if source.format.note else ""
        click.echo(
            f"  {number(report.kreise)} Kreise, {number(report.municipalities)} Gemeinden, "
            f"{number(len(report.errors))} Zeilen übersprungen{note}"
        )

    click.echo(f"Schreibe {number(len(catalogue.municipalities))} Gemeinden in die Datenbank …")
    try:
        result = services.import_catalogue(catalogue)
        db.session.commit()
        total, with_population = services.count_with_population()
    except SQLAlchemyError as error:
        db.session.rollback()
        reason = getattr(error, "orig", None) or error
        fail(f"Die Datenbank hat den Import abgelehnt ({type(error).__name__}: {reason}). "
             "Ist sie mit „flask --app stadtnetz db upgrade“ eingerichtet?")

    for label, counts in (("Kreise", result.kreise), ("Gemeinden", result.municipalities)):
        click.echo(
            f"{label}: {number(counts.created)} neu, {number(counts.updated)} geändert, "
            f"{number(counts.unchanged)} unverändert"
        )
    click.echo(f"Übersprungen: {number(skipped)} fehlerhafte Zeilen")
    click.echo(
        f"Im Verzeichnis: {number(total)} Gemeinden, davon {number(with_population)} mit Einwohnerzahl "
        f"· Dauer {number(round(time.perf_counter() - started, 1))} s"
    )
