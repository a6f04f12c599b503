"""Forms of the forum pages. Post forms have two buttons: "Vorschau" shows the rendered text
on the same page (no JavaScript needed), the other one saves."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from .activity_models import MAIL_MODE_LABELS, WATCH_LEVEL_LABELS
from .models import VISIBILITY_LABELS

MARKDOWN_HINT = _l(
    "Formatierung mit Markdown: **fett**, *kursiv*, > Zitat, - Liste. "
    "Erwähnen Sie Personen oder Organisationen mit @[Name]."
)


def _at_most(length: int) -> Length:
    return Length(max=length, message=_l("Bitte höchstens %(max)d Zeichen eingeben."))


FILL_IN = _l("Bitte füllen Sie dieses Feld aus.")


def _required(message=FILL_IN) -> DataRequired:
    return DataRequired(message=message)


class GroupForm(FlaskForm):
    name = StringField(_l("Name"), validators=[_required(), _at_most(200)])
    description = TextAreaField(_l("Beschreibung"), validators=[Optional(), _at_most(5000)])
    visibility = RadioField(
        _l("Sichtbarkeit"),
        choices=[SelectChoice(v.value, label) for v, label in VISIBILITY_LABELS.items()],
        default="public",
    )


class JoinForm(FlaskForm):
    message = TextAreaField(
        _l("Nachricht an die Moderation (freiwillig)"),
        validators=[Optional(), _at_most(1000)],
        description=_l("Zum Beispiel Ihre Funktion und warum Sie mitarbeiten möchten."),
    )


def _practices_field() -> TextAreaField:
    return TextAreaField(
        _l("Verknüpfte Praxisbeispiele (freiwillig)"),
        validators=[Optional(), _at_most(5000)],
        description=_l(
            "Adressen oder Nummern veröffentlichter Praxisbeispiele, eine je Zeile, "
            "z. B. https://stadtnetz.example/praxisbeispiele/12-pop-up-stores oder 12."
        ),
        render_kw={"rows": 3},
    )


class ThreadForm(FlaskForm):
    title = StringField(_l("Titel"), validators=[_required(), _at_most(200)])
    body = TextAreaField(
        _l("Beitrag"),
        validators=[_required(_l("Bitte schreiben Sie einen Text."))],
        description=MARKDOWN_HINT,
        render_kw={"rows": 10, "data-mentions": ""},
    )
    practices = _practices_field()


class EditThreadForm(FlaskForm):
    title = StringField(_l("Titel"), validators=[_required(), _at_most(200)])
    practices = _practices_field()


class PostForm(FlaskForm):
    body = TextAreaField(
        _l("Beitrag"),
        validators=[_required(_l("Bitte schreiben Sie einen Text."))],
        description=MARKDOWN_HINT,
        render_kw={"rows": 10, "data-mentions": ""},
    )
    reply_to = HiddenField()


class FlagForm(FlaskForm):
    reason = TextAreaField(
        _l("Warum melden Sie diesen Beitrag?"),
        validators=[_required(), _at_most(1000)],
        description=_l(
            "Die Moderation sieht Ihre Meldung und Ihren Namen, die Autorin oder der Autor nicht."
        ),
    )


class ModeratePostForm(FlaskForm):
    action = HiddenField(validators=[_required()])
    reason = StringField(_l("Grund"), validators=[Optional(), _at_most(1000)])


class MoveForm(FlaskForm):
    group = SelectField(_l("Neue Arbeitsgruppe"), coerce=int, validators=[_required()])
    reason = StringField(_l("Grund (freiwillig)"), validators=[Optional(), _at_most(1000)])


class WatchForm(FlaskForm):
    level = SelectField(
        _l("Benachrichtigungen"),
        choices=[SelectChoice(v.value, label) for v, label in WATCH_LEVEL_LABELS.items()],
    )


class MailSettingsForm(FlaskForm):
    mail_mode = RadioField(
        _l("E-Mails zu Benachrichtigungen"),
        choices=[SelectChoice(v.value, label) for v, label in MAIL_MODE_LABELS.items()],
    )


class MemberActionForm(FlaskForm):
    action = HiddenField(validators=[_required()])


class ButtonForm(FlaskForm):
    """A form that is only a button (inviting someone): it checks the CSRF token."""
