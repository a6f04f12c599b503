"""Forms of the organisation, membership and moderation pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField, URLField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from .models import ORGANISATION_TYPE_LABELS, OrganisationType, SiteRole

SITE_ROLE_LABELS = {
    SiteRole.MEMBER: _l("Mitglied"),
    SiteRole.MODERATOR: _l("Moderation"),
    SiteRole.ADMIN: _l("Administration"),
}


def _at_most(length: int) -> Length:
    return Length(max=length, message=_l("Bitte höchstens %(max)d Zeichen eingeben."))


def _type_choices(empty_label=None) -> list[SelectChoice]:
    choices = [SelectChoice(t.value, label) for t, label in ORGANISATION_TYPE_LABELS.items()]
    return [SelectChoice("", empty_label), *choices] if empty_label else choices


def _web_address(_form, field) -> None:
    """Only complete http(s) addresses become links."""
    value = (field.data or "").strip()
    if value and (not value.startswith(("https://", "http://")) or " " in value or "." not in value):
        raise ValidationError(_l("Bitte geben Sie eine vollständige Adresse an, z. B. https://www.luedenscheid.de."))


class OrganisationFilterForm(FlaskForm):
    """Search and filter on the organisation list (a GET form without CSRF token)."""

    class Meta:
        csrf = False

    q = StringField(_l("Name"), validators=[Optional(), _at_most(200)])
    typ = SelectField(_l("Typ"), choices=_type_choices(_l("Alle Typen")), validators=[Optional()])

    @property
    def type(self) -> OrganisationType | None:
        """The chosen type, if valid."""
        try:
            return OrganisationType(self.typ.data)
        except ValueError:
            return None


class OrganisationDetailsForm(FlaskForm):
    """What an organisation's admins edit: the description and the website."""

    description = TextAreaField(
        _l("Beschreibung"), validators=[Optional(), _at_most(5000)],
        description=_l("Was macht Ihre Organisation, wofür sind Sie ansprechbar? Höchstens 5.000 Zeichen."),
    )
    website = URLField(_l("Website"), validators=[Optional(), _at_most(300), _web_address],
                          description=_l("Vollständige Adresse mit https://"))


class OrganisationForm(OrganisationDetailsForm):
    """Everything about an organisation: for creating one, and for moderators editing one."""

    name = StringField(_l("Name"), validators=[DataRequired(_l("Bitte geben Sie einen Namen an.")),
                                                _at_most(200)])
    type = SelectField(_l("Typ"), choices=_type_choices(),
                       validators=[DataRequired(_l("Bitte wählen Sie einen Typ."))])
    municipality = StringField(
        _l("Gemeinde (nur für Kommunen)"), validators=[Optional(), _at_most(200)],
        description=_l("Achtstelliger Gemeindeschlüssel (AGS), z. B. 05962032, oder der genaue Name."),
    )
    kreis_key = StringField(
        _l("Kreisschlüssel (nur für Landkreise)"), validators=[Optional()],
        description=_l("Fünfstelliger Schlüssel des Kreises, z. B. 05962."),
    )


class MembershipRequestForm(FlaskForm):
    """Ask to join an organisation, with an optional note for its admins."""

    message = TextAreaField(
        _l("Nachricht an die Organisation (optional)"), validators=[Optional(), _at_most(1000)],
        description=_l("Zum Beispiel Ihre Abteilung oder Funktion. Höchstens 1.000 Zeichen."),
    )


class MemberActionForm(FlaskForm):
    """One of the buttons on a member's row: approve, decline, make admin/member, remove."""

    action = StringField(validators=[DataRequired()])
    next = StringField(validators=[Optional()])


class DomainForm(FlaskForm):
    """Add an e-mail domain whose confirmed addresses join without review."""

    domain = StringField(_l("Domain"), validators=[DataRequired(_l("Bitte geben Sie eine Domain an.")),
                                                    _at_most(253)],
                         description=_l("Zum Beispiel luedenscheid.de (ohne @)."))


class UserSearchForm(FlaskForm):
    """Find users on the moderation page (a GET form without CSRF token)."""

    class Meta:
        csrf = False

    q = StringField(_l("Name oder E-Mail-Adresse"), validators=[Optional(), _at_most(254)])


class SiteRoleForm(FlaskForm):
    """Set a user's role on the whole instance."""

    role = SelectField(
        _l("Rolle"), choices=[SelectChoice(role.value, label) for role, label in SITE_ROLE_LABELS.items()]
    )
