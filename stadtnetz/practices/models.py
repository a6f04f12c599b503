"""Practices (Praxisbeispiele) and what hangs on them: key figures, partners, attachments,
revisions, follow-up notes and adoptions by other organisations.

User text is stored as written beside its HTML, rendered once on write by the services.
Municipality, Land and size class are not stored: they come from the organisation's entry in
the directory, so a practice never disagrees with it.
"""

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import search
from ..accounts.models import Organisation, User
from ..database import UTCDateTime, text_enum, utcnow
from ..directory.models import Municipality
from ..extensions import db
from .topics import AdoptionKind, PracticeState, PracticeStatus, Topic, cost_range

DEFAULT_LICENCE = "CC-BY-4.0"
#: The body's sections in reading order: (attribute, heading).
SECTIONS = (
    ("situation", _l("Ausgangslage")),
    ("implementation", _l("Umsetzung")),
    ("results", _l("Ergebnisse")),
    ("lessons", _l("Was nicht funktioniert hat")),
    ("transferability", _l("Übertragbarkeit")),
)


@search.searchable("practice", _l("Praxisbeispiel"))
class Practice(db.Model):
    """A case a municipality (or another organisation) shares: what it did and what came of it."""

    __tablename__ = "practice"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    # Set to NULL when the author deletes the account: shown as "gelöschtes Konto".
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    slug: Mapped[str] = mapped_column(sa.String(120))
    title: Mapped[str] = mapped_column(sa.String(200))
    teaser: Mapped[str] = mapped_column(sa.String(500), default="")
    situation: Mapped[str] = mapped_column(sa.Text, default="")
    situation_html: Mapped[str] = mapped_column(sa.Text, default="")
    implementation: Mapped[str] = mapped_column(sa.Text, default="")
    implementation_html: Mapped[str] = mapped_column(sa.Text, default="")
    results: Mapped[str] = mapped_column(sa.Text, default="")
    results_html: Mapped[str] = mapped_column(sa.Text, default="")
    lessons: Mapped[str] = mapped_column(sa.Text, default="")
    lessons_html: Mapped[str] = mapped_column(sa.Text, default="")
    transferability: Mapped[str] = mapped_column(sa.Text, default="")
    transferability_html: Mapped[str] = mapped_column(sa.Text, default="")
    tags: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    status: Mapped[PracticeStatus] = mapped_column(
        text_enum(PracticeStatus), default=PracticeStatus.UMSETZUNG
    )
    state: Mapped[PracticeState] = mapped_column(text_enum(PracticeState), default=PracticeState.DRAFT,
                                                 index=True)
    started_on: Mapped[date | None] = mapped_column(sa.Date)
    ended_on: Mapped[date | None] = mapped_column(sa.Date)
    total_cost: Mapped[int | None] = mapped_column(sa.BigInteger)
    funding_programme: Mapped[str] = mapped_column(sa.String(200), default="")
    funding_amount: Mapped[int | None] = mapped_column(sa.BigInteger)
    own_share: Mapped[int | None] = mapped_column(sa.BigInteger)
    contact_name: Mapped[str] = mapped_column(sa.String(120), default="")
    contact_role: Mapped[str] = mapped_column(sa.String(120), default="")
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="")
    contact_phone: Mapped[str] = mapped_column(sa.String(40), default="")
    licence: Mapped[str] = mapped_column(sa.String(40), default=DEFAULT_LICENCE)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation] = relationship()
    author: Mapped[User | None] = relationship()
    topic_rows: Mapped[list["PracticeTopic"]] = relationship(
        cascade="all, delete-orphan", order_by="PracticeTopic.topic"
    )
    key_figures: Mapped[list["KeyFigure"]] = relationship(
        cascade="all, delete-orphan", order_by="KeyFigure.position"
    )
    partners: Mapped[list["PracticePartner"]] = relationship(
        cascade="all, delete-orphan", order_by="PracticePartner.position"
    )
    attachments: Mapped[list["PracticeAttachment"]] = relationship(
        back_populates="practice", cascade="all, delete-orphan", order_by="PracticeAttachment.id"
    )
    revisions: Mapped[list["PracticeRevision"]] = relationship(
        back_populates="practice", cascade="all, delete-orphan", order_by="PracticeRevision.number"
    )
    follow_ups: Mapped[list["PracticeFollowUp"]] = relationship(
        back_populates="practice", cascade="all, delete-orphan", order_by="PracticeFollowUp.noted_on"
    )
    adoptions: Mapped[list["Adoption"]] = relationship(
        back_populates="practice", cascade="all, delete-orphan", order_by="Adoption.created_at"
    )

    @property
    def topics(self) -> list[Topic]:
        return [topic for row in self.topic_rows if (topic := Topic.by_slug(row.topic))]

    @property
    def is_public(self) -> bool:
        """Published or archived practices may be read by anyone; drafts only by their authors."""
        return self.state != PracticeState.DRAFT

    @property
    def municipality(self) -> Municipality | None:
        return self.organisation.municipality

    @property
    def land_key(self) -> str | None:
        if self.organisation.municipality:
            return self.organisation.municipality.land_key
        return self.organisation.kreis.land_key if self.organisation.kreis else None

    @property
    def cost_range(self) -> str | None:
        return cost_range(self.total_cost)

    @property
    def url(self) -> str:
        return f"/praxisbeispiele/{self.id}-{self.slug}"

    def plain_text(self) -> str:
        """The body without Markdown or HTML, section after section."""
        return "\n\n".join(
            Markup(getattr(self, f"{name}_html")).striptags() for name, _label in SECTIONS
            if getattr(self, name)
        )

    def search_document(self) -> dict | None:
        """The search index's document; None unless published (drafts and archive stay unfound)."""
        if self.state != PracticeState.PUBLISHED:
            return None
        municipality = self.municipality
        document = {
            "title": self.title,
            "teaser": self.teaser,
            "body": self.plain_text(),
            "tags": list(self.tags or []),
            "url": self.url,
            "published": self.published_at,
            "topic": [topic.slug for topic in self.topics],
            "status": self.status.value,
            "organisation": self.organisation.name,
            "land": self.land_key,
            "size_class": municipality.size_class.slug if municipality and municipality.size_class else None,
            "municipality": municipality.name if municipality else None,
            "funding": self.funding_programme or None,
            "cost_range": self.cost_range,
            "cost": self.total_cost,
        }
        return {key: value for key, value in document.items() if value is not None}

    def __repr__(self) -> str:
        return f"<Practice {self.id} {self.title!r}>"


class PracticeTopic(db.Model):
    """One Handlungsfeld of a practice (a slug of ``Topic``)."""

    __tablename__ = "practice_topic"

    practice_id: Mapped[int] = mapped_column(sa.ForeignKey("practice.id", ondelete="CASCADE"),
                                             primary_key=True)
    topic: Mapped[str] = mapped_column(sa.String(40), primary_key=True, index=True)


class KeyFigure(db.Model):
    """A result in numbers: a named figure before and after, with unit and date of measurement."""

    __tablename__ = "practice_key_figure"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(sa.ForeignKey("practice.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(sa.String(200))
    before: Mapped[Decimal | None] = mapped_column(sa.Numeric(18, 4))
    after: Mapped[Decimal | None] = mapped_column(sa.Numeric(18, 4))
    unit: Mapped[str] = mapped_column(sa.String(40), default="")
    measured_on: Mapped[date | None] = mapped_column(sa.Date)


class PracticePartner(db.Model):
    """A partner of the project (an association, a solution provider…), linked to its
    organisation on Stadtnetz when there is one of that name."""

    __tablename__ = "practice_partner"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(sa.ForeignKey("practice.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[str] = mapped_column(sa.String(200), default="")
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )

    organisation: Mapped[Organisation | None] = relationship()


class PracticeAttachment(db.Model):
    """A PDF or image of a practice; the file lives in the instance folder under ``storage_key``."""

    __tablename__ = "practice_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(sa.ForeignKey("practice.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(sa.String(200))
    title: Mapped[str] = mapped_column(sa.String(200), default="")
    content_type: Mapped[str] = mapped_column(sa.String(60))
    size: Mapped[int]
    storage_key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    practice: Mapped[Practice] = relationship(back_populates="attachments")
    uploaded_by: Mapped[User | None] = relationship()


class PracticeRevision(db.Model):
    """A snapshot of a published practice after one save: who changed it, when, to what."""

    __tablename__ = "practice_revision"
    __table_args__ = (sa.UniqueConstraint("practice_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(sa.ForeignKey("practice.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    snapshot: Mapped[dict] = mapped_column(sa.JSON)

    practice: Mapped[Practice] = relationship(back_populates="revisions")
    author: Mapped[User | None] = relationship()


class PracticeFollowUp(db.Model):
    """A dated note on what happened later (Fortschreibung), e.g. twelve months on."""

    __tablename__ = "practice_follow_up"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(sa.ForeignKey("practice.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    noted_on: Mapped[date] = mapped_column(sa.Date)
    body: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    practice: Mapped[Practice] = relationship(back_populates="follow_ups")
    author: Mapped[User | None] = relationship()


class Adoption(db.Model):
    """Another organisation took a practice over or was inspired by it (once per organisation)."""

    __tablename__ = "practice_adoption"
    __table_args__ = (sa.UniqueConstraint("practice_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(sa.ForeignKey("practice.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    kind: Mapped[AdoptionKind] = mapped_column(text_enum(AdoptionKind))
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    practice: Mapped[Practice] = relationship(back_populates="adoptions")
    organisation: Mapped[Organisation] = relationship()
    user: Mapped[User | None] = relationship()
