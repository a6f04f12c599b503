"""A challenge page lists the practices and offers most like the challenge, found by the search
module's more-like-this: on real German examples the obviously related ones come first, also
among real project descriptions from the Datenprojekte corpus."""

import pytest

from stadtnetz.accounts.models import OrganisationType
from stadtnetz.offers import challenges
from stadtnetz.practices.cli import practice_data
from stadtnetz.practices.importer import CORPUS_DIR, read_directory

PRACTICES = {
    "zwischennutzung": dict(
        title="Zwischennutzung leerer Ladenlokale in der Altstadt", topics=["leerstand", "kultur"],
        teaser="Die Stadt mietet leerstehende Geschäfte an und vergibt sie günstig an Gründerinnen, "
               "Händler und Kulturschaffende zur Zwischennutzung.",
        situation="In der Fußgängerzone standen 23 Ladenlokale leer. Die Eigentümer fanden keine Mieter, "
                  "der Leerstand zog die ganze Innenstadt herunter.",
        implementation="Ein Leerstandsmanagement erfasst alle leeren Flächen, spricht die Eigentümer an und "
                       "vermittelt Zwischennutzungen: Pop-up-Stores, Ateliers und Ausstellungen."),
    "hitze": dict(
        title="Hitzeaktionsplan für die Innenstadt", topics=["klimaanpassung"],
        teaser="Trinkbrunnen, Bäume und kühle Orte schützen ältere Menschen an heißen Tagen.",
        situation="In den Sommern 2018 und 2019 war die Innenstadt wochenlang überhitzt.",
        implementation="Die Stadt pflanzte Bäume, stellte Trinkbrunnen auf und richtete kühle Räume ein."),
    "parken": dict(
        title="Parkraummanagement mit Sensoren", topics=["mobilitaet"],
        teaser="Sensoren melden freie Parkplätze, der Suchverkehr in der Innenstadt sinkt.",
        situation="Autos kreisten auf der Suche nach einem Parkplatz durch die Altstadt.",
        implementation="Bodensensoren und eine App zeigen freie Stellplätze und Parkgebühren an."),
    "beteiligung": dict(
        title="Bürgerbeteiligung zur Neugestaltung des Marktplatzes", topics=["beteiligung"],
        teaser="Bürgerinnen und Bürger planten den Marktplatz in Werkstätten und online mit.",
        situation="Der Marktplatz war ein Parkplatz ohne Aufenthaltsqualität.",
        implementation="Drei Planungswerkstätten und eine Online-Umfrage sammelten Ideen der Bürger."),
}

OFFERS = {
    "leerstandsmelder": dict(
        title="Leerstandsmelder: Software für Leerstandsmanagement", topics=["leerstand"],
        teaser="Erfasst leerstehende Ladenlokale, verwaltet Kontakte zu Eigentümern und vermittelt "
               "Zwischennutzer.",
        description="Die Software führt ein Kataster aller leeren Geschäfte der Innenstadt und hilft, "
                    "Zwischennutzungen und neue Mieter zu finden."),
    "hitzesensoren": dict(
        title="Hitzesensoren und Klimadaten für Städte", topics=["klimaanpassung"],
        teaser="Messstationen zeigen, wo sich die Stadt an heißen Tagen am stärksten aufheizt.",
        description="Sensoren messen Temperatur und Luftfeuchte; eine Karte zeigt Hitzeinseln."),
    "parkapp": dict(
        title="Smart-Parking-Plattform", topics=["mobilitaet"],
        teaser="Parkplatzsensoren und eine App für freie Stellplätze.",
        description="Bodensensoren melden belegte und freie Parkplätze in Echtzeit."),
    "beteiligungsportal": dict(
        title="Online-Beteiligungsportal für Kommunen", topics=["beteiligung"],
        teaser="Umfragen, Ideenkarten und Planungsdialoge für Bürgerinnen und Bürger.",
        description="Kommunen laden Bürger zu Umfragen und Ideensammlungen online ein."),
}


@pytest.fixture
def catalogue(make_organisation, make_municipality, make_practice, make_offer, index):
    practices = {key: make_practice(make_organisation(municipality=make_municipality()), **data)
                 for key, data in PRACTICES.items()}
    offers = {key: make_offer(make_organisation(type=OrganisationType.ANBIETER), **data)
              for key, data in OFFERS.items()}
    return practices, offers


@pytest.fixture
def corpus(make_organisation, make_practice):
    """Thirty real project descriptions as further practices, so words carry realistic weights."""
    if not CORPUS_DIR.is_dir():
        pytest.skip(f"the Datenprojekte corpus is not there ({CORPUS_DIR}); see shared/data/README.md")
    organisation = make_organisation(name="Datenprojekte")
    projects = [p for p in read_directory(CORPUS_DIR) if not isinstance(p, Exception)][:30]
    return [make_practice(organisation, **practice_data(project)) for project in projects]


def matched(challenge, index):
    index()
    practices, offers = challenges.matches(challenge, None)
    return [hit.title for hit in practices], [hit.title for hit in offers]


@pytest.mark.parametrize(("title", "description", "practice", "offer"), [
    ("Wir suchen eine Lösung für leerstehende Geschäfte",
     "In unserer Innenstadt stehen immer mehr Ladenlokale leer. Wir möchten die Flächen durch "
     "Zwischennutzung beleben und brauchen einen Überblick über den Leerstand und die Eigentümer.",
     "zwischennutzung", "leerstandsmelder"),
    ("Wir suchen eine Lösung gegen Hitze in der Innenstadt",
     "An heißen Tagen wird die Innenstadt unerträglich. Wir wollen wissen, wo es am heißesten ist, "
     "und ältere Menschen schützen.",
     "hitze", "hitzesensoren"),
    ("Wir suchen eine Lösung für den Parksuchverkehr",
     "Autos kreisen durch die Altstadt, weil niemand weiß, wo ein Parkplatz frei ist.",
     "parken", "parkapp"),
])
def test_the_obviously_related_practice_and_offer_come_first(
        world, catalogue, corpus, make_challenge, index, title, description, practice, offer):
    practices, offers = catalogue
    challenge = make_challenge(world.town, title=title, description=description)
    found_practices, found_offers = matched(challenge, index)
    assert found_practices[0] == practices[practice].title
    assert found_offers[0] == offers[offer].title


def test_matches_keep_practices_and_offers_apart(world, catalogue, make_challenge, index):
    challenge = make_challenge(world.town)
    found_practices, found_offers = matched(challenge, index)
    assert set(found_practices) <= {p.title for p in catalogue[0].values()}
    assert set(found_offers) <= {o.title for o in catalogue[1].values()}
