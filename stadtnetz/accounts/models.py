"""Users, organisations and the memberships that verify who speaks for whom."""

import enum
import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import UTCDateTime, text_enum, utcnow
from ..directory.models import Kreis, Municipality
from ..extensions import db


class SiteRole(enum.StrEnum):
    """A user's role on the whole instance."""

    MEMBER = "member"
    MODERATOR = "moderator"
    ADMIN = "admin"


class OrganisationType(enum.StrEnum):
    KOMMUNE = "kommune"
    LANDKREIS = "landkreis"
    WIRTSCHAFT = "wirtschaft"
    ANBIETER = "anbieter"
    WISSENSCHAFT = "wissenschaft"
    IMMOBILIEN = "immobilien"
    HANDEL = "handel"

    @property
    def label(self) -> str:
        return str(ORGANISATION_TYPE_LABELS[self])


ORGANISATION_TYPE_LABELS = {
    OrganisationType.KOMMUNE: _l("Kommune"),
    OrganisationType.LANDKREIS: _l("Landkreis"),
    OrganisationType.WIRTSCHAFT: _l("Wirtschaftsförderung/Verband/IHK"),
    OrganisationType.ANBIETER: _l("Lösungsanbieter"),
    OrganisationType.WISSENSCHAFT: _l("Wissenschaft"),
    OrganisationType.IMMOBILIEN: _l("Immobilienwirtschaft"),
    OrganisationType.HANDEL: _l("Handel/Gewerbe"),
}


class MembershipRole(enum.StrEnum):
    MEMBER = "member"
    ADMIN = "admin"


class MembershipStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"


class User(UserMixin, db.Model):
    """A person with a login. Deleting the account removes this row; content they wrote stays,
    shown as "gelöschtes Konto", unless they ask for it to be deleted too."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    pending_email: Mapped[str | None] = mapped_column(sa.String(254))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    # Rotated when the password changes, so every other session and remember-me cookie ends.
    session_token: Mapped[str] = mapped_column(
        sa.String(64), unique=True, default=lambda: secrets.token_urlsafe(32)
    )
    name: Mapped[str] = mapped_column(sa.String(120))
    job_title: Mapped[str] = mapped_column(sa.String(120), default="")
    bio: Mapped[str] = mapped_column(sa.Text, default="")
    locale: Mapped[str | None] = mapped_column(sa.String(5))
    site_role: Mapped[SiteRole] = mapped_column(text_enum(SiteRole), default=SiteRole.MEMBER)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The header's count of unread notifications, so that no page has to count them. The
    # forum's notification service keeps it exact (``stadtnetz.forum.inbox_count``).
    unread_notifications: Mapped[int] = mapped_column(default=0, server_default="0")

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", foreign_keys="Membership.user_id"
    )

    def get_id(self) -> str:
        return self.session_token

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    @property
    def is_moderator(self) -> bool:
        return self.site_role in (SiteRole.MODERATOR, SiteRole.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.site_role == SiteRole.ADMIN

    @property
    def approved_memberships(self) -> list["Membership"]:
        return [m for m in self.memberships if m.status == MembershipStatus.APPROVED]

    @property
    def is_verified(self) -> bool:
        """Verified: an approved member of at least one organisation."""
        return bool(self.approved_memberships)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class Organisation(db.Model):
    """A municipality, district, association, provider or institute that people act for."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    type: Mapped[OrganisationType] = mapped_column(text_enum(OrganisationType), index=True)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    website: Mapped[str] = mapped_column(sa.String(300), default="")
    # A Kommune is linked to its Gemeinde, a Landkreis to its Kreis; one organisation each.
    municipality_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("municipality.id"), unique=True
    )
    kreis_key: Mapped[str | None] = mapped_column(sa.ForeignKey("kreis.key"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    municipality: Mapped[Municipality | None] = relationship()
    kreis: Mapped[Kreis | None] = relationship()
    domains: Mapped[list["OrganisationDomain"]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", order_by="OrganisationDomain.domain"
    )
    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Organisation {self.slug}>"


class OrganisationDomain(db.Model):
    """An e-mail domain whose confirmed addresses join the organisation without review."""

    __tablename__ = "organisation_domain"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id", ondelete="CASCADE"))
    domain: Mapped[str] = mapped_column(sa.String(253), unique=True)

    organisation: Mapped[Organisation] = relationship(back_populates="domains")


class Membership(db.Model):
    """A user's request to act for an organisation, and its outcome."""

    __tablename__ = "membership"
    __table_args__ = (sa.UniqueConstraint("user_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[MembershipRole] = mapped_column(text_enum(MembershipRole), default=MembershipRole.MEMBER)
    status: Mapped[MembershipStatus] = mapped_column(
        text_enum(MembershipStatus), default=MembershipStatus.PENDING
    )
    message: Mapped[str] = mapped_column(sa.Text, default="")
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )

    user: Mapped[User] = relationship(back_populates="memberships", foreign_keys=[user_id])
    organisation: Mapped[Organisation] = relationship(back_populates="memberships")
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def is_approved(self) -> bool:
        return self.status == MembershipStatus.APPROVED

    @property
    def is_admin(self) -> bool:
        return self.is_approved and self.role == MembershipRole.ADMIN
