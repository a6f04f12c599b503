"""Organisation services: create and edit organisations, link them to the directory, manage
their e-mail domains, and the queries the organisation and moderation pages list.

Membership rules (joining, deciding, roles) live in ``memberships.py``. Like every service
module, this one checks the policy, validates, ``flush()``es and raises ``Invalid``,
``PermissionDenied`` or ``NotFound``; the view commits.
"""

import re
import unicodedata

import sqlalchemy as sa
from flask_babel import gettext as _

from ..directory.models import Kreis, Municipality, fold
from ..errors import Invalid
from ..extensions import db
from .memberships import mark_approved, notify_deciders
from .models import (
    Membership,
    MembershipRole,
    MembershipStatus,
    Organisation,
    OrganisationDomain,
    OrganisationType,
    User,
)
from .permissions import require

# Addresses at these providers say nothing about the employer, so they never verify anyone.
PUBLIC_MAIL_PROVIDERS = frozenset(
    {
        "gmail.com", "googlemail.com", "web.de", "gmx.de", "gmx.net", "gmx.at", "gmx.ch",
        "t-online.de", "outlook.com", "outlook.de", "hotmail.com", "hotmail.de", "live.com",
        "live.de", "msn.com", "yahoo.com", "yahoo.de", "posteo.de", "mailbox.org", "icloud.com",
        "me.com", "aol.com", "aol.de", "freenet.de", "arcor.de", "online.de", "1und1.de",
        "protonmail.com", "proton.me", "tutanota.com", "tuta.io",
    }
)
_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
HOSTNAME = re.compile(rf"^(?=.{{4,253}}$){_LABEL}(\.{_LABEL})*\.([a-z]{{2,63}}|xn--[a-z0-9-]{{1,59}})$")
TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
# "neu" is the create page's path segment (/organisationen/neu), so no organisation may use it.
RESERVED_SLUGS = frozenset({"neu"})
SLUG_LENGTH = 80
LINKED_TYPES = {OrganisationType.KOMMUNE: "municipality", OrganisationType.LANDKREIS: "kreis_key"}
MODERATOR_FIELDS = frozenset({"name", "type", "municipality", "kreis_key"})


def slugify(name: str) -> str:
    """A URL segment from a German name: "Stadt Lüdenscheid" → "stadt-luedenscheid"."""
    text = name.casefold().translate(TRANSLITERATION)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:SLUG_LENGTH].strip("-") or "organisation"


def unique_slug(name: str) -> str:
    """``slugify(name)``, with ``-2``, ``-3``… appended while the slug is taken or reserved."""
    base = slugify(name)
    taken = set(db.session.scalars(sa.select(Organisation.slug).where(Organisation.slug.startswith(base))))
    taken |= RESERVED_SLUGS
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def find_municipality(text: str) -> Municipality:
    """The Gemeinde named by an eight-digit AGS or by its unambiguous name."""
    text = text.strip()
    if re.fullmatch(r"\d{8}", text):
        municipality = db.session.scalar(sa.select(Municipality).where(Municipality.ags == text))
        if municipality is None:
            raise Invalid(_("Es gibt keine Gemeinde mit dem Schlüssel %(ags)s.", ags=text), "municipality")
        return municipality
    matches = db.session.scalars(
        sa.select(Municipality).where(Municipality.search_name == fold(text)).limit(5)
    ).all()
    if not matches:
        raise Invalid(_("Keine Gemeinde heißt „%(name)s“. Bitte prüfen Sie den Namen oder geben "
                        "Sie den achtstelligen Gemeindeschlüssel (AGS) an.", name=text), "municipality")
    if len(matches) > 1:
        options = ", ".join(
            f"{m.name} ({m.ags}, {m.kreis.name if m.kreis else m.land_name})" for m in matches
        )
        raise Invalid(_("Mehrere Gemeinden heißen so: %(options)s. Bitte geben Sie den "
                        "Gemeindeschlüssel (AGS) an.", options=options), "municipality")
    return matches[0]


def find_kreis(key: str) -> Kreis:
    """The Kreis with this five-digit key."""
    key = key.strip()
    if not re.fullmatch(r"\d{5}", key):
        raise Invalid(_("Der Kreisschlüssel besteht aus fünf Ziffern, z. B. 05962."), "kreis_key")
    kreis = db.session.get(Kreis, key)
    if kreis is None:
        raise Invalid(_("Es gibt keinen Kreis mit dem Schlüssel %(key)s.", key=key), "kreis_key")
    return kreis


def directory_link(type: OrganisationType, municipality_text: str, kreis_key: str,
                   organisation_id: int | None = None) -> tuple[Municipality | None, Kreis | None]:
    """The Gemeinde a Kommune or the Kreis a Landkreis stands for; each has one organisation."""
    wanted = LINKED_TYPES.get(type)
    for field, value in (("municipality", municipality_text), ("kreis_key", kreis_key)):
        if value.strip() and field != wanted:
            raise Invalid(_("Dieses Feld gilt nur für Organisationen vom Typ %(type)s.",
                            type=_type_for_field(field).label), field)
    if wanted is None:
        return None, None
    if wanted == "municipality":
        if not municipality_text.strip():
            raise Invalid(_("Bitte geben Sie den Gemeindeschlüssel (AGS) oder den Namen der Gemeinde an."),
                          "municipality")
        municipality, kreis = find_municipality(municipality_text), None
        owner_filter = Organisation.municipality_id == municipality.id
    else:
        if not kreis_key.strip():
            raise Invalid(_("Bitte geben Sie den fünfstelligen Kreisschlüssel an."), "kreis_key")
        municipality, kreis = None, find_kreis(kreis_key)
        owner_filter = Organisation.kreis_key == kreis.key
    owner = db.session.scalar(
        sa.select(Organisation).where(owner_filter, Organisation.id != (organisation_id or 0))
    )
    if owner is not None:
        raise Invalid(_("Dafür gibt es schon eine Organisation: %(name)s. Bitten Sie dort um "
                        "Aufnahme.", name=owner.name), wanted)
    return municipality, kreis


def _type_for_field(field: str) -> OrganisationType:
    return next(t for t, f in LINKED_TYPES.items() if f == field)


def create_organisation(actor: User, *, name: str, type: OrganisationType, description: str = "",
                        website: str = "", municipality: str = "", kreis_key: str = "") -> Organisation:
    """Create an organisation; the creator becomes its admin, approved at once only for
    moderators (everyone else waits for a moderator to confirm them)."""
    require(actor, "organisation.create")
    linked_municipality, linked_kreis = directory_link(type, municipality, kreis_key)
    organisation = Organisation(
        name=name.strip(), slug=unique_slug(name), type=type, description=description.strip(),
        website=website.strip(), municipality=linked_municipality, kreis=linked_kreis,
    )
    db.session.add(organisation)
    membership = Membership(user=actor, organisation=organisation, role=MembershipRole.ADMIN)
    db.session.add(membership)
    db.session.flush()
    if actor.is_moderator:
        mark_approved(membership, actor)
    else:
        notify_deciders(membership)
    return organisation


def update_organisation(actor: User, organisation: Organisation, **changes: str) -> None:
    """Change an organisation's details; name, type and directory link are for moderators."""
    require(actor, "organisation.edit", organisation)
    if MODERATOR_FIELDS & changes.keys():
        require(actor, "moderation.access")
        type = changes["type"]
        organisation.municipality, organisation.kreis = directory_link(
            type, changes["municipality"], changes["kreis_key"], organisation.id
        )
        organisation.type, organisation.name = type, changes["name"].strip()
    for field in ("description", "website"):
        if field in changes:
            setattr(organisation, field, changes[field].strip())
    db.session.flush()


def normalise_domain(text: str) -> str:
    """Lower-case a domain, forgiving a leading "@" or a trailing dot."""
    return text.strip().lower().removeprefix("@").rstrip(".")


def add_domain(actor: User, organisation: Organisation, text: str) -> OrganisationDomain:
    """Let confirmed addresses at ``text`` join ``organisation`` without review."""
    require(actor, "organisation.manage_domains", organisation)
    domain = normalise_domain(text)
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        ascii_domain = ""
    if not HOSTNAME.fullmatch(ascii_domain):
        raise Invalid(_("Bitte geben Sie eine Domain wie „luedenscheid.de“ an, ohne @ und ohne https://."),
                      "domain")
    if domain in PUBLIC_MAIL_PROVIDERS:
        raise Invalid(_("%(domain)s ist ein öffentlicher E-Mail-Anbieter. Adressen dort sagen nichts "
                        "über den Arbeitgeber aus und können nicht automatisch verifizieren.",
                        domain=domain), "domain")
    owner = db.session.scalar(sa.select(OrganisationDomain).where(OrganisationDomain.domain == domain))
    if owner is not None:
        raise Invalid(_("Die Domain %(domain)s gehört schon zu %(name)s.", domain=domain,
                        name=owner.organisation.name), "domain")
    entry = OrganisationDomain(organisation=organisation, domain=domain)
    db.session.add(entry)
    db.session.flush()
    return entry


def remove_domain(actor: User, entry: OrganisationDomain) -> None:
    """Stop verifying addresses at this domain automatically (existing members stay)."""
    require(actor, "organisation.manage_domains", entry.organisation)
    entry.organisation.domains.remove(entry)
    db.session.flush()


def organisations_query(q: str = "", type: OrganisationType | None = None) -> sa.Select:
    """Organisations by name; ``q`` matches the name or the linked Gemeinde's folded name."""
    query = sa.select(Organisation).outerjoin(Organisation.municipality)
    if type is not None:
        query = query.where(Organisation.type == type)
    if q.strip():
        query = query.where(sa.or_(Organisation.name.icontains(q.strip(), autoescape=True),
                                   Municipality.search_name.contains(fold(q.strip()), autoescape=True)))
    return query.order_by(sa.func.lower(Organisation.name), Organisation.id)


def organisation_by_slug(slug: str) -> Organisation | None:
    """The organisation at ``/organisationen/<slug>``."""
    return db.session.scalar(sa.select(Organisation).where(Organisation.slug == slug))


def approved_members(organisation: Organisation) -> list[Membership]:
    """Verified members, admins first, then by name."""
    return sorted(
        (m for m in organisation.memberships if m.is_approved),
        key=lambda m: (m.role != MembershipRole.ADMIN, m.user.name.casefold()),
    )


def pending_memberships(organisation: Organisation | None = None) -> list[Membership]:
    """Open requests, oldest first; of one organisation or of all."""
    query = sa.select(Membership).where(Membership.status == MembershipStatus.PENDING)
    if organisation is not None:
        query = query.where(Membership.organisation_id == organisation.id)
    return list(db.session.scalars(query.order_by(Membership.requested_at, Membership.id)))


def organisations_without_admin() -> list[Organisation]:
    """Organisations nobody may manage yet: no approved admin (often only a pending one)."""
    has_admin = (
        sa.select(Membership.id)
        .where(Membership.organisation_id == Organisation.id, Membership.role == MembershipRole.ADMIN,
               Membership.status == MembershipStatus.APPROVED)
        .exists()
    )
    return list(db.session.scalars(sa.select(Organisation).where(~has_admin).order_by(Organisation.name)))
