"""Content from other instances, as this instance keeps it: practices, webtalks, group threads
and their posts, and reports of our content sent by remote moderators.

Each row is a copy of a remote object, named by its ActivityPub id (``uri``), with its origin
host and a link back (``url``). A Delete leaves a tombstone (``deleted_at``) so that a late or
replayed Create cannot bring the object back. Remote practices are searchable under their own
kind with the facet ``origin`` = ``network`` (the filter "aus dem Netzwerk").
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import search
from ..database import UTCDateTime, utcnow
from ..directory.models import LAENDER, Municipality, SizeClass
from ..extensions import db
from ..forum.models import Post
from ..practices.models import SECTIONS
from ..practices.services import LICENCES
from ..practices.topics import PracticeStatus, Topic

ORIGIN_NETWORK = "network"
#: The zone our pages show times in.
BERLIN = "Europe/Berlin"
TEASER_LENGTH = 300


@dataclass(frozen=True)
class RemoteMunicipality:
    """Where a remote practice took place, as far as it can be told here: the name and Land
    the origin sent; the size class and a link from our own directory when it knows the AGS."""

    name: str
    land_name: str
    local: Municipality | None

    @property
    def size_class(self) -> SizeClass | None:
        return self.local.size_class if self.local else None


def _date_or_none(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _decimal_or_none(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


class RemoteObject:
    """The columns every remote copy has."""

    id: Mapped[int] = mapped_column(primary_key=True)
    uri: Mapped[str] = mapped_column(sa.String(500), unique=True)
    #: The HTML page at the origin (the link back).
    url: Mapped[str] = mapped_column(sa.String(500), default="")
    host: Mapped[str] = mapped_column(sa.String(253), index=True)
    #: The actor whose followers see it: the organisation of a practice, the group of a thread
    #: or webtalk.
    actor_uri: Mapped[str] = mapped_column(sa.String(500), index=True)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


@search.searchable("remote_practice", _l("Praxisbeispiel aus dem Netzwerk"))
class RemotePractice(RemoteObject, db.Model):
    """A practice published on another instance."""

    __tablename__ = "federation_remote_practice"

    title: Mapped[str] = mapped_column(sa.String(200), default="")
    teaser: Mapped[str] = mapped_column(sa.String(500), default="")
    organisation_name: Mapped[str] = mapped_column(sa.String(200), default="")
    status: Mapped[str] = mapped_column(sa.String(40), default="")
    tags: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    topics: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    #: The body's sections as sanitised HTML, by the names of ``practices.models.SECTIONS``.
    sections: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    #: The other structured facts of the case (dates, costs, funding, contact, key figures,
    #: partners, municipality) as sent, in JSON types.
    facts: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    @property
    def path(self) -> str:
        return f"/netzwerk/praxisbeispiele/{self.id}"

    @property
    def topic_labels(self) -> list[str]:
        return [str(topic.label) for slug in self.topics if (topic := Topic.by_slug(slug))]

    @property
    def status_label(self) -> str:
        return PracticeStatus(self.status).label if self.status in set(PracticeStatus) else ""

    @property
    def started_on(self) -> date | None:
        return _date_or_none(self.facts.get("started_on"))

    @property
    def ended_on(self) -> date | None:
        return _date_or_none(self.facts.get("ended_on"))

    @property
    def licence_label(self) -> str:
        licence = self.facts.get("licence") or ""
        return LICENCES.get(licence, licence)

    @property
    def key_figures(self) -> list[dict]:
        """The key figures with their numbers and dates as such (stored as JSON text)."""
        return [{**figure, "before": _decimal_or_none(figure.get("before")),
                 "after": _decimal_or_none(figure.get("after")),
                 "measured_on": _date_or_none(figure.get("measured_on"))}
                for figure in self.facts.get("key_figures") or []]

    @property
    def municipality(self) -> RemoteMunicipality | None:
        sent = self.facts.get("municipality")
        if not sent or not sent.get("name"):
            return None
        local = (db.session.scalar(sa.select(Municipality).filter_by(ags=sent["ags"]))
                 if sent.get("ags") else None)
        land = LAENDER.get(sent.get("land") or "", ("", ""))[0]
        return RemoteMunicipality(name=sent["name"], land_name=land, local=local)

    def section_list(self) -> list[tuple[str, str]]:
        """(heading, HTML) of the sections that have text, in reading order."""
        return [(str(label), self.sections[name]) for name, label in SECTIONS if self.sections.get(name)]

    def plain_text(self) -> str:
        return "\n\n".join(Markup(html).striptags() for _label, html in self.section_list())

    def search_document(self) -> dict | None:
        """Found like a local practice, plus ``origin``; gone once deleted at the origin."""
        if self.is_deleted:
            return None
        body = self.plain_text()
        document = {
            "title": self.title,
            "teaser": self.teaser or body[:TEASER_LENGTH],
            "body": body,
            "tags": list(self.tags or []),
            "url": self.path,
            "published": self.published_at,
            "topic": list(self.topics or []),
            "organisation": self.organisation_name or None,
            "origin": ORIGIN_NETWORK,
            "status": self.status or None,
            "funding": self.facts.get("funding_programme") or None,
        }
        return {key: value for key, value in document.items() if value is not None}


class RemoteWebtalk(RemoteObject, db.Model):
    """A webtalk (an ActivityPub Event) of a remote working group."""

    __tablename__ = "federation_remote_webtalk"

    title: Mapped[str] = mapped_column(sa.String(200), default="")
    description_html: Mapped[str] = mapped_column(sa.Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(sa.String(64), default="")
    #: Where the talk takes place (the room's page at the origin).
    room_url: Mapped[str] = mapped_column(sa.String(500), default="")
    cancelled: Mapped[bool] = mapped_column(default=False)

    @property
    def path(self) -> str:
        return f"/netzwerk/webtalks/{self.id}"

    @property
    def origin_zone(self) -> ZoneInfo | None:
        """The organiser's time zone when it is a known one other than Berlin's."""
        if not self.timezone or self.timezone == BERLIN:
            return None
        try:
            return ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            return None


class RemoteThread(RemoteObject, db.Model):
    """A thread (Page) of a remote working group; ``actor_uri`` is the group."""

    __tablename__ = "federation_remote_thread"

    title: Mapped[str] = mapped_column(sa.String(200), default="")
    html: Mapped[str] = mapped_column(sa.Text, default="")
    author_uri: Mapped[str] = mapped_column(sa.String(500), default="")

    posts: Mapped[list["RemotePost"]] = relationship(
        back_populates="thread", cascade="all, delete-orphan", order_by="RemotePost.published_at"
    )

    @property
    def path(self) -> str:
        return f"/netzwerk/themen/{self.id}"


class RemotePost(RemoteObject, db.Model):
    """A reply (Note) in a remote thread, written remotely or by one of our users."""

    __tablename__ = "federation_remote_post"

    thread_id: Mapped[int] = mapped_column(
        sa.ForeignKey("federation_remote_thread.id", ondelete="CASCADE"), index=True
    )
    in_reply_to: Mapped[str] = mapped_column(sa.String(500), default="")
    author_uri: Mapped[str] = mapped_column(sa.String(500), default="")
    html: Mapped[str] = mapped_column(sa.Text, default="")
    #: Set when one of our users wrote it (its ``uri`` is then ours).
    local_author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )

    thread: Mapped[RemoteThread] = relationship(back_populates="posts")
    local_author = relationship("User")


class FederatedPost(db.Model):
    """A post in one of our threads that a remote user wrote (a Note sent to our group)."""

    __tablename__ = "federation_federated_post"

    post_id: Mapped[int] = mapped_column(
        sa.ForeignKey("forum_post.id", ondelete="CASCADE"), primary_key=True
    )
    uri: Mapped[str] = mapped_column(sa.String(500), unique=True)
    actor_uri: Mapped[str] = mapped_column(sa.String(500))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    post: Mapped[Post] = relationship()


class RemoteReport(db.Model):
    """A report (Flag) a remote instance sent about our content, for our moderators."""

    __tablename__ = "federation_remote_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[str] = mapped_column(sa.String(500), unique=True)
    actor_uri: Mapped[str] = mapped_column(sa.String(500))
    host: Mapped[str] = mapped_column(sa.String(253))
    #: The reported objects' ids (ours, or remote actors).
    objects: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


search.facet_labels("origin", lambda: {ORIGIN_NETWORK: _l("aus dem Netzwerk")})


class RemoteLike(db.Model):
    """A remote actor's Like of one of our objects (practice, thread, post, webtalk)."""

    __tablename__ = "federation_remote_like"
    __table_args__ = (sa.UniqueConstraint("actor_uri", "object_uri"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[str] = mapped_column(sa.String(500), unique=True)
    actor_uri: Mapped[str] = mapped_column(sa.String(500))
    object_uri: Mapped[str] = mapped_column(sa.String(500), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
