"""Known remote instances and the rule which of them we talk to.

``FEDERATION`` decides the default: ``off`` talks to nobody, ``allowlist`` only to instances an
admin allowed, ``open`` to every instance not blocked. A blocked instance is never fetched from,
delivered to or listened to. Delivery failures are counted per instance; after
``UNAVAILABLE_AFTER`` consecutive failures the instance counts as unavailable until it answers.
"""

import enum
from datetime import datetime
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Mapped, mapped_column

from ..database import UTCDateTime, text_enum, utcnow
from ..extensions import db

UNAVAILABLE_AFTER = 10


class FederationMode(enum.StrEnum):
    OFF = "off"
    ALLOWLIST = "allowlist"
    OPEN = "open"


class InstanceState(enum.StrEnum):
    UNKNOWN = "unknown"
    ALLOWED = "allowed"
    BLOCKED = "blocked"


class Instance(db.Model):
    """A remote server, named by its host (with the port where it is not the default)."""

    __tablename__ = "federation_instance"

    id: Mapped[int] = mapped_column(primary_key=True)
    host: Mapped[str] = mapped_column(sa.String(260), unique=True)
    state: Mapped[InstanceState] = mapped_column(text_enum(InstanceState), default=InstanceState.UNKNOWN)
    software: Mapped[str] = mapped_column(sa.String(80), default="")
    failures: Mapped[int] = mapped_column(default=0)
    unavailable_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_success: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def is_unavailable(self) -> bool:
        return self.unavailable_since is not None


def host_of(url: str) -> str:
    """The instance host of a URL: lower-case host name, with ``:port`` if one is given; empty
    for something that is no URL (bad port, broken IPv6 literal)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return ""
    host = (parts.hostname or "").lower()
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    return f"{host}:{port}" if port else host


def local_host() -> str:
    return host_of(current_app.config["BASE_URL"])


def mode() -> FederationMode:
    try:
        return FederationMode(current_app.config["FEDERATION"])
    except ValueError:
        return FederationMode.OFF  # an unknown setting must not open the doors


def find_instance(host: str) -> Instance | None:
    return db.session.scalar(sa.select(Instance).where(Instance.host == host.lower()))


def instance_for(host: str) -> Instance:
    """The row of ``host``, created (state unknown) on first contact."""
    instance = find_instance(host)
    if instance is None:
        instance = Instance(host=host.lower(), state=InstanceState.UNKNOWN, failures=0)
        db.session.add(instance)
        db.session.flush()
    return instance


def _permitted(host: str) -> bool:
    current = mode()
    if current is FederationMode.OFF or not host or host == local_host():
        return False
    instance = find_instance(host)
    state = instance.state if instance else InstanceState.UNKNOWN
    if state is InstanceState.BLOCKED:
        return False
    return current is FederationMode.OPEN or state is InstanceState.ALLOWED


def may_receive_from(host: str) -> bool:
    """True if activities, actors and keys of ``host`` may be fetched and accepted."""
    return _permitted(host)


def may_deliver_to(host: str) -> bool:
    """True if activities may be sent to ``host`` (availability aside: see ``record_failure``)."""
    return _permitted(host)


def record_failure(host: str) -> Instance:
    """Count one failed delivery; the instance turns unavailable after repeated failures."""
    instance = instance_for(host)
    instance.failures += 1
    if instance.failures >= UNAVAILABLE_AFTER and instance.unavailable_since is None:
        instance.unavailable_since = utcnow()
    return instance


def record_success(host: str) -> Instance:
    """The instance answered: it is available again and its failure count starts anew."""
    instance = instance_for(host)
    instance.failures = 0
    instance.unavailable_since = None
    instance.last_success = utcnow()
    return instance


def set_state(host: str, state: InstanceState) -> Instance:
    """An admin allows or blocks an instance (the admin page of fed-delivery calls this)."""
    instance = instance_for(host)
    instance.state = state
    return instance
