"""Forms of the search pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from .synonyms import key


def _two_phrases(_form, field) -> None:
    if len({key(line) for line in field.data.splitlines() if key(line)}) < 2:
        raise ValidationError(_l("Bitte geben Sie mindestens zwei verschiedene Begriffe an."))


class SynonymGroupForm(FlaskForm):
    """A new group of words or phrases that mean the same."""

    terms = TextAreaField(
        _l("Begriffe"),
        description=_l("Ein Wort oder eine Wortgruppe pro Zeile, "
                       "z. B. „Zwischennutzung“ und „Pop-up-Store“."),
        validators=[DataRequired(_l("Bitte geben Sie die Begriffe an.")), Length(max=2000), _two_phrases],
    )


class DeleteForm(FlaskForm):
    """A button with a CSRF token."""
