"""Open data: every published practice as JSON and as CSV, with its licence and source link in
each row and the dataset's licence in the document (JSON) and the ``Link`` header (both), plus
a page that explains the fields. Drafts and archived practices are never part of it.

Both downloads are streamed row by row from a query read in batches, so their size does not
depend on memory. Contact persons are left out: they are personal data, not open data.
"""

import csv
import io
import json
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import Response, current_app, render_template, stream_with_context, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from ..accounts.models import Organisation
from ..database import utcnow
from ..extensions import db
from . import bp, queries
from .importer import credit_of
from .models import Practice
from .services import LICENCES

#: Rows read from the database at a time while streaming.
BATCH = 200
DATASET_LICENCE = "CC-BY-4.0"
LICENCE_URLS = {
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/deed.de",
    "CC-BY-SA-4.0": "https://creativecommons.org/licenses/by-sa/4.0/deed.de",
    "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/deed.de",
}

#: Every column of a row, in order, with what it means (shown on the explanation page).
FIELDS = (
    ("id", _l("Nummer des Praxisbeispiels auf dieser Plattform")),
    ("url", _l("Adresse des Praxisbeispiels auf dieser Plattform")),
    ("title", _l("Titel")),
    ("teaser", _l("Kurzbeschreibung (höchstens 500 Zeichen)")),
    ("situation", _l("Ausgangslage (Markdown)")),
    ("implementation", _l("Umsetzung (Markdown)")),
    ("results", _l("Ergebnisse (Markdown)")),
    ("lessons", _l("Was nicht funktioniert hat (Markdown)")),
    ("transferability", _l("Übertragbarkeit (Markdown)")),
    ("topics", _l("Handlungsfelder (Kürzel, z. B. leerstand)")),
    ("tags", _l("Schlagwörter")),
    ("status", _l("Stand des Projekts: idee, planung, umsetzung, verstetigt oder eingestellt")),
    ("started_on", _l("Beginn (JJJJ-MM-TT)")),
    ("ended_on", _l("Ende (JJJJ-MM-TT)")),
    ("total_cost", _l("Gesamtkosten in Euro")),
    ("funding_programme", _l("Förderprogramm")),
    ("funding_amount", _l("Fördersumme in Euro")),
    ("own_share", _l("Eigenanteil in Euro")),
    ("key_figures", _l("Kennzahlen: Name, vorher, nachher, Einheit, Datum (in der CSV-Datei als JSON)")),
    ("partners", _l("Partnerorganisationen")),
    ("organisation", _l("Organisation, die das Praxisbeispiel veröffentlicht hat")),
    ("municipality", _l("Kommune")),
    ("ags", _l("Amtlicher Gemeindeschlüssel der Kommune")),
    ("land", _l("Schlüssel des Landes (zweistellig)")),
    ("published_at", _l("Veröffentlicht am (UTC, ISO 8601)")),
    ("updated_at", _l("Zuletzt geändert am (UTC, ISO 8601)")),
    ("licence", _l("Lizenz des Praxisbeispiels (SPDX-Kürzel)")),
    ("licence_url", _l("Adresse des Lizenztextes")),
    ("attribution", _l("Namensnennung, die die Lizenz verlangt")),
    ("source_url", _l("Quelle: wo der Text ursprünglich steht (sonst die Adresse auf dieser Plattform)")),
)
COLUMNS = tuple(name for name, _meaning in FIELDS)


def practice_row(practice: Practice) -> dict[str, Any]:
    """One practice as a row of open data, in the order of ``FIELDS`` (lists and numbers as they
    are); a column not computed here is the practice's attribute of that name."""
    url = current_app.config["BASE_URL"] + practice.url
    municipality = practice.municipality
    attribution, source_url = credit_of(practice.implementation) or (
        f"„{practice.title}“, {practice.organisation.name}", url)
    derived = {
        "url": url,
        "topics": [topic.slug for topic in practice.topics],
        "tags": list(practice.tags or []),
        "status": practice.status.value,
        "key_figures": [
            {"name": f.name, "before": f.before, "after": f.after, "unit": f.unit,
             "measured_on": f.measured_on}
            for f in practice.key_figures
        ],
        "partners": [partner.name for partner in practice.partners],
        "organisation": practice.organisation.name,
        "municipality": municipality.name if municipality else None,
        "ags": municipality.ags if municipality else None,
        "land": practice.land_key,
        "licence_url": LICENCE_URLS.get(practice.licence, ""),
        "attribution": attribution,
        "source_url": source_url,
    }
    return {name: derived[name] if name in derived else getattr(practice, name) for name in COLUMNS}


def plain(value: Any) -> Any:
    """JSON for what a row holds: dates as ISO 8601, decimals as numbers."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"not JSON serialisable: {value!r}")


def published_practices() -> Iterator[Practice]:
    """Every published practice, read in batches with what a row needs loaded alongside."""
    query = queries.published().options(
        selectinload(Practice.organisation).selectinload(Organisation.municipality),
        selectinload(Practice.topic_rows),
        selectinload(Practice.key_figures), selectinload(Practice.partners),
    ).execution_options(yield_per=BATCH)
    yield from db.session.scalars(query)


def dataset_header() -> dict[str, Any]:
    """What the dataset as a whole says about itself: title, licence, source, date."""
    return {
        "title": str(_l("Praxisbeispiele auf Stadtnetz")),
        "source": current_app.config["BASE_URL"] + url_for("practices.opendata"),
        "licence": DATASET_LICENCE,
        "licence_url": LICENCE_URLS[DATASET_LICENCE],
        "licence_note": str(_l("Jedes Praxisbeispiel steht unter der Lizenz seiner Zeile; "
                               "nennen Sie dann die dort angegebene Namensnennung.")),
        "generated_at": utcnow().isoformat(),
        "fields": list(COLUMNS),
    }


def json_chunks() -> Iterator[str]:
    """The JSON document in pieces: the dataset header, then one practice at a time."""
    header = json.dumps(dataset_header(), ensure_ascii=False)
    yield header[:-1] + ', "practices": ['
    for n, practice in enumerate(published_practices()):
        row = json.dumps(practice_row(practice), ensure_ascii=False, default=plain)
        yield ("," if n else "") + "\n" + row
    yield "\n]}\n"


def csv_cell(value: Any) -> Any:
    """A CSV cell: lists of words joined by "; ", key figures as JSON, empty for none."""
    if value is None:
        return ""
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return json.dumps(value, ensure_ascii=False, default=plain)
        return "; ".join(value)
    return plain(value) if isinstance(value, datetime | date | Decimal) else value


def csv_chunks() -> Iterator[str]:
    """The CSV file in pieces: a byte-order mark (so spreadsheet programs read UTF-8), the
    header, then one practice per line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    yield "\ufeff" + buffer.getvalue()
    for practice in published_practices():
        buffer.seek(0)
        buffer.truncate()
        row = practice_row(practice)
        writer.writerow([csv_cell(row[name]) for name in COLUMNS])
        yield buffer.getvalue()


def download(chunks: Iterator[str], mimetype: str, filename: str) -> Response:
    """A streamed download that names the dataset's licence in a ``Link`` header."""
    response = Response(stream_with_context(chunks), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Link"] = f'<{LICENCE_URLS[DATASET_LICENCE]}>; rel="license"'
    return response


@bp.route("/praxisbeispiele/offene-daten")
def opendata():
    """The page that explains the downloads, their fields and their licence."""
    return render_template("practices/opendata.html", fields=FIELDS, licences=LICENCES,
                           licence_urls=LICENCE_URLS, dataset_licence=DATASET_LICENCE)


@bp.route("/praxisbeispiele/offene-daten/praxisbeispiele.json")
def opendata_json():
    """Every published practice as one JSON document."""
    return download(json_chunks(), "application/json", "praxisbeispiele.json")


@bp.route("/praxisbeispiele/offene-daten/praxisbeispiele.csv")
def opendata_csv():
    """Every published practice as CSV (comma separated, UTF-8)."""
    return download(csv_chunks(), "text/csv", "praxisbeispiele.csv")
