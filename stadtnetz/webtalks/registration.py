"""Registration for a talk: a place while there is capacity, the waiting list after that, and
the list moving up by itself when someone cancels or the capacity grows.

Every change first locks the talk (``lock``), so two people can never take the last place at
once: on PostgreSQL a row lock (``SELECT … FOR UPDATE``), on SQLite the database's one write lock,
taken by a no-op update before anything is read.
"""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..accounts.models import User
from ..accounts.permissions import require
from ..database import utcnow
from ..errors import Invalid
from ..extensions import db
from .models import Registration, RegistrationStatus, Webtalk
from .notices import mail_registration


def lock(talk: Webtalk) -> None:
    """Serialise changes to ``talk``'s places until the transaction ends, then reload them."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.select(Webtalk.id).where(Webtalk.id == talk.id).with_for_update())
    else:
        db.session.execute(
            sa.update(Webtalk).where(Webtalk.id == talk.id).values(sequence=Webtalk.sequence),
            execution_options={"synchronize_session": False},
        )
    db.session.expire(talk, ["registrations"])


def free_places(talk: Webtalk) -> int | None:
    """Places left, or None when the talk has no limit."""
    return None if talk.capacity is None else max(0, talk.capacity - len(talk.confirmed()))


def register(actor: User, talk: Webtalk) -> Registration:
    """Take a place, or a place on the waiting list when the talk is full."""
    require(actor, "webtalk.register", talk)
    if talk.is_cancelled or talk.is_past():
        raise Invalid(_l("Für diesen Webtalk ist keine Anmeldung mehr möglich."))
    lock(talk)
    registration = talk.registration_of(actor)
    if registration is not None and registration.status != RegistrationStatus.CANCELLED:
        raise Invalid(_l("Sie sind für diesen Webtalk bereits angemeldet."))
    if registration is None:
        registration = Registration(webtalk=talk, user=actor)
        db.session.add(registration)
    full = free_places(talk) == 0
    registration.status = RegistrationStatus.WAITING if full else RegistrationStatus.CONFIRMED
    registration.queued_at = utcnow()
    registration.reminded_24h_at = registration.reminded_1h_at = None
    db.session.flush()
    if full:
        mail_registration(registration, _l("Warteliste: %(title)s", title=talk.title), "webtalk_waiting")
    else:
        mail_registration(registration, _l("Angemeldet: %(title)s", title=talk.title), "webtalk_confirmed")
    return registration


def cancel_registration(actor: User, talk: Webtalk) -> None:
    """Give up a place (or leave the waiting list); the next person on the list moves up."""
    lock(talk)
    registration = talk.registration_of(actor)
    if registration is None or registration.status == RegistrationStatus.CANCELLED:
        raise Invalid(_l("Sie sind für diesen Webtalk nicht angemeldet."))
    registration.status = RegistrationStatus.CANCELLED
    db.session.flush()
    move_up(talk)


def move_up(talk: Webtalk) -> list[Registration]:
    """Give free places to the waiting list in order; each person gets a mail with the ``.ics``."""
    if talk.is_cancelled or talk.is_past():
        return []
    places = free_places(talk)
    waiting = sorted(talk.waiting(), key=lambda r: (r.queued_at, r.id))
    moved = waiting if places is None else waiting[:places]
    for registration in moved:
        registration.status = RegistrationStatus.CONFIRMED
        mail_registration(
            registration, _l("Ein Platz für Sie: %(title)s", title=talk.title), "webtalk_moved_up"
        )
    db.session.flush()
    return moved


def registrations_of(user: User) -> list[Registration]:
    """A user's registrations that are not cancelled, soonest talk first."""
    query = (
        sa.select(Registration)
        .join(Webtalk)
        .where(Registration.user_id == user.id, Registration.status != RegistrationStatus.CANCELLED)
        .order_by(Webtalk.starts_at)
    )
    return list(db.session.scalars(query))
