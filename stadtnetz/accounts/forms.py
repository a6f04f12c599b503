"""Forms of the account pages: registration, login, passwords, settings and privacy."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length

from .services import normalise_email

PASSWORD_MIN = 10
PASSWORD_MAX = 128
NEW_PASSWORD_HINT = _l("Mindestens 10 Zeichen. Ein langer Satz ist sicherer als ein kurzes Wort.")


def _email_field(label=None) -> EmailField:
    """An address field that stores what it validates: trimmed and lower-case."""
    return EmailField(
        label or _l("E-Mail-Adresse"),
        filters=[normalise_email],
        validators=[
            DataRequired(_l("Bitte geben Sie Ihre E-Mail-Adresse an.")),
            Length(max=254, message=_l("Die E-Mail-Adresse darf höchstens 254 Zeichen lang sein.")),
            Email(_l("Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@kommune.de.")),
        ],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )


def _current_password_field(label=None) -> PasswordField:
    """The password the user has now, asked to prove it is them."""
    return PasswordField(
        label or _l("Passwort"),
        validators=[InputRequired(_l("Bitte geben Sie Ihr Passwort ein."))],
        render_kw={"autocomplete": "current-password"},
    )


def _new_password_field(label) -> PasswordField:
    """A new password, held to the length rules."""
    return PasswordField(
        label,
        validators=[
            InputRequired(_l("Bitte geben Sie ein neues Passwort ein.")),
            Length(
                min=PASSWORD_MIN, max=PASSWORD_MAX,
                message=_l("Das Passwort muss zwischen %(min)d und %(max)d Zeichen lang sein."),
            ),
        ],
        description=NEW_PASSWORD_HINT,
        render_kw={"autocomplete": "new-password"},
    )


def _repeat_field() -> PasswordField:
    """The second entry of a new password."""
    return PasswordField(
        _l("Passwort wiederholen"),
        validators=[
            InputRequired(_l("Bitte wiederholen Sie das Passwort.")),
            EqualTo("password", _l("Die beiden Passwörter stimmen nicht überein.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


def _name_field() -> StringField:
    return StringField(
        _l("Name"),
        validators=[
            DataRequired(_l("Bitte geben Sie Ihren Namen an.")),
            Length(max=120, message=_l("Der Name darf höchstens 120 Zeichen lang sein.")),
        ],
        render_kw={"autocomplete": "name"},
    )


class RegisterForm(FlaskForm):
    name = _name_field()
    email = _email_field()
    password = _new_password_field(_l("Passwort"))
    password_repeat = _repeat_field()
    accept_privacy = BooleanField(
        _l("Ich habe die Datenschutzhinweise gelesen und bin einverstanden"),
        validators=[DataRequired(_l("Bitte bestätigen Sie die Datenschutzhinweise."))],
    )


class LoginForm(FlaskForm):
    email = _email_field()
    password = _current_password_field()
    remember = BooleanField(_l("Angemeldet bleiben"))


class EmailForm(FlaskForm):
    """Just an address: password reset and resending the confirmation link."""

    email = _email_field()


class ResetPasswordForm(FlaskForm):
    password = _new_password_field(_l("Neues Passwort"))
    password_repeat = _repeat_field()


class ProfileForm(FlaskForm):
    name = _name_field()
    job_title = StringField(
        _l("Funktion in der Organisation"),
        validators=[Length(max=120, message=_l("Die Funktion darf höchstens 120 Zeichen lang sein."))],
        description=_l("Zum Beispiel „Citymanagerin“ oder „Sachgebiet Wirtschaftsförderung“."),
        render_kw={"autocomplete": "organization-title"},
    )
    bio = TextAreaField(
        _l("Über mich"),
        validators=[Length(max=2000, message=_l("Der Text darf höchstens 2000 Zeichen lang sein."))],
        description=_l("Kurzer Text ohne Formatierung, höchstens 2000 Zeichen; er ist öffentlich sichtbar."),
    )
    locale = SelectField(
        _l("Sprache"),
        choices=[
            SelectChoice("", _l("automatisch (Browser-Einstellung)")),
            SelectChoice("de", "Deutsch", render_kw={"lang": "de"}),
            SelectChoice("en", "English", render_kw={"lang": "en"}),
        ],
    )


class ChangePasswordForm(FlaskForm):
    current_password = _current_password_field(_l("Aktuelles Passwort"))
    password = _new_password_field(_l("Neues Passwort"))
    password_repeat = _repeat_field()


class ChangeEmailForm(FlaskForm):
    email = _email_field(_l("Neue E-Mail-Adresse"))
    password = _current_password_field(_l("Passwort zur Bestätigung"))


class DeleteAccountForm(FlaskForm):
    password = _current_password_field(_l("Passwort zur Bestätigung"))
    delete_content = BooleanField(_l("Auch meine Beiträge löschen"))
