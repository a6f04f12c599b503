"""Demo working groups and threads for ``flask demo``: the seven groups the issue names, and
a few realistic discussions among the demo people. Idempotent: a group is found by its slug,
a thread by its title in its group; what exists is left alone."""

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from ..accounts.organisations import slugify
from ..accounts.services import user_by_email
from ..database import utcnow
from ..extensions import db
from .models import GroupMembership, GroupRole, Thread, Visibility, WorkingGroup
from .posting import reply, start_thread

MODERATOR = "moderation@example.org"
JULIA, TOBIAS, ANNA = (
    "julia.becker@luedenscheid.de",
    "tobias.schulte@luedenscheid.de",
    "anna.hoffmann@example.org",
)
KATRIN, SABINE = "katrin.richter@example.org", "sabine.wagner@example.org"


@dataclass(frozen=True)
class DemoThread:
    group: str
    title: str
    # (author's address, text, days ago); the first post opens the thread.
    posts: tuple[tuple[str, str, int], ...]


GROUPS = (
    (
        "Leerstandsbewältigung",
        "Leere Ladenlokale erfassen, zwischennutzen und neu vermieten: Kataster, "
        "Pop-up-Stores, Eigentümeransprache.",
        Visibility.PUBLIC,
        (JULIA, TOBIAS, ANNA, SABINE),
    ),
    (
        "Klimaanpassung",
        "Hitze, Starkregen, Stadtgrün: was Innenstädte widerstandsfähiger macht.",
        Visibility.PUBLIC,
        (KATRIN, TOBIAS),
    ),
    (
        "Wohnen und Leben in der Innenstadt",
        "Wohnen über Ladenlokalen, Umnutzung von Kaufhäusern, soziale Mischung und Aufenthaltsqualität.",
        Visibility.PUBLIC,
        (ANNA, JULIA),
    ),
    (
        "Digitalisierung",
        "Digitale Schaufenster, Frequenzmessung, Open Data und Online-Dienste für den Handel.",
        Visibility.PUBLIC,
        (KATRIN, SABINE),
    ),
    (
        "Handel & Gastronomie",
        "Citymanagement, Händlergemeinschaften, Außengastronomie und verkaufsoffene Sonntage.",
        Visibility.PUBLIC,
        (JULIA,),
    ),
    (
        "Mobilität",
        "Erreichbarkeit der Innenstadt: Parken, Radverkehr, ÖPNV und Lieferverkehr.",
        Visibility.PUBLIC,
        (TOBIAS,),
    ),
    (
        "Förderung & Finanzierung",
        "Erfahrungen mit Förderprogrammen, Anträgen und Eigenanteilen, "
        "nur für Mitglieder, damit offen über laufende Anträge gesprochen werden kann.",
        Visibility.MEMBERS,
        (JULIA, ANNA),
    ),
)

THREADS = (
    DemoThread(
        "Leerstandsbewältigung",
        "Erfahrungen mit Pop-up-Stores in der Fußgängerzone?",
        (
            (
                JULIA,
                "Wir wollen im Frühjahr drei leere Ladenlokale in der Wilhelmstraße für jeweils sechs "
                "Monate an Gründerinnen und Gründer vergeben. Die Miete übernimmt anteilig die Stadt.\n\n"
                "Hat jemand Erfahrung mit den **Mietverträgen**? Wie habt ihr die Eigentümer überzeugt?",
                12,
            ),
            (
                ANNA,
                "In Arnsberg haben wir mit einem Staffelmietvertrag gearbeitet: die ersten drei Monate "
                "mietfrei, danach 50 % der ortsüblichen Miete. Wichtig war ein fester Ansprechpartner "
                "im Rathaus für die Eigentümer.",
                11,
            ),
            (
                SABINE,
                "Ein Leerstandskataster hilft sehr, um passende Flächen schnell zu finden. "
                "@[Julia Becker], gern zeige ich Ihnen, wie andere Kommunen das aufgebaut haben.",
                10,
            ),
        ),
    ),
    DemoThread(
        "Leerstandsbewältigung",
        "Leerstandskataster: Welche Daten erhebt ihr?",
        (
            (
                TOBIAS,
                "Wir bauen gerade ein Kataster auf. Neben Fläche und Lage überlegen wir, auch "
                "Schaufensterbreite und Barrierefreiheit zu erfassen. Was hat sich bei euch bewährt?",
                6,
            ),
            (
                ANNA,
                "Bei uns: Fläche, Geschoss, letzte Nutzung, Eigentümerkontakt (nur intern), "
                "Zustand und ob der Eigentümer zu Zwischennutzung bereit ist.",
                5,
            ),
        ),
    ),
    DemoThread(
        "Klimaanpassung",
        "Hitzeaktionsplan für die Innenstadt",
        (
            (
                KATRIN,
                "Jena hat im letzten Sommer einen Hitzeaktionsplan beschlossen: Trinkbrunnen, "
                "kühle Orte, Verschattung von Plätzen. Ich teile gern unsere Checkliste.",
                9,
            ),
            (
                TOBIAS,
                "Sehr interessant! Wie habt ihr die Trinkbrunnen finanziert und wer kümmert sich "
                "um die Wartung?",
                8,
            ),
        ),
    ),
    DemoThread(
        "Wohnen und Leben in der Innenstadt",
        "Wohnen über Ladenlokalen wieder möglich machen",
        (
            (
                ANNA,
                "Viele Obergeschosse in unserer Innenstadt stehen leer, weil der Zugang nur durch das "
                "Ladenlokal führt. Hat jemand ein Förderprogramm für separate Eingänge genutzt?",
                4,
            ),
        ),
    ),
    DemoThread(
        "Digitalisierung",
        "Frequenzmessung mit Laserscannern: Datenschutz?",
        (
            (
                KATRIN,
                "Wir überlegen, Passantenfrequenzen zu messen. Die Anbieter versprechen "
                "datenschutzkonforme Zählung ohne Kameras. Wie habt ihr das mit dem "
                "Datenschutzbeauftragten geklärt?",
                3,
            ),
        ),
    ),
    DemoThread(
        "Förderung & Finanzierung",
        "Eigenanteil beim Sofortprogramm Innenstadt",
        (
            (
                JULIA,
                "Unser Kämmerer fragt, ob der Eigenanteil auch durch Sachleistungen erbracht werden "
                "kann. Hat jemand dazu eine Auskunft des Fördermittelgebers?",
                2,
            ),
            (ANNA, "Bei uns wurde das abgelehnt; nur Personalkosten der Stadt zählten als Eigenanteil.", 1),
        ),
    ),
)


def _group(name: str, description: str, visibility: Visibility, members: tuple[str, ...]) -> bool:
    if db.session.scalar(sa.select(WorkingGroup.id).where(WorkingGroup.slug == slugify(name))):
        return False
    group = WorkingGroup(name=name, slug=slugify(name), description=description, visibility=visibility)
    group.memberships.append(GroupMembership(user=user_by_email(MODERATOR), role=GroupRole.MODERATOR))
    group.memberships += [GroupMembership(user=user_by_email(email)) for email in members]
    db.session.add(group)
    db.session.flush()
    return True


def _thread(spec: DemoThread) -> bool:
    group = db.session.scalar(sa.select(WorkingGroup).where(WorkingGroup.slug == slugify(spec.group)))
    if db.session.scalar(sa.select(Thread.id).where(Thread.group_id == group.id, Thread.title == spec.title)):
        return False
    now = utcnow()
    (email, text, days), *replies = spec.posts
    thread = start_thread(user_by_email(email), group, spec.title, text, at=now - timedelta(days=days))
    for email, text, days in replies:
        reply(user_by_email(email), thread, text, at=now - timedelta(days=days))
    return True


def load_demo() -> tuple[int, int]:
    """Create the demo groups and threads that are missing; return how many of each."""
    groups = sum(_group(*spec) for spec in GROUPS)
    threads = sum(_thread(spec) for spec in THREADS)
    return groups, threads
