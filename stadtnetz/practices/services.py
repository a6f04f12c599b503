"""Practice services: write, publish and archive practices, keep their revisions, add follow-up
notes and adoptions. Like every service module they check the policy, validate, ``flush()``
and raise ``Invalid``, ``PermissionDenied`` or ``NotFound``; the caller commits.

``actor=None`` means the system itself (the importer on the command line): no permission check,
no author.
"""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..accounts.models import Organisation
from ..accounts.organisations import slugify
from ..accounts.permissions import can, membership_of, require
from ..content import render_markdown
from ..database import utcnow
from ..errors import Invalid, NotFound
from ..extensions import db
from ..signals import practice_published, practice_updated, practice_withdrawn
from .models import (
    DEFAULT_LICENCE,
    SECTIONS,
    Adoption,
    KeyFigure,
    Practice,
    PracticeFollowUp,
    PracticePartner,
    PracticeRevision,
    PracticeTopic,
)
from .topics import AdoptionKind, PracticeState, PracticeStatus, Topic

#: Plain fields ``create_practice``/``update_practice`` take from ``data`` as they are.
SIMPLE_FIELDS = (
    "title", "teaser", "status", "started_on", "ended_on", "total_cost", "funding_programme",
    "funding_amount", "own_share", "contact_name", "contact_role", "contact_email", "contact_phone",
    "licence",
)
SECTION_FIELDS = tuple(name for name, _label in SECTIONS)
#: What a practice needs before others see it, so that cases stay comparable.
PUBLISH_REQUIRES = (
    ("teaser", _l("Kurzbeschreibung")), ("situation", _l("Ausgangslage")),
    ("implementation", _l("Umsetzung")), ("topic_rows", _l("Handlungsfelder")),
)
LICENCES = {"CC-BY-4.0": "CC BY 4.0", "CC-BY-SA-4.0": "CC BY-SA 4.0", "CC0-1.0": "CC0 1.0"}
MAX_LENGTHS = {
    "title": 200, "teaser": 500, "funding_programme": 200, "contact_name": 120, "contact_role": 120,
    "contact_email": 254, "contact_phone": 40,
}


def authorise(actor, action: str, target: Any) -> None:
    """Check the policy for ``actor``; the system itself (``None``) may do anything."""
    if actor is not None:
        require(actor, action, target)


def is_visible(practice: Practice, user) -> bool:
    """Whether ``user`` (possibly anonymous) may read ``practice``: drafts only its writers."""
    return practice.is_public or can(user, "practice.edit", practice)


def get_practice(practice_id: int, user) -> Practice:
    """The practice ``user`` may read, or ``NotFound`` (a draft is not found by others)."""
    practice = db.session.get(Practice, practice_id)
    if practice is None or not is_visible(practice, user):
        raise NotFound()
    return practice


def create_practice(actor, organisation: Organisation, data: dict[str, Any]) -> Practice:
    """Write a new draft practice of ``organisation`` from ``data`` (see ``SIMPLE_FIELDS``,
    the section names, ``topics``, ``tags``, ``key_figures`` and ``partners``)."""
    authorise(actor, "practice.create", organisation)
    practice = Practice(organisation=organisation, author=actor, state=PracticeState.DRAFT,
                        status=PracticeStatus.UMSETZUNG, licence=DEFAULT_LICENCE, tags=[])
    _apply(practice, {"title": "", **data})
    db.session.add(practice)
    db.session.flush()
    return practice


def update_practice(actor, practice: Practice, data: dict[str, Any]) -> Practice:
    """Change the keys of ``data``; a published practice keeps a revision of every save."""
    authorise(actor, "practice.edit", practice)
    _apply(practice, data)
    practice.updated_at = utcnow()
    db.session.flush()
    if practice.state == PracticeState.PUBLISHED:
        _keep_revision(actor, practice)
        practice_updated.send(practice)
    return practice


def publish_practice(actor, practice: Practice, at: datetime | None = None) -> Practice:
    """Publish a draft (or an archived practice again); its first revision records the text."""
    authorise(actor, "practice.edit", practice)
    if practice.state == PracticeState.PUBLISHED:
        raise Invalid(_("Das Praxisbeispiel ist schon veröffentlicht."))
    missing = [str(label) for name, label in PUBLISH_REQUIRES if not getattr(practice, name)]
    if missing:
        raise Invalid(_("Vor dem Veröffentlichen fehlen noch: %(fields)s.", fields=", ".join(missing)))
    practice.state = PracticeState.PUBLISHED
    practice.published_at = practice.published_at or at or utcnow()
    practice.archived_at = None
    practice.updated_at = utcnow()
    db.session.flush()
    _keep_revision(actor, practice)
    practice_published.send(practice)
    return practice


def archive_practice(actor, practice: Practice) -> Practice:
    """Take a published practice out of lists and search; its page stays readable."""
    authorise(actor, "practice.edit", practice)
    if practice.state != PracticeState.PUBLISHED:
        raise Invalid(_("Nur veröffentlichte Praxisbeispiele können archiviert werden."))
    practice.state = PracticeState.ARCHIVED
    practice.archived_at = practice.updated_at = utcnow()
    db.session.flush()
    practice_withdrawn.send(practice)
    return practice


def add_follow_up(actor, practice: Practice, noted_on: date, body: str) -> PracticeFollowUp:
    """Add a dated note on what happened since (Fortschreibung)."""
    authorise(actor, "practice.edit", practice)
    body = (body or "").strip()
    if not body:
        raise Invalid(_("Bitte schreiben Sie, was sich getan hat."), "body")
    if noted_on > date.today():
        raise Invalid(_("Das Datum darf nicht in der Zukunft liegen."), "noted_on")
    follow_up = PracticeFollowUp(practice=practice, author=actor, noted_on=noted_on, body=body,
                                 body_html=render_markdown(body))
    db.session.add(follow_up)
    practice.updated_at = utcnow()
    db.session.flush()
    return follow_up


def adoption_organisations(user, practice: Practice) -> list[Organisation]:
    """The organisations ``user`` may still record an adoption of ``practice`` for."""
    if not can(user, "practice.adopt", practice):
        return []
    taken = {practice.organisation_id} | {adoption.organisation_id for adoption in practice.adoptions}
    return [m.organisation for m in user.approved_memberships if m.organisation_id not in taken]


def adopt_practice(actor, practice: Practice, organisation: Organisation, kind: AdoptionKind,
                   note: str = "") -> Adoption:
    """Record that ``organisation`` (the actor's, not the practice's own) took ``practice`` up."""
    require(actor, "practice.adopt", practice)
    membership = membership_of(actor, organisation)
    if membership is None or not membership.is_approved:
        raise Invalid(_("Sie sind kein verifiziertes Mitglied dieser Organisation."), "organisation")
    if organisation.id == practice.organisation_id:
        raise Invalid(_("Das eigene Praxisbeispiel kann man nicht übernehmen."), "organisation")
    if any(adoption.organisation_id == organisation.id for adoption in practice.adoptions):
        raise Invalid(_("%(name)s hat dieses Praxisbeispiel schon eingetragen.", name=organisation.name),
                      "organisation")
    note = (note or "").strip()
    if len(note) > 500:
        raise Invalid(_("Bitte höchstens %(max)d Zeichen eingeben.", max=500), "note")
    adoption = Adoption(practice=practice, organisation=organisation, user=actor, kind=kind, note=note)
    db.session.add(adoption)
    db.session.flush()
    return adoption


def withdraw_adoption(actor, adoption: Adoption) -> None:
    """Remove an adoption again (members of the adopting organisation)."""
    authorise(actor, "adoption.withdraw", adoption)
    db.session.delete(adoption)
    db.session.flush()


def _apply(practice: Practice, data: dict[str, Any]) -> None:
    """Validate ``data`` and write it onto ``practice``; sections are rendered here, once."""
    values = {key: data[key] for key in SIMPLE_FIELDS if key in data}
    for key, limit in MAX_LENGTHS.items():
        if key in values:
            values[key] = (values[key] or "").strip()
            if len(values[key]) > limit:
                raise Invalid(_("Bitte höchstens %(max)d Zeichen eingeben.", max=limit), key)
    if "title" in values and not values["title"]:
        raise Invalid(_("Bitte geben Sie einen Titel an."), "title")
    if "status" in values:
        values["status"] = PracticeStatus(values["status"])
    if "licence" in values and values["licence"] not in LICENCES:
        raise Invalid(_("Diese Lizenz steht nicht zur Wahl."), "licence")
    for key in ("total_cost", "funding_amount", "own_share"):
        if values.get(key) is not None and values[key] < 0:
            raise Invalid(_("Bitte geben Sie einen Betrag ab 0 Euro an."), key)
    started = values.get("started_on", practice.started_on)
    ended = values.get("ended_on", practice.ended_on)
    if started and ended and ended < started:
        raise Invalid(_("Das Ende darf nicht vor dem Beginn liegen."), "ended_on")
    for key, value in values.items():
        setattr(practice, key, value)
    if "title" in values:
        practice.slug = slugify(practice.title)[:120]
    for name in SECTION_FIELDS:
        if name in data:
            text = data[name] or ""
            setattr(practice, name, text)
            setattr(practice, f"{name}_html", render_markdown(text))
    if "topics" in data:
        _set_topics(practice, data["topics"])
    if "tags" in data:
        practice.tags = _clean_tags(data["tags"])
    if "key_figures" in data:
        practice.key_figures = [_key_figure(n, row) for n, row in enumerate(data["key_figures"])]
    if "partners" in data:
        practice.partners = [_partner(n, row) for n, row in enumerate(data["partners"])]


def _set_topics(practice: Practice, topics) -> None:
    slugs = []
    for topic in topics:
        slug = topic.slug if isinstance(topic, Topic) else topic
        if Topic.by_slug(slug) is None:
            raise Invalid(_("Unbekanntes Handlungsfeld: %(topic)s", topic=slug), "topics")
        if slug not in slugs:
            slugs.append(slug)
    current = {row.topic: row for row in practice.topic_rows}
    practice.topic_rows = [current.get(slug) or PracticeTopic(topic=slug) for slug in slugs]


def _clean_tags(tags) -> list[str]:
    if isinstance(tags, str):
        tags = tags.split(",")
    cleaned = []
    for tag in tags:
        tag = " ".join(tag.split())[:60]
        if tag and tag.casefold() not in {t.casefold() for t in cleaned}:
            cleaned.append(tag)
    return cleaned[:20]


def _decimal(value, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value).replace(",", ".")) if isinstance(value, str) else Decimal(value)
    except InvalidOperation:
        raise Invalid(_("Bitte geben Sie eine Zahl an."), field) from None


def _key_figure(position: int, row: dict) -> KeyFigure:
    name = (row.get("name") or "").strip()
    if not name:
        raise Invalid(_("Jede Kennzahl braucht einen Namen."), "key_figures")
    return KeyFigure(
        position=position, name=name[:200], before=_decimal(row.get("before"), "key_figures"),
        after=_decimal(row.get("after"), "key_figures"), unit=(row.get("unit") or "").strip()[:40],
        measured_on=row.get("measured_on"),
    )


def _partner(position: int, row: dict) -> PracticePartner:
    name = (row.get("name") or "").strip()
    if not name:
        raise Invalid(_("Jeder Partner braucht einen Namen."), "partners")
    organisation = db.session.scalar(
        sa.select(Organisation).where(sa.func.lower(Organisation.name) == name.lower()).limit(1)
    )
    return PracticePartner(position=position, name=name[:200], role=(row.get("role") or "").strip()[:200],
                           organisation=organisation)


def snapshot(practice: Practice) -> dict[str, Any]:
    """What a revision records: every field a reader sees, as JSON."""
    data = {key: getattr(practice, key) for key in SIMPLE_FIELDS + SECTION_FIELDS}
    data["status"] = practice.status.value
    for key in ("started_on", "ended_on"):
        data[key] = data[key].isoformat() if data[key] else None
    data["topics"] = [row.topic for row in practice.topic_rows]
    data["tags"] = list(practice.tags or [])
    data["key_figures"] = [
        {"name": f.name, "before": None if f.before is None else str(f.before),
         "after": None if f.after is None else str(f.after), "unit": f.unit,
         "measured_on": f.measured_on.isoformat() if f.measured_on else None}
        for f in practice.key_figures
    ]
    data["partners"] = [{"name": p.name, "role": p.role} for p in practice.partners]
    return data


def _keep_revision(actor, practice: Practice) -> PracticeRevision | None:
    """Record the practice as it now reads, unless the last revision already says the same."""
    current = snapshot(practice)
    latest = practice.revisions[-1] if practice.revisions else None
    if latest is not None and latest.snapshot == current:
        return None
    revision = PracticeRevision(practice=practice, number=(latest.number + 1) if latest else 1,
                                author=actor, snapshot=current)
    db.session.add(revision)
    db.session.flush()
    return revision
