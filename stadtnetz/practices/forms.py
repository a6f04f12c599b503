"""Forms of the practice pages. Key figures and partners are lists of rows that work without
JavaScript: the form always shows a few empty rows, and "Weitere Zeile" adds more."""

import re
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    EmailField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from .models import SECTIONS
from .services import LICENCES, SECTION_FIELDS, SIMPLE_FIELDS
from .topics import ADOPTION_LABELS, STATUS_LABELS, Topic

EMPTY_ROWS = 2
_NUMBER = re.compile(r"^-?\d+(?:[.,]\d+)?$")


def _at_most(length: int) -> Length:
    return Length(max=length, message=_l("Bitte höchstens %(max)d Zeichen eingeben."))


def _euro():
    return [Optional(), NumberRange(min=0, message=_l("Bitte geben Sie einen Betrag ab 0 Euro an."))]


def _number(_form, field) -> None:
    """A number as Germans write it: 12,5 or 12.5."""
    if field.data and not _NUMBER.match(field.data.strip()):
        raise ValidationError(_l("Bitte geben Sie eine Zahl an, z. B. 12,5."))


class MultiCheckboxField(SelectMultipleField):
    """Several choices as a list of checkboxes (rendered inside a fieldset with a legend)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class KeyFigureForm(Form):
    """One key figure row."""

    # No Optional() here: it would stop the chain before validate_name checks the row.
    name = StringField(_l("Kennzahl"), validators=[_at_most(200)])
    before = StringField(_l("Vorher"), validators=[Optional(), _number])
    after = StringField(_l("Nachher"), validators=[Optional(), _number])
    unit = StringField(_l("Einheit"), validators=[Optional(), _at_most(40)])
    measured_on = DateField(_l("Gemessen am"), validators=[Optional()])

    def validate_name(self, field) -> None:
        if not field.data and any([self.before.data, self.after.data, self.unit.data, self.measured_on.data]):
            raise ValidationError(_l("Bitte geben Sie der Kennzahl einen Namen."))


class PartnerForm(Form):
    """One partner row."""

    name = StringField(_l("Partner"), validators=[_at_most(200)])
    role = StringField(_l("Rolle im Projekt"), validators=[Optional(), _at_most(200)])

    def validate_name(self, field) -> None:
        if not field.data and self.role.data:
            raise ValidationError(_l("Bitte geben Sie den Namen des Partners an."))


class PracticeForm(FlaskForm):
    """Everything about a practice, in the order the page shows it."""

    title = StringField(_l("Titel"), validators=[DataRequired(_l("Bitte geben Sie einen Titel an.")),
                                                 _at_most(200)])
    teaser = TextAreaField(_l("Kurzbeschreibung"), validators=[Optional(), _at_most(500)],
                           description=_l("Zwei, drei Sätze für Listen und Suchergebnisse; "
                                          "höchstens 500 Zeichen."))
    situation = TextAreaField(SECTIONS[0][1], validators=[Optional(), _at_most(20000)],
                              description=_l("Welches Problem gab es? Markdown ist erlaubt."))
    implementation = TextAreaField(SECTIONS[1][1], validators=[Optional(), _at_most(20000)],
                                   description=_l("Was haben Sie getan, mit wem, in welchen Schritten?"))
    results = TextAreaField(SECTIONS[2][1], validators=[Optional(), _at_most(20000)],
                            description=_l("Was ist herausgekommen?"))
    lessons = TextAreaField(SECTIONS[3][1], validators=[Optional(), _at_most(20000)],
                            description=_l("Was würden Sie heute anders machen?"))
    transferability = TextAreaField(SECTIONS[4][1], validators=[Optional(), _at_most(20000)],
                                    description=_l("Was braucht eine andere Kommune, um das zu übernehmen?"))
    topics = MultiCheckboxField(_l("Handlungsfelder"), choices=[SelectChoice(t.slug, t.label) for t in Topic],
                                validators=[Optional()])
    tags = StringField(_l("Schlagwörter"), validators=[Optional(), _at_most(500)],
                       description=_l("Durch Kommas getrennt, z. B. Pop-up-Store, Leerstandskataster."))
    status = SelectField(_l("Stand des Projekts"),
                         choices=[SelectChoice(s.value, label) for s, label in STATUS_LABELS.items()])
    started_on = DateField(_l("Beginn"), validators=[Optional()])
    ended_on = DateField(_l("Ende"), validators=[Optional()])
    total_cost = IntegerField(_l("Gesamtkosten (Euro)"), validators=_euro())
    funding_programme = StringField(_l("Förderprogramm"), validators=[Optional(), _at_most(200)],
                                    description=_l("Zum Beispiel „Zukunftsfähige Innenstädte und Zentren“."))
    funding_amount = IntegerField(_l("Fördersumme (Euro)"), validators=_euro())
    own_share = IntegerField(_l("Eigenanteil (Euro)"), validators=_euro())
    key_figures = FieldList(FormField(KeyFigureForm), min_entries=EMPTY_ROWS + 1)
    partners = FieldList(FormField(PartnerForm), min_entries=EMPTY_ROWS + 1)
    contact_name = StringField(_l("Ansprechperson"), validators=[Optional(), _at_most(120)])
    contact_role = StringField(_l("Funktion der Ansprechperson"), validators=[Optional(), _at_most(120)])
    contact_email = EmailField(_l("E-Mail-Adresse der Ansprechperson"), validators=[
        Optional(), _at_most(254), Email(_l("Bitte geben Sie eine gültige E-Mail-Adresse an."))])
    contact_phone = StringField(_l("Telefon der Ansprechperson"), validators=[Optional(), _at_most(40)])
    licence = SelectField(_l("Lizenz"), choices=[SelectChoice(key, label) for key, label in LICENCES.items()],
                          description=_l("Unter dieser Lizenz dürfen andere Ihren Text weiterverwenden."))

    ROW_LISTS = ("key_figures", "partners")

    def add_row(self, name: str) -> None:
        """Show one more empty row in the list ``name`` ("Weitere Zeile", without JavaScript)."""
        if name in self.ROW_LISTS:
            self[name].append_entry()

    def service_data(self) -> dict:
        """The form's values as ``create_practice``/``update_practice`` take them."""
        data = {name: field.data for name, field in self._fields.items()
                if name not in ("csrf_token", *self.ROW_LISTS)}
        data["key_figures"] = [
            {**row, "before": _decimal(row["before"]), "after": _decimal(row["after"])}
            for row in self.key_figures.data if row["name"]
        ]
        data["partners"] = [row for row in self.partners.data if row["name"]]
        return data

    def error_list(self) -> list[tuple[str, str, str]]:
        """Every error as (field id, label, message), rows included, for the error summary."""
        errors = [("", "", message) for message in self.form_errors]
        for field in self:
            if field.name in self.ROW_LISTS:
                for number, entry in enumerate(field, start=1):
                    errors += [(sub.id, f"{sub.label.text} ({number})", message)
                               for sub in entry.form for message in sub.errors]
            elif field.type != "CSRFTokenField":
                errors += [(field.id, field.label.text, message) for message in field.errors]
        return errors


def _decimal(text: str | None) -> Decimal | None:
    return Decimal(text.strip().replace(",", ".")) if text else None


def practice_form_data(practice) -> dict:
    """A stored practice as the form's initial data, with a few empty rows to fill in."""
    data = {name: getattr(practice, name) for name in SIMPLE_FIELDS + SECTION_FIELDS}
    data["status"] = practice.status.value
    data["topics"] = [row.topic for row in practice.topic_rows]
    data["tags"] = ", ".join(practice.tags or [])
    data["key_figures"] = [
        {"name": f.name, "before": _plain(f.before), "after": _plain(f.after), "unit": f.unit,
         "measured_on": f.measured_on}
        for f in practice.key_figures
    ] + [{}] * EMPTY_ROWS
    data["partners"] = [{"name": p.name, "role": p.role} for p in practice.partners] + [{}] * EMPTY_ROWS
    return data


def _plain(value: Decimal | None) -> str:
    """A stored figure without trailing zeros, with a German decimal comma."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


class SharedPageForm(FlaskForm):
    """A form that shares the practice page with others (and with later modules' sections):
    its field names and ids start with ``PREFIX``, so none of them clash."""

    PREFIX = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", self.PREFIX)
        super().__init__(*args, **kwargs)


class FollowUpForm(SharedPageForm):
    """A dated note on what happened since (Fortschreibung)."""

    PREFIX = "follow_up"
    noted_on = DateField(_l("Stand vom"), validators=[DataRequired(_l("Bitte geben Sie ein Datum an."))])
    body = TextAreaField(_l("Was hat sich getan?"), validators=[
        DataRequired(_l("Bitte schreiben Sie, was sich getan hat.")), _at_most(5000)],
        description=_l("Zum Beispiel: Wie steht das Projekt zwölf Monate später da? Markdown ist erlaubt."))


class AdoptionForm(SharedPageForm):
    """Record that one's organisation took the practice over or was inspired by it."""

    PREFIX = "adoption"
    organisation = SelectField(_l("Für welche Organisation?"), coerce=int, choices=[])
    kind = RadioField(_l("Was haben Sie damit gemacht?"),
                      choices=[SelectChoice(k.value, label) for k, label in ADOPTION_LABELS.items()],
                      validators=[DataRequired(_l("Bitte wählen Sie eine Antwort."))])
    note = TextAreaField(_l("Kurze Notiz (optional)"), validators=[Optional(), _at_most(500)],
                         description=_l("Was haben Sie übernommen oder angepasst? Höchstens 500 Zeichen."))

    def offer(self, organisations) -> None:
        """Let the user choose among ``organisations`` (theirs that may still record one)."""
        self.organisation.choices = [SelectChoice(o.id, o.name) for o in organisations]


class AttachmentForm(SharedPageForm):
    """Upload a PDF or an image."""

    PREFIX = "attachment"
    file = FileField(_l("Datei (PDF oder Bild)"),
                     validators=[FileRequired(_l("Bitte wählen Sie eine Datei aus."))])
    title = StringField(_l("Beschreibung der Datei (optional)"), validators=[Optional(), _at_most(200)],
                        description=_l("Für Bilder: was darauf zu sehen ist."))


class ActionForm(FlaskForm):
    """A button that changes something (publish, archive, delete): only the CSRF token."""


class BrowseForm(FlaskForm):
    """Search words and sort order of the browse page (a GET form without CSRF token)."""

    class Meta:
        csrf = False

    q = StringField(_l("Suchbegriffe"), validators=[Optional(), _at_most(200)])
    sort = SelectField(_l("Sortierung"), choices=[
        SelectChoice("relevance", _l("Relevanz")), SelectChoice("newest", _l("Neueste zuerst")),
        SelectChoice("title", _l("Titel")), SelectChoice("cost", _l("Höchste Kosten zuerst")),
    ], validators=[Optional()])
