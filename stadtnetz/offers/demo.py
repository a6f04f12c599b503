"""Demo offers and a challenge for ``flask demo``: the invented provider's two offers (one with
a reference Lüdenscheid confirmed, recommended by Arnsberg) and Arnsberg's open challenge with
the provider's answer. Idempotent: an offer or challenge of the same title is left alone."""

from datetime import timedelta

import sqlalchemy as sa

from ..accounts.organisations import organisation_by_slug
from ..accounts.services import user_by_email
from ..database import utcnow
from ..extensions import db
from ..practices.models import Practice
from . import challenges, services
from .models import Challenge, Offer

PROVIDER, SELLER = "leerstandslotse-gmbh-demo", "sabine.wagner@example.org"
NOTE = "*Demo-Angebot: Anbieter, Leistungen und Preise sind erfunden.*"
OFFERS = (
    {"title": "Leerstandsbörse: leere Ladenlokale erfassen und vermitteln",
     "teaser": "Ein Kataster aller leeren Geschäfte der Innenstadt mit Eigentümerkontakten und einer Börse "
               "für Zwischennutzer und neue Mieter.",
     "description": "Die Leerstandsbörse erfasst leere Ladenlokale mit Fläche, Zustand und Eigentümer, "
                    "zeigt sie Gründerinnen und Händlern und begleitet Zwischennutzungen.\n\n" + NOTE,
     "topics": ["leerstand", "handel"], "price_model": "lizenz",
     "price_note": "ab 2.400 Euro im Jahr für Kommunen bis 50.000 Einwohner", "regions": ["05", "06"],
     "contact_name": "Sabine Wagner", "contact_email": SELLER},
    {"title": "Workshop: Zwischennutzung rechtssicher organisieren",
     "teaser": "Ein Tag mit Verwaltung, Eigentümern und Initiativen: Mietverträge auf Zeit, Versicherung, "
               "Brandschutz.",
     "description": "Wir moderieren einen Workshop, in dem Verwaltung und Eigentümer Musterverträge für "
                    "Zwischennutzungen vereinbaren.\n\n" + NOTE,
     "topics": ["leerstand", "kultur"], "price_model": "projektpreis", "price_note": "1.800 Euro pauschal"},
)
CHALLENGE = {
    "title": "Wir suchen eine Lösung für leere Obergeschosse über Ladenlokalen",
    "description": "In der Altstadt stehen viele Wohnungen über Geschäften leer, weil der Zugang nur durch "
                   "den Laden führt. Wir suchen Erfahrungen und Angebote zu Umbau, Förderung und "
                   "Eigentümerberatung.\n\n*Demo-Gesuch: erfunden.*",
    "topics": ["leerstand", "wohnen"],
}


def load_demo() -> tuple[int, int]:
    """Create the missing demo offers and challenge; (offers, challenges) created."""
    provider, seller = organisation_by_slug(PROVIDER), user_by_email(SELLER)
    if provider is None or seller is None:
        return 0, 0
    created = 0
    for data in OFFERS:
        if db.session.scalar(sa.select(Offer.id).where(Offer.title == data["title"])) is None:
            offer = services.create_offer(seller, provider, data)
            created += 1
            if data is OFFERS[0]:
                _reference_and_recommendation(seller, offer)
    if db.session.scalar(sa.select(Challenge.id).where(Challenge.title == CHALLENGE["title"])) is not None:
        return created, 0
    arnsberg, anna = organisation_by_slug("stadt-arnsberg"), user_by_email("anna.hoffmann@example.org")
    challenge = challenges.create_challenge(anna, arnsberg, {
        **CHALLENGE, "deadline": (utcnow() + timedelta(days=45)).date()})
    offer = db.session.scalar(sa.select(Offer).where(Offer.title == OFFERS[0]["title"]))
    challenges.answer(seller, challenge, offer, "Unsere Börse führt auch leere Obergeschosse und "
                                                "vermittelt sie an Wohnungssuchende.")
    return created, 1


def _reference_and_recommendation(seller, offer: Offer) -> None:
    practice = db.session.scalar(sa.select(Practice).where(
        Practice.title == "Leerstandskataster und Ansiedlungslotse für die Altstadt"))
    if practice is not None:
        reference = services.add_reference(seller, offer, practice)
        services.confirm_reference(user_by_email("julia.becker@luedenscheid.de"), reference)
    arnsberg = organisation_by_slug("stadt-arnsberg")
    services.recommend(user_by_email("anna.hoffmann@example.org"), offer, arnsberg,
                       "Hat uns geholfen, den Überblick über 40 leere Läden zu behalten.")
