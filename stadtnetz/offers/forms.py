"""Forms of the offer and challenge pages (every one CSRF-protected through Flask-WTF)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Email, Length, Optional

from ..directory.models import LAENDER
from ..practices.forms import MultiCheckboxField
from ..practices.topics import Topic
from .models import PRICE_MODEL_LABELS


def _at_most(length: int) -> Length:
    return Length(max=length, message=_l("Bitte höchstens %(max)d Zeichen eingeben."))


def _topics(label) -> MultiCheckboxField:
    return MultiCheckboxField(label, choices=[SelectChoice(t.slug, t.label) for t in Topic])


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class HelpfulForm(FlaskForm):
    """Mark an answer as helpful ("1") or take the mark back ("0")."""

    helpful = HiddenField(validators=[AnyOf(["0", "1"])])


class OfferForm(FlaskForm):
    organisation = SelectField(_l("Anbieter"), coerce=int)
    title = StringField(_l("Titel"), validators=[DataRequired(_l("Bitte geben Sie einen Titel an.")),
                                                 _at_most(200)])
    teaser = TextAreaField(_l("Kurzbeschreibung"), validators=[
        DataRequired(_l("Bitte beschreiben Sie das Angebot in ein, zwei Sätzen.")), _at_most(500)])
    description = TextAreaField(_l("Beschreibung"), validators=[
        DataRequired(_l("Bitte beschreiben Sie, was das Angebot leistet.")), _at_most(20000)],
        description=_l("Was leistet das Angebot, für wen, mit welchem Aufwand? Markdown ist möglich."))
    topics = _topics(_l("Handlungsfelder"))
    price_model = RadioField(_l("Preismodell"),
                             choices=[SelectChoice(m.value, text) for m, text in PRICE_MODEL_LABELS.items()],
                             validators=[DataRequired(_l("Bitte wählen Sie ein Preismodell."))])
    price_note = StringField(_l("Preis in Worten"), validators=[Optional(), _at_most(300)],
                             description=_l("Zum Beispiel: ab 2.400 Euro im Jahr für Kommunen bis 50.000 "
                                            "Einwohner"))
    regions = MultiCheckboxField(_l("Regionen (ohne Auswahl: ganz Deutschland)"),
                                 choices=[SelectChoice(key, name) for key, (name, _abbr) in LAENDER.items()])
    contact_name = StringField(_l("Ansprechperson"), validators=[Optional(), _at_most(120)])
    contact_email = EmailField(_l("E-Mail der Ansprechperson"), validators=[
        Optional(), Email(_l("Bitte geben Sie eine gültige E-Mail-Adresse an.")), _at_most(254)])

    FIELDS = ("title", "teaser", "description", "topics", "price_model", "price_note", "regions",
              "contact_name", "contact_email")

    def service_data(self) -> dict:
        return {name: self[name].data for name in self.FIELDS}

    @staticmethod
    def data_of(offer) -> dict:
        """The form's fields filled from a stored offer, for editing it."""
        return {"title": offer.title, "teaser": offer.teaser, "description": offer.description,
                "topics": [row.topic for row in offer.topic_rows], "price_model": offer.price_model.value,
                "price_note": offer.price_note, "regions": list(offer.regions or []),
                "contact_name": offer.contact_name, "contact_email": offer.contact_email}


class ReferenceForm(FlaskForm):
    practice = StringField(_l("Praxisbeispiel (Adresse oder Nummer)"), validators=[
        DataRequired(_l("Bitte geben Sie die Adresse oder Nummer des Praxisbeispiels an.")), _at_most(300)],
        description=_l("Zum Beispiel /praxisbeispiele/12-pop-up-stores. Die Kommune muss die Referenz "
                       "bestätigen."))


class RecommendationForm(FlaskForm):
    organisation = SelectField(_l("Empfehlen für"), coerce=int)
    note = TextAreaField(_l("Warum empfehlen Sie das Angebot?"), validators=[
        DataRequired(_l("Bitte schreiben Sie kurz, warum Sie das Angebot empfehlen.")), _at_most(300)])


class ChallengeForm(FlaskForm):
    organisation = SelectField(_l("Kommune"), coerce=int)
    title = StringField(_l("Wir suchen eine Lösung für …"), validators=[
        DataRequired(_l("Bitte geben Sie einen Titel an.")), _at_most(200)])
    description = TextAreaField(_l("Beschreibung"), validators=[
        DataRequired(_l("Bitte beschreiben Sie, wofür Sie eine Lösung suchen.")), _at_most(20000)],
        description=_l("Ausgangslage, was Sie schon versucht haben, was die Lösung leisten muss."))
    topics = _topics(_l("Handlungsfelder"))
    deadline = DateField(_l("Antworten bis"), validators=[
        DataRequired(_l("Bitte geben Sie an, bis wann Sie Antworten erwarten."))])

    def service_data(self) -> dict:
        return {name: self[name].data for name in ("title", "description", "topics", "deadline")}

    @staticmethod
    def data_of(challenge) -> dict:
        """The form's fields filled from a stored challenge, for editing it."""
        return {"title": challenge.title, "description": challenge.description,
                "topics": [row.topic for row in challenge.topic_rows], "deadline": challenge.deadline}


class AnswerForm(FlaskForm):
    offer = SelectField(_l("Ihr Angebot"), coerce=int)
    message = TextAreaField(_l("Wie hilft Ihr Angebot hier?"), validators=[
        DataRequired(_l("Bitte schreiben Sie, wie Ihr Angebot hier hilft.")), _at_most(20000)])


class CloseForm(FlaskForm):
    chosen = SelectField(_l("Gewählte Antwort"), coerce=int)
    outcome = TextAreaField(_l("Wofür haben Sie sich entschieden?"), validators=[
        DataRequired(_l("Bitte schreiben Sie, wofür Sie sich entschieden haben.")), _at_most(20000)])


class WatchForm(FlaskForm):
    topics = _topics(_l("Handlungsfelder, deren neue Gesuche Sie per E-Mail erhalten"))
