"""Webtalks: scheduled online talks, their speakers, linked practices, registrations and the
secret tokens of the calendar feeds.

Times are stored in UTC and shown in Europe/Berlin. ``sequence`` counts the changes a calendar
must learn about (RFC 5545 SEQUENCE): it rises whenever time, title, place or status change.
The live room's tables are in ``room_models.py``.
"""

import enum
import re
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import search
from ..accounts.models import User
from ..database import UTCDateTime, text_enum, utcnow
from ..extensions import db
from ..forum.models import WorkingGroup
from ..practices.models import Practice

#: The room opens this long before the start, so people can test their set-up.
ROOM_OPENS_BEFORE = timedelta(minutes=30)


class Access(enum.StrEnum):
    PUBLIC = "public"
    MEMBERS = "members"

    @property
    def label(self) -> str:
        return str(ACCESS_LABELS[self])


ACCESS_LABELS = {
    Access.PUBLIC: _l("Öffentlich: alle angemeldeten Personen"),
    Access.MEMBERS: _l("Nur für Mitglieder der Arbeitsgruppe"),
}


class RegistrationStatus(enum.StrEnum):
    CONFIRMED = "confirmed"
    WAITING = "waiting"
    CANCELLED = "cancelled"


webtalk_practice = sa.Table(
    "webtalk_practice",
    db.metadata,
    sa.Column("webtalk_id", sa.ForeignKey("webtalk.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("practice_id", sa.ForeignKey("practice.id", ondelete="CASCADE"), primary_key=True, index=True),
)


@search.searchable("webtalk", _l("Webtalk"))
class Webtalk(db.Model):
    """A scheduled online talk of a working group, with its stage and its live room."""

    __tablename__ = "webtalk"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("forum_group.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    description_html: Mapped[str] = mapped_column(sa.Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    capacity: Mapped[int | None] = mapped_column()
    access: Mapped[Access] = mapped_column(text_enum(Access), default=Access.PUBLIC)
    stage_url: Mapped[str] = mapped_column(sa.String(500), default="")
    anonymous_questions: Mapped[bool] = mapped_column(default=False)
    sequence: Mapped[int] = mapped_column(default=0)
    # The last id handed out to an event of the live room (see room.record).
    last_event_id: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    group: Mapped[WorkingGroup] = relationship()
    created_by: Mapped[User | None] = relationship()
    speakers: Mapped[list["Speaker"]] = relationship(
        back_populates="webtalk", cascade="all, delete-orphan", order_by="Speaker.position"
    )
    practices: Mapped[list[Practice]] = relationship(secondary=webtalk_practice, order_by=Practice.title)
    registrations: Mapped[list["Registration"]] = relationship(
        back_populates="webtalk", cascade="all, delete-orphan", order_by="Registration.id"
    )

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def is_public(self) -> bool:
        return self.access == Access.PUBLIC

    def is_past(self, now: datetime | None = None) -> bool:
        return self.ends_at <= (now or utcnow())

    def room_is_open(self, now: datetime | None = None) -> bool:
        """True from shortly before the start until the end, unless cancelled."""
        now = now or utcnow()
        return not self.is_cancelled and self.starts_at - ROOM_OPENS_BEFORE <= now < self.ends_at

    @property
    def slug(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.title.lower()).strip("-")[:80] or "webtalk"

    @property
    def url(self) -> str:
        return f"/webtalks/{self.id}-{self.slug}"

    @property
    def room_url(self) -> str:
        return f"/webtalks/{self.id}/raum"

    def confirmed(self) -> list["Registration"]:
        return [r for r in self.registrations if r.status == RegistrationStatus.CONFIRMED]

    def waiting(self) -> list["Registration"]:
        return [r for r in self.registrations if r.status == RegistrationStatus.WAITING]

    def registration_of(self, user) -> "Registration | None":
        if user is None or not user.is_authenticated:
            return None
        return next((r for r in self.registrations if r.user_id == user.id), None)

    def speaker_user_ids(self) -> set[int]:
        return {s.user_id for s in self.speakers if s.user_id is not None}

    @property
    def audience(self) -> str:
        """Who may find this talk: everyone, or the members of its working group."""
        return "public" if self.is_public else f"group:{self.group_id}"

    def search_document(self) -> dict | None:
        """The index document; cancelled talks are not found."""
        if self.is_cancelled:
            return None
        return {
            "title": self.title,
            "teaser": ", ".join(s.display_name for s in self.speakers),
            "body": self.description,
            "url": self.url,
            "published": self.starts_at,
            "audience": [self.audience],
            "group": self.group.slug,
        }

    def __repr__(self) -> str:
        return f"<Webtalk {self.id} {self.title!r}>"


class Speaker(db.Model):
    """A speaker: a user of the instance or a named guest without an account."""

    __tablename__ = "webtalk_speaker"

    id: Mapped[int] = mapped_column(primary_key=True)
    webtalk_id: Mapped[int] = mapped_column(sa.ForeignKey("webtalk.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    guest_name: Mapped[str] = mapped_column(sa.String(120), default="")
    position: Mapped[int] = mapped_column(default=0)

    webtalk: Mapped[Webtalk] = relationship(back_populates="speakers")
    user: Mapped[User | None] = relationship()

    @property
    def display_name(self) -> str:
        return self.user.name if self.user else self.guest_name


class Registration(db.Model):
    """A user's place at a talk, or on its waiting list; cancelled rows stay as a record."""

    __tablename__ = "webtalk_registration"
    __table_args__ = (sa.UniqueConstraint("webtalk_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    webtalk_id: Mapped[int] = mapped_column(sa.ForeignKey("webtalk.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    status: Mapped[RegistrationStatus] = mapped_column(text_enum(RegistrationStatus))
    # The waiting list moves up in this order; a new registration after a cancellation queues anew.
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reminded_24h_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_1h_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    webtalk: Mapped[Webtalk] = relationship(back_populates="registrations")
    user: Mapped[User] = relationship()


class CalendarToken(db.Model):
    """The secret in a user's calendar feed URLs; replacing it revokes every old link."""

    __tablename__ = "webtalk_calendar_token"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    token: Mapped[str] = mapped_column(sa.String(64), unique=True, default=lambda: secrets.token_urlsafe(32))

    user: Mapped[User] = relationship()
