"""Readable differences between two revisions of a practice: per field, word by word (difflib).

The template shows removed words in ``<del>`` and added ones in ``<ins>``, each with a visually
hidden "entfernt:"/"hinzugefügt:" so the meaning does not depend on colour or strike-through.
"""

import difflib
import re
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from .models import SECTIONS
from .topics import PracticeStatus, Topic

FIELD_LABELS = (
    ("title", _l("Titel")),
    ("teaser", _l("Kurzbeschreibung")),
    *SECTIONS,
    ("topics", _l("Handlungsfelder")),
    ("tags", _l("Schlagwörter")),
    ("status", _l("Stand des Projekts")),
    ("started_on", _l("Beginn")),
    ("ended_on", _l("Ende")),
    ("total_cost", _l("Gesamtkosten (Euro)")),
    ("funding_programme", _l("Förderprogramm")),
    ("funding_amount", _l("Fördersumme (Euro)")),
    ("own_share", _l("Eigenanteil (Euro)")),
    ("key_figures", _l("Kennzahlen")),
    ("partners", _l("Partner")),
    ("contact_name", _l("Ansprechperson")),
    ("contact_role", _l("Funktion der Ansprechperson")),
    ("contact_email", _l("E-Mail-Adresse der Ansprechperson")),
    ("contact_phone", _l("Telefon der Ansprechperson")),
    ("licence", _l("Lizenz")),
)
_TOKENS = re.compile(r"\s+|[^\s]+")
NOT_GIVEN = "\N{EN DASH}"


@dataclass
class FieldChange:
    """One changed field: its label and the diff as (operation, text) pieces."""

    label: str
    pieces: list[tuple[str, str]]


def as_text(key: str, value: Any) -> str:
    """A snapshot value as the text a reader compares."""
    if value in (None, "", []):
        return ""
    if key == "topics":
        return ", ".join(str(topic.label) if (topic := Topic.by_slug(slug)) else slug for slug in value)
    if key == "tags":
        return ", ".join(value)
    if key == "status":
        return PracticeStatus(value).label
    if key == "key_figures":
        return "\n".join(
            f"{row['name']}: {row['before'] or NOT_GIVEN} → {row['after'] or NOT_GIVEN} {row['unit']}"
            f"{' (' + row['measured_on'] + ')' if row['measured_on'] else ''}".strip()
            for row in value
        )
    if key == "partners":
        return "\n".join(f"{row['name']} ({row['role']})" if row["role"] else row["name"] for row in value)
    return str(value)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Pieces tagged ``equal``, ``delete`` or ``insert`` that turn ``old`` into ``new``."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    pieces = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            pieces.append(("equal", "".join(a[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            pieces.append(("delete", "".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            pieces.append(("insert", "".join(b[j1:j2])))
    return pieces


def changes(old: dict | None, new: dict) -> list[FieldChange]:
    """The fields that differ between two snapshots (``old`` None: the first revision)."""
    old = old or {}
    result = []
    for key, label in FIELD_LABELS:
        before, after = as_text(key, old.get(key)), as_text(key, new.get(key))
        if before != after:
            result.append(FieldChange(str(label), word_diff(before, after)))
    return result
