"""Offers of solution providers (Angebote) and challenges of municipalities (Gesuche).

An offer is always provider content: its search kind says so, and every page shows it. A
reference to a practice counts only once a verified member of the practice's organisation has
confirmed it; until then only the provider sees it. A withdrawn offer leaves lists, search, the
API and challenge matches; its page says it was withdrawn, and its references and
recommendations stay stored but hidden. A challenge collects answers (each points to an offer)
until its municipality closes it with what it chose.
"""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import search
from ..accounts.models import Organisation, User
from ..database import UTCDateTime, text_enum, utcnow
from ..directory.models import LAENDER
from ..extensions import db
from ..practices.models import Practice
from ..practices.topics import Topic

#: The search kind's label: a hit, a card and a page all say whose content this is.
PROVIDER_CONTENT = _l("Angebot eines Lösungsanbieters")


class PriceModel(enum.StrEnum):
    KOSTENLOS = "kostenlos"
    LIZENZ = "lizenz"
    PROJEKTPREIS = "projektpreis"
    AUF_ANFRAGE = "auf-anfrage"

    @property
    def label(self) -> str:
        return str(PRICE_MODEL_LABELS[self])


PRICE_MODEL_LABELS = {
    PriceModel.KOSTENLOS: _l("kostenlos"),
    PriceModel.LIZENZ: _l("Lizenz"),
    PriceModel.PROJEKTPREIS: _l("Projektpreis"),
    PriceModel.AUF_ANFRAGE: _l("auf Anfrage"),
}


class ChallengeState(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


def _topics(rows) -> list[Topic]:
    return [topic for row in rows if (topic := Topic.by_slug(row.topic))]


@search.searchable("offer", PROVIDER_CONTENT, mixed=False)
class Offer(db.Model):
    """What a solution provider offers municipalities, with price model, regions and references."""

    __tablename__ = "offer"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    slug: Mapped[str] = mapped_column(sa.String(120))
    title: Mapped[str] = mapped_column(sa.String(200))
    teaser: Mapped[str] = mapped_column(sa.String(500))
    description: Mapped[str] = mapped_column(sa.Text)
    description_html: Mapped[str] = mapped_column(sa.Text)
    price_model: Mapped[PriceModel] = mapped_column(text_enum(PriceModel))
    price_note: Mapped[str] = mapped_column(sa.String(300), default="")
    #: Länder served (two-digit keys); empty means all of Germany.
    regions: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    contact_name: Mapped[str] = mapped_column(sa.String(120), default="")
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Set when the provider withdrew the offer; a withdrawn offer is shown nowhere but its page.
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation] = relationship()
    author: Mapped[User | None] = relationship()
    topic_rows: Mapped[list["OfferTopic"]] = relationship(cascade="all, delete-orphan",
                                                          order_by="OfferTopic.topic")
    references: Mapped[list["OfferReference"]] = relationship(
        back_populates="offer", cascade="all, delete-orphan", order_by="OfferReference.id"
    )
    recommendations: Mapped[list["Recommendation"]] = relationship(
        back_populates="offer", cascade="all, delete-orphan", order_by="Recommendation.created_at"
    )

    @property
    def topics(self) -> list[Topic]:
        return _topics(self.topic_rows)

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def region_names(self) -> list[str]:
        return [LAENDER[key][0] for key in self.regions or [] if key in LAENDER]

    @property
    def confirmed_references(self) -> list["OfferReference"]:
        """The references others see: confirmed by the practice's organisation."""
        return [reference for reference in self.references if reference.is_confirmed]

    @property
    def url(self) -> str:
        return f"/angebote/{self.id}-{self.slug}"

    def search_document(self) -> dict | None:
        if self.is_withdrawn:
            return None
        return {
            "title": self.title,
            "teaser": self.teaser,
            "body": Markup(self.description_html).striptags(),
            "url": self.url,
            "published": self.created_at,
            "topic": [topic.slug for topic in self.topics],
            "organisation": self.organisation.name,
        }

    def __repr__(self) -> str:
        return f"<Offer {self.id} {self.title!r}>"


class OfferTopic(db.Model):
    """One Handlungsfeld of an offer."""

    __tablename__ = "offer_topic"

    offer_id: Mapped[int] = mapped_column(sa.ForeignKey("offer.id", ondelete="CASCADE"), primary_key=True)
    topic: Mapped[str] = mapped_column(sa.String(40), primary_key=True)


class OfferReference(db.Model):
    """A practice the offer was used in; shown once the practice's organisation confirmed it."""

    __tablename__ = "offer_reference"
    __table_args__ = (sa.UniqueConstraint("offer_id", "practice_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(sa.ForeignKey("offer.id", ondelete="CASCADE"), index=True)
    practice_id: Mapped[int] = mapped_column(sa.ForeignKey("practice.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))

    offer: Mapped[Offer] = relationship(back_populates="references")
    practice: Mapped[Practice] = relationship()
    confirmed_by: Mapped[User | None] = relationship()

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class Recommendation(db.Model):
    """A municipality recommends an offer (once per organisation), with a short note."""

    __tablename__ = "offer_recommendation"
    __table_args__ = (sa.UniqueConstraint("offer_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(sa.ForeignKey("offer.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(sa.String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    offer: Mapped[Offer] = relationship(back_populates="recommendations")
    organisation: Mapped[Organisation] = relationship()
    user: Mapped[User | None] = relationship()


@search.searchable("challenge", _l("Gesuch einer Kommune"))
class Challenge(db.Model):
    """A municipality's "Wir suchen eine Lösung für …", open for answers until its deadline."""

    __tablename__ = "challenge"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    slug: Mapped[str] = mapped_column(sa.String(120))
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text)
    description_html: Mapped[str] = mapped_column(sa.Text)
    deadline: Mapped[date] = mapped_column(sa.Date)
    state: Mapped[ChallengeState] = mapped_column(text_enum(ChallengeState), default=ChallengeState.OPEN)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: What the municipality chose, in its words (the chosen answer, if any, is marked on it).
    outcome: Mapped[str] = mapped_column(sa.Text, default="")
    outcome_html: Mapped[str] = mapped_column(sa.Text, default="")

    organisation: Mapped[Organisation] = relationship()
    author: Mapped[User | None] = relationship()
    topic_rows: Mapped[list["ChallengeTopic"]] = relationship(cascade="all, delete-orphan",
                                                              order_by="ChallengeTopic.topic")
    answers: Mapped[list["ChallengeAnswer"]] = relationship(
        back_populates="challenge", cascade="all, delete-orphan", order_by="ChallengeAnswer.id"
    )

    @property
    def topics(self) -> list[Topic]:
        return _topics(self.topic_rows)

    @property
    def is_open(self) -> bool:
        return self.state == ChallengeState.OPEN

    @property
    def chosen_answer(self) -> "ChallengeAnswer | None":
        return next((answer for answer in self.answers if answer.chosen), None)

    @property
    def url(self) -> str:
        return f"/gesuche/{self.id}-{self.slug}"

    def search_document(self) -> dict:
        return {
            "title": self.title,
            "teaser": Markup(self.description_html).striptags()[:240],
            "body": Markup(self.description_html).striptags(),
            "url": self.url,
            "published": self.created_at,
            "topic": [topic.slug for topic in self.topics],
            "organisation": self.organisation.name,
            "municipality": self.organisation.municipality.name if self.organisation.municipality else None,
        }

    def __repr__(self) -> str:
        return f"<Challenge {self.id} {self.title!r}>"


class ChallengeTopic(db.Model):
    """One Handlungsfeld of a challenge."""

    __tablename__ = "challenge_topic"

    challenge_id: Mapped[int] = mapped_column(sa.ForeignKey("challenge.id", ondelete="CASCADE"),
                                              primary_key=True)
    topic: Mapped[str] = mapped_column(sa.String(40), primary_key=True, index=True)


class ChallengeAnswer(db.Model):
    """A provider's answer to a challenge: one of its offers and a message (once per offer)."""

    __tablename__ = "challenge_answer"
    __table_args__ = (sa.UniqueConstraint("challenge_id", "offer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(sa.ForeignKey("challenge.id", ondelete="CASCADE"), index=True)
    offer_id: Mapped[int] = mapped_column(sa.ForeignKey("offer.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    message: Mapped[str] = mapped_column(sa.Text)
    message_html: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    helpful_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    chosen: Mapped[bool] = mapped_column(default=False)

    challenge: Mapped[Challenge] = relationship(back_populates="answers")
    offer: Mapped[Offer] = relationship()
    author: Mapped[User | None] = relationship()

    @property
    def is_helpful(self) -> bool:
        return self.helpful_at is not None


class TopicWatch(db.Model):
    """A provider's member watches a Handlungsfeld and hears of new challenges in it."""

    __tablename__ = "offer_topic_watch"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"),
                                         primary_key=True)
    topic: Mapped[str] = mapped_column(sa.String(40), primary_key=True, index=True)
