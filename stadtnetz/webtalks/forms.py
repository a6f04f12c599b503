"""Forms of the webtalk pages: planning a talk, and the one-button forms (register, cancel…)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from .models import ACCESS_LABELS

BERLIN = ZoneInfo("Europe/Berlin")
REQUIRED = _l("Bitte füllen Sie dieses Feld aus.")


def to_utc(local: datetime) -> datetime:
    """A time entered in Berlin (the form's ``datetime-local``) as UTC."""
    return local.replace(tzinfo=BERLIN).astimezone(UTC)


def to_local(moment: datetime) -> datetime:
    """A stored UTC time as the naive Berlin time a ``datetime-local`` field shows."""
    return moment.astimezone(BERLIN).replace(tzinfo=None)


class TalkForm(FlaskForm):
    group = SelectField(_l("Arbeitsgruppe"), coerce=int, validators=[DataRequired(REQUIRED)])
    title = StringField(_l("Titel"), validators=[DataRequired(REQUIRED), Length(max=200)])
    description = TextAreaField(
        _l("Beschreibung"),
        validators=[Optional(), Length(max=10000)],
        description=_l("Formatierung mit Markdown: **fett**, *kursiv*, - Liste."),
        render_kw={"rows": 8},
    )
    starts_at = DateTimeLocalField(
        _l("Beginn (Berliner Zeit)"),
        format="%Y-%m-%dT%H:%M",
        validators=[DataRequired(_l("Bitte geben Sie Datum und Uhrzeit an."))],
    )
    ends_at = DateTimeLocalField(
        _l("Ende (Berliner Zeit)"),
        format="%Y-%m-%dT%H:%M",
        validators=[DataRequired(_l("Bitte geben Sie Datum und Uhrzeit an."))],
    )
    speakers = TextAreaField(
        _l("Referentinnen und Referenten"),
        validators=[Optional(), Length(max=2000)],
        render_kw={"rows": 3},
        description=_l(
            "Eine Person pro Zeile: die E-Mail-Adresse eines Stadtnetz-Kontos oder der Name eines Gastes."
        ),
    )
    capacity = IntegerField(
        _l("Plätze"),
        validators=[Optional(), NumberRange(min=1, message=_l("Mindestens 1."))],
        description=_l("Leer lassen, wenn die Zahl der Plätze nicht begrenzt ist."),
    )
    access = RadioField(
        _l("Wer kann teilnehmen?"),
        default="public",
        choices=[SelectChoice(a.value, label) for a, label in ACCESS_LABELS.items()],
    )
    stage_url = URLField(
        _l("Bühne (Adresse der Videokonferenz oder des Streams)"),
        validators=[Optional(), Length(max=500)],
        description=_l("Zum Beispiel ein Jitsi-, BigBlueButton-, PeerTube- oder Owncast-Raum."),
    )
    anonymous_questions = BooleanField(_l("Anonyme Fragen erlauben"))
    practices = SelectMultipleField(_l("Verknüpfte Praxisbeispiele"), coerce=int, validators=[Optional()])


class ActionForm(FlaskForm):
    """A form with only its CSRF token, for buttons that change something."""
