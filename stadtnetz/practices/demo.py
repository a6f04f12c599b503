"""The practices of ``flask demo``: a handful of hand-written cases for the demo municipalities
(invented projects with invented figures, said so on each page), one draft, an adoption and a
follow-up note, and the *Datenprojekte* corpus when ``../shared`` lies beside the checkout.

Idempotent: a demo practice that exists (same organisation and title) is left alone, and the
corpus import finds its practices again by their source.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa

from ..accounts.organisations import organisation_by_slug
from ..accounts.services import user_by_email
from ..extensions import db
from . import services
from .cli import ImportSummary, corpus_organisation, import_directory
from .importer import CORPUS_DIR
from .models import Practice
from .topics import AdoptionKind, PracticeStatus, Topic

DEMO_NOTE = ("*Demo-Praxisbeispiel: Projekt, Abläufe und Zahlen sind erfunden, damit die Plattform etwas "
             "zu zeigen hat.*")


@dataclass(frozen=True)
class DemoPractice:
    organisation: str  # slug
    author: str  # e-mail address of a verified member
    data: dict[str, Any]
    published: date | None = None  # None: stays a draft
    follow_up: tuple[date, str] | None = None
    # (organisation slug, member's e-mail, kind, note)
    adoptions: tuple[tuple[str, str, AdoptionKind, str], ...] = field(default=())


def figure(name: str, before, after, unit: str, measured_on: date) -> dict[str, Any]:
    """A key figure as ``create_practice`` takes it."""
    return {"name": name, "before": before, "after": after, "unit": unit, "measured_on": measured_on}


PRACTICES = (
    DemoPractice("stadt-luedenscheid", "julia.becker@luedenscheid.de", {
        "title": "Leerstandskataster und Ansiedlungslotse für die Altstadt",
        "teaser": "Ein laufend gepflegtes Leerstandskataster und eine feste Ansprechperson für Eigentümer "
                  "und Gründerinnen: In drei Jahren sank die Leerstandsquote im Erdgeschoss der Altstadt "
                  "von gut 14 auf unter 10 Prozent.",
        "situation": "In der Altstadt standen 2021 rund 40 Ladenlokale leer, viele davon seit Jahren. "
                     "Niemand wusste genau, welche Flächen frei waren, wem sie gehörten und was sie "
                     "kosten sollten.",
        "implementation": "Das Citymanagement erfasst jede Erdgeschossfläche mit Größe, Zustand, Miete und "
                          "Kontakt im **Leerstandskataster**; Eigentümer werden persönlich angesprochen.\n\n"
                          "Ein *Ansiedlungslotse* begleitet Interessierte vom ersten Gespräch bis zum "
                          "Mietvertrag und vermittelt zu Bauordnung und Förderung.",
        "results": "17 Ladenlokale wurden neu vermietet, davon 11 an Gründerinnen und Gründer aus der "
                   "Region.",
        "lessons": "Eine reine Online-Börse ohne persönliche Ansprache der Eigentümer brachte kaum "
                   "Kontakte.",
        "transferability": "Für Mittelstädte gut übertragbar; eine halbe Stelle reicht für rund 300 "
                           "Flächen.",
        "topics": [Topic.LEERSTAND, Topic.DIGITALISIERUNG],
        "tags": ["Leerstandsmanagement", "Kataster", "Citymanagement"],
        "status": PracticeStatus.VERSTETIGT, "started_on": date(2021, 9, 1), "total_cost": 85_000,
        "funding_programme": "Sofortprogramm Innenstadt NRW", "funding_amount": 76_500, "own_share": 8_500,
        "contact_name": "Julia Becker", "contact_role": "Citymanagerin",
        "key_figures": [
            figure("Leerstandsquote im Erdgeschoss", "14.2", "9.8", "%", date(2024, 6, 30)),
            figure("Vermittelte Ladenlokale", 0, 17, "Anzahl", date(2024, 6, 30)),
        ],
        "partners": [{"name": "Leerstandslotse GmbH (Demo)", "role": "Software für das Kataster"}],
    }, published=date(2024, 7, 15),
        follow_up=(date(2025, 7, 1), "Zwölf Monate später: zwei weitere Ladenlokale vermietet, die Quote "
                                     "liegt bei 9,1 Prozent. Das Kataster pflegt jetzt die "
                                     "Wirtschaftsförderung.")),
    DemoPractice("stadt-luedenscheid", "julia.becker@luedenscheid.de", {
        "title": "Pop-up-Stores in der Wilhelmstraße: Ladenlokale auf Zeit",
        "teaser": "Die Stadt mietet leere Ladenlokale an und gibt sie für drei bis zwölf Monate günstig an "
                  "Gründerinnen, Kreative und Vereine weiter: als Zwischennutzung und als Test für das "
                  "eigene Geschäft.",
        "situation": "Leerstand in der Haupteinkaufsstraße schreckte Kundschaft ab; Gründerinnen scheuten "
                     "langfristige Mietverträge.",
        "implementation": "Die Stadt mietet Flächen zu 70 Prozent der Altmiete an und vermietet sie für 20 "
                          "Prozent weiter. Eine Jury wählt die Konzepte aus; Ladenbau gibt es als Baukasten.",
        "results": "23 Pop-up-Nutzungen in zwei Jahren; sechs davon wurden feste Mieter.",
        "lessons": "Zu kurze Laufzeiten (drei Monate) reichten nicht, um Stammkundschaft aufzubauen.",
        "transferability": "Braucht eine Förderung der Anmietung; ohne sie ist das Modell für die Stadt "
                           "teuer.",
        "topics": [Topic.KULTUR, Topic.LEERSTAND, Topic.HANDEL], "tags": ["Pop-up-Store", "Zwischennutzung"],
        "status": PracticeStatus.UMSETZUNG, "started_on": date(2022, 3, 1), "total_cost": 120_000,
        "funding_programme": "Sofortprogramm Innenstadt NRW", "funding_amount": 108_000, "own_share": 12_000,
        "key_figures": [
            figure("Pop-up-Nutzungen", 0, 23, "Anzahl", date(2024, 3, 1)),
            figure("Übergänge in feste Mietverträge", 0, 6, "Anzahl", date(2024, 3, 1)),
        ],
    }, published=date(2024, 4, 2),
        adoptions=(("stadt-arnsberg", "anna.hoffmann@example.org", AdoptionKind.INSPIRED,
                    "Wir starten 2025 mit drei Pop-up-Flächen am Neumarkt."),)),
    DemoPractice("stadt-luedenscheid", "tobias.schulte@luedenscheid.de", {
        "title": "Lokal digital: Händlerinnen und Händler online sichtbar machen",
        "teaser": "Digitalcoaches besuchen inhabergeführte Geschäfte und bringen sie in einem Nachmittag zu "
                  "Öffnungszeiten, Sortiment und Click & Collect ins Netz.",
        "situation": "Viele kleine Geschäfte waren online nicht zu finden; Kundschaft suchte vergeblich nach "
                     "Öffnungszeiten und Angeboten.",
        "implementation": "Zwei Digitalcoaches bieten kostenlose Sprechstunden im Laden an und pflegen "
                          "mit den Händlern Einträge in Kartendiensten und auf dem städtischen "
                          "Schaufensterportal.",
        "results": "96 Geschäfte beraten, 71 mit vollständigem Online-Eintrag.",
        "lessons": "Sammelschulungen im Rathaus waren kaum besucht; die Beratung im Laden wirkt.",
        "topics": [Topic.DIGITALISIERUNG, Topic.HANDEL],
        "tags": ["Digitalisierung des Handels", "Click & Collect"],
        "status": PracticeStatus.VERSTETIGT, "started_on": date(2022, 1, 15), "total_cost": 64_000,
        "key_figures": [
            figure("Geschäfte mit vollständigem Online-Eintrag", 12, 71, "Anzahl", date(2023, 12, 31)),
        ],
    }, published=date(2024, 2, 20)),
    DemoPractice("stadt-arnsberg", "anna.hoffmann@example.org", {
        "title": "Wohnen über dem Laden: Obergeschosse in der Altstadt wieder bewohnen",
        "teaser": "Über vielen Geschäften stehen die Wohnungen leer. Eine Beratung für Eigentümer und ein "
                  "kommunaler Zuschuss für den separaten Zugang machen sie wieder bewohnbar.",
        "situation": "In der Altstadt standen rund 60 Obergeschosswohnungen leer, oft ohne eigenen Eingang, "
                     "weil der Zugang nur durch das Ladenlokal führte.",
        "implementation": "Ein Architekt berät Eigentümer kostenlos; die Stadt bezuschusst separate Eingänge "
                          "und Brandschutz mit bis zu 30.000 Euro je Gebäude.",
        "results": "12 Wohnungen sind wieder vermietet, weitere 9 im Umbau.",
        "lessons": "Erbengemeinschaften waren schwer zu erreichen; hier half erst die Grundsteuerliste.",
        "transferability": "Gut übertragbar auf Altstädte mit kleinteiligem Eigentum.",
        "topics": [Topic.WOHNEN, Topic.LEERSTAND, Topic.FOERDERUNG], "tags": ["Wohnen über Ladenlokalen"],
        "status": PracticeStatus.UMSETZUNG, "started_on": date(2023, 1, 1), "total_cost": 450_000,
        "funding_programme": "Städtebauförderung", "funding_amount": 315_000, "own_share": 135_000,
        "key_figures": [
            figure("Wieder vermietete Obergeschosswohnungen", 0, 12, "Anzahl", date(2024, 12, 31)),
            figure("Beratene Eigentümer", 0, 34, "Anzahl", date(2024, 12, 31)),
        ],
    }, published=date(2025, 1, 28)),
    DemoPractice("stadt-arnsberg", "anna.hoffmann@example.org", {
        "title": "Innenstadtwerkstatt: gemeinsam den Neumarkt neu gestalten",
        "teaser": "Sechs offene Werkstätten, ein Modell im Leerstand und eine Online-Karte: Über 900 "
                  "Menschen haben mitgeplant, wie der Neumarkt grüner und belebter wird.",
        "situation": "Der Neumarkt war Parkplatz; Pläne zur Umgestaltung waren zweimal am Widerstand "
                     "gescheitert.",
        "implementation": "Ein leeres Ladenlokal wurde Planungsbüro auf Zeit mit Modell und Sprechzeiten; "
                          "Ergebnisse flossen direkt in den Wettbewerb ein.",
        "results": "Der Rat beschloss den Entwurf einstimmig; 40 Parkplätze wichen Bäumen und Sitzplätzen.",
        "topics": [Topic.BETEILIGUNG, Topic.RAUM], "tags": ["Bürgerbeteiligung", "Platzgestaltung"],
        "status": PracticeStatus.VERSTETIGT, "started_on": date(2022, 5, 1), "ended_on": date(2023, 2, 28),
        "total_cost": 95_000,
        "key_figures": [
            figure("Beteiligte Bürgerinnen und Bürger", None, 912, "Personen", date(2023, 2, 28)),
        ],
    }, published=date(2023, 6, 5)),
    DemoPractice("stadt-jena", "katrin.richter@example.org", {
        "title": "Hitzeaktionsplan Innenstadt: Trinkbrunnen, kühle Orte und Stadtbäume",
        "teaser": "Mit Trinkbrunnen, einer Karte kühler Orte und 140 neuen Bäumen schützt die Stadt "
                  "Menschen in der Innenstadt vor Hitze, besonders Ältere und Kinder.",
        "situation": "Sommer mit mehr als 20 heißen Tagen heizten die versiegelte Innenstadt stark auf; "
                     "der Marktplatz erreichte mittags fast 50 Grad Oberflächentemperatur.",
        "implementation": "Acht neue Trinkbrunnen, Sonnensegel, entsiegelte Baumscheiben und eine Karte "
                          "kühler Orte (Kirchen, Bibliothek, Museen) mit Öffnungszeiten.",
        "results": "Die Oberflächentemperatur am Marktplatz sank an Hitzetagen mittags um sieben Grad.",
        "lessons": "Sonnensegel ohne Wartungsvertrag waren nach einem Sturm ein Jahr lang kaputt.",
        "topics": [Topic.KLIMA, Topic.RAUM], "tags": ["Hitzeschutz", "Trinkbrunnen", "Stadtgrün"],
        "status": PracticeStatus.UMSETZUNG, "started_on": date(2023, 4, 1), "total_cost": 780_000,
        "funding_programme": "Anpassung urbaner Räume an den Klimawandel", "funding_amount": 585_000,
        "own_share": 195_000,
        "key_figures": [
            figure("Öffentliche Trinkbrunnen", 3, 11, "Anzahl", date(2024, 8, 31)),
            figure("Neu gepflanzte Stadtbäume", 0, 140, "Anzahl", date(2024, 11, 30)),
            figure("Oberflächentemperatur Marktplatz (Mittag, Hitzetag)", 48, 41, "°C", date(2024, 7, 30)),
        ],
    }, published=date(2024, 9, 10)),
    DemoPractice("stadt-jena", "katrin.richter@example.org", {
        "title": "Mobilitätsstationen am Innenstadtring",
        "teaser": "Entwurf: Leihräder, Carsharing und Lastenräder an vier Stationen rund um die Innenstadt.",
        "situation": "Noch in Arbeit.",
        "topics": [Topic.MOBILITAET], "status": PracticeStatus.PLANUNG,
    }),
)


def _demo_practice(spec: DemoPractice) -> bool:
    """Create (and publish) one demo practice unless its organisation has one of that title."""
    organisation = organisation_by_slug(spec.organisation)
    exists = db.session.scalar(sa.select(Practice.id).where(
        Practice.organisation_id == organisation.id, Practice.title == spec.data["title"]))
    if exists is not None:
        return False
    author = user_by_email(spec.author)
    data = {**spec.data, "situation": f"{spec.data['situation']}\n\n{DEMO_NOTE}"}
    practice = services.create_practice(author, organisation, data)
    if spec.published:
        at = datetime(spec.published.year, spec.published.month, spec.published.day, 9, 0, tzinfo=UTC)
        services.publish_practice(author, practice, at=at)
    if spec.follow_up:
        services.add_follow_up(author, practice, *spec.follow_up)
    for slug, email, kind, note in spec.adoptions:
        services.adopt_practice(user_by_email(email), practice, organisation_by_slug(slug), kind, note)
    return True


def load_demo_practices() -> int:
    """Create the demo practices that are missing; how many were created."""
    return sum(_demo_practice(spec) for spec in PRACTICES)


def load_corpus() -> ImportSummary | None:
    """Import the corpus into its own organisation when it lies beside the checkout."""
    if not CORPUS_DIR.is_dir():
        return None
    return import_directory(CORPUS_DIR, corpus_organisation())
