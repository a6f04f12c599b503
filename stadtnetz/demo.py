"""``flask demo``: fill a development instance with real municipalities (facts only) and
invented organisations, people and memberships, so every page has something to show.

Idempotent: what exists (a municipality by AGS, an organisation by slug, a user by address)
is left alone, so a second run creates nothing. Every demo account shares one password,
printed at the end; mail in development is written to files, so the addresses never receive
anything.
"""

from dataclasses import dataclass, field

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from .accounts.memberships import mark_approved
from .accounts.models import (
    Membership,
    MembershipRole,
    MembershipStatus,
    Organisation,
    OrganisationDomain,
    OrganisationType,
    SiteRole,
    User,
)
from .accounts.organisations import organisation_by_slug, slugify
from .accounts.services import hash_password, user_by_email
from .database import utcnow
from .directory.models import Kreis, Municipality
from .directory.services import load_demo_municipalities
from .extensions import db
from .forum.cli import site_request
from .forum.demo import load_demo as load_forum_demo
from .offers.demo import load_demo as load_offers_demo
from .practices.demo import PRACTICES, load_corpus, load_demo_practices

DEMO_PASSWORD = "stadtnetz-demo"


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    type: OrganisationType
    description: str
    website: str = ""
    ags: str | None = None
    kreis_key: str | None = None
    domains: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    job_title: str = ""
    site_role: SiteRole = SiteRole.MEMBER
    # (organisation name, role, status, message)
    memberships: tuple[tuple[str, MembershipRole, MembershipStatus, str], ...] = field(default=())


ORGANISATIONS = (
    DemoOrganisation(
        "Stadt Lüdenscheid", OrganisationType.KOMMUNE, "Kreisstadt im Märkischen Kreis. Wir arbeiten an "
        "einer lebendigen Innenstadt: Zwischennutzung leerer Läden, Stadtgrün und neue Wohnformen.",
        "https://www.luedenscheid.de", ags="05962032", domains=("luedenscheid.de",),
    ),
    DemoOrganisation(
        "Stadt Arnsberg", OrganisationType.KOMMUNE, "Stadt im Sauerland mit Erfahrung in "
        "Bürgerbeteiligung und demografiefester Stadtentwicklung.", "https://www.arnsberg.de", ags="05958004",
    ),
    DemoOrganisation(
        "Stadt Jena", OrganisationType.KOMMUNE, "Universitätsstadt in Thüringen; Schwerpunkte "
        "Klimaanpassung und digitale Verwaltung.", "https://www.jena.de", ags="16053000",
    ),
    DemoOrganisation(
        "Landkreis Görlitz", OrganisationType.LANDKREIS, "Östlichster Landkreis Deutschlands, "
        "Partner der Gemeinden bei Leerstand und Daseinsvorsorge.", "https://www.kreis-goerlitz.de",
        kreis_key="14626",
    ),
    DemoOrganisation(
        "Wirtschaftsförderung Sauerland (Demo)", OrganisationType.WIRTSCHAFT,
        "Erfundene Demo-Organisation: berät Händlerinnen, Gründer und Kommunen in der Region.",
    ),
    DemoOrganisation(
        "Leerstandslotse GmbH (Demo)", OrganisationType.ANBIETER,
        "Erfundener Demo-Anbieter: Software, die leere Ladenlokale erfasst und an Interessierte vermittelt.",
    ),
    DemoOrganisation(
        "Hochschule für Stadtentwicklung (Demo)", OrganisationType.WISSENSCHAFT,
        "Erfundene Demo-Hochschule: forscht zu Innenstädten im Wandel und begleitet Reallabore.",
    ),
)

APPROVED, PENDING = MembershipStatus.APPROVED, MembershipStatus.PENDING
ADMIN, MEMBER = MembershipRole.ADMIN, MembershipRole.MEMBER
USERS = (
    DemoUser("admin@example.org", "Ada Admin", "Betrieb der Plattform", SiteRole.ADMIN),
    DemoUser("moderation@example.org", "Mo Moderation", "Moderation", SiteRole.MODERATOR),
    DemoUser("julia.becker@luedenscheid.de", "Julia Becker", "Citymanagerin",
             memberships=(("Stadt Lüdenscheid", ADMIN, APPROVED, ""),)),
    DemoUser("tobias.schulte@luedenscheid.de", "Tobias Schulte", "Stadtplanung",
             memberships=(("Stadt Lüdenscheid", MEMBER, APPROVED, ""),)),
    DemoUser("anna.hoffmann@example.org", "Anna Hoffmann", "Fachdienst Stadtentwicklung",
             memberships=(("Stadt Arnsberg", ADMIN, APPROVED, ""),)),
    DemoUser("katrin.richter@example.org", "Katrin Richter", "Klimaanpassungsmanagerin",
             memberships=(("Stadt Jena", MEMBER, APPROVED, ""),)),
    DemoUser("markus.neumann@example.org", "Markus Neumann", "Wirtschaftsförderung",
             memberships=(("Stadt Lüdenscheid", MEMBER, PENDING, "Ich arbeite im Stadtmarketing."),)),
    DemoUser("sabine.wagner@example.org", "Sabine Wagner", "Kundenberatung",
             memberships=(("Leerstandslotse GmbH (Demo)", ADMIN, APPROVED, ""),)),
)


def _link(spec: DemoOrganisation) -> dict:
    """The directory entry an organisation stands for, if the demo directory has it."""
    if spec.ags:
        found = db.session.scalar(sa.select(Municipality).where(Municipality.ags == spec.ags))
        link, what = {"municipality": found}, f"Gemeinde {spec.ags}"
    elif spec.kreis_key:
        found = db.session.get(Kreis, spec.kreis_key)
        link, what = {"kreis": found}, f"Kreis {spec.kreis_key}"
    else:
        return {}
    if found is None:
        click.echo(f"  Hinweis: {what} fehlt im Verzeichnis; {spec.name} bleibt unverknüpft.")
    return link


def _organisation(spec: DemoOrganisation) -> bool:
    """Create one demo organisation unless it exists; True if created."""
    if organisation_by_slug(slugify(spec.name)) is not None:
        return False
    organisation = Organisation(name=spec.name, slug=slugify(spec.name), type=spec.type,
                                description=spec.description, website=spec.website, **_link(spec))
    organisation.domains = [OrganisationDomain(domain=domain) for domain in spec.domains]
    db.session.add(organisation)
    db.session.flush()
    return True


def _user(spec: DemoUser, moderator: User | None) -> bool:
    """Create one demo user with their memberships unless the address exists; True if created."""
    if user_by_email(spec.email) is not None:
        return False
    user = User(email=spec.email, name=spec.name, job_title=spec.job_title, site_role=spec.site_role,
                password_hash=hash_password(DEMO_PASSWORD), email_confirmed_at=utcnow())
    db.session.add(user)
    for name, role, status, message in spec.memberships:
        membership = Membership(user=user, organisation=organisation_by_slug(slugify(name)), role=role,
                                message=message)
        if status == APPROVED:
            mark_approved(membership, moderator)
        db.session.add(membership)
    db.session.flush()
    return True


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Nichts tun, wenn schon Kommunen vorhanden sind.")
@with_appcontext
def demo(if_empty: bool) -> None:
    """Demodaten laden: echte Kommunen (nur Fakten), erfundene Organisationen und Personen."""
    # Services mail and link as they do for a page: within a request on BASE_URL.
    with site_request():
        _load(if_empty)


def _load(if_empty: bool) -> None:
    if if_empty and db.session.scalar(sa.select(Municipality.id).limit(1)) is not None:
        click.echo("Es gibt schon Kommunen in der Datenbank; die Demodaten werden nicht geladen.")
        return
    click.echo("Lade Demo-Kommunen …")
    result = load_demo_municipalities()
    kreise, municipalities = result.kreise, result.municipalities
    click.echo(f"  Kreise: {kreise.created} neu, {kreise.updated} aktualisiert; "
               f"Gemeinden: {municipalities.created} neu, {municipalities.updated} aktualisiert")
    click.echo("Lege Demo-Organisationen an …")
    organisations = sum(_organisation(spec) for spec in ORGANISATIONS)
    click.echo(f"  {organisations} neu, {len(ORGANISATIONS) - organisations} schon vorhanden")
    click.echo("Lege Demo-Konten an …")
    # Staff and moderators first, so the moderator can be recorded as the one who approved.
    users = sum(_user(spec, user_by_email(USERS[1].email)) for spec in USERS)
    click.echo(f"  {users} neu, {len(USERS) - users} schon vorhanden")
    click.echo("Lege Demo-Arbeitsgruppen und -Themen an …")
    groups, threads = load_forum_demo()
    click.echo(f"  {groups} Arbeitsgruppen und {threads} Themen neu")
    click.echo("Lege Demo-Praxisbeispiele an …")
    practices = load_demo_practices()
    click.echo(f"  {practices} neu, {len(PRACTICES) - practices} schon vorhanden")
    corpus = load_corpus()
    if corpus is not None:
        click.echo(f"  Korpus „Datenprojekte“: {corpus.created} neu, {corpus.updated} aktualisiert, "
                   f"{corpus.unchanged} unverändert, {len(corpus.skipped)} übersprungen")
    click.echo("Lege Demo-Angebote und -Gesuche an …")
    offers, challenges = load_offers_demo()
    click.echo(f"  {offers} Angebote und {challenges} Gesuche neu")
    db.session.commit()
    click.echo(f"Fertig. Alle Demo-Konten haben das Passwort „{DEMO_PASSWORD}“:")
    for spec in USERS:
        click.echo(f"  {spec.email:<34} {spec.name} ({spec.job_title})")
