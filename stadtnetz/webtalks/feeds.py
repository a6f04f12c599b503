"""The calendar feeds' data: the secret token per user and the talks each feed lists."""

import secrets

import sqlalchemy as sa

from ..accounts.models import User
from ..accounts.permissions import may_read_group
from ..extensions import db
from ..forum.groups import all_groups
from ..forum.models import WorkingGroup
from .models import CalendarToken, Registration, RegistrationStatus, Webtalk


def token_of(user: User) -> str:
    """The user's feed token, created on first use."""
    row = db.session.get(CalendarToken, user.id)
    if row is None:
        row = CalendarToken(user=user, token=secrets.token_urlsafe(32))
        db.session.add(row)
        db.session.flush()
    return row.token


def renew_token(user: User) -> str:
    """Replace the user's token: every URL with the old one stops working."""
    row = db.session.get(CalendarToken, user.id)
    if row is None:
        return token_of(user)
    row.token = secrets.token_urlsafe(32)
    db.session.flush()
    return row.token


def user_for_token(token: str) -> User | None:
    row = db.session.scalar(sa.select(CalendarToken).where(CalendarToken.token == token))
    return row.user if row else None


def registered_talks(user: User) -> list[Webtalk]:
    """Talks the user holds a place for; a cancelled talk stays so calendars remove it."""
    query = (
        sa.select(Webtalk)
        .join(Registration)
        .where(Registration.user_id == user.id, Registration.status == RegistrationStatus.CONFIRMED)
        .order_by(Webtalk.starts_at)
    )
    return list(db.session.scalars(query))


def readable_groups(user: User) -> list[WorkingGroup]:
    """Groups whose feed the user may subscribe to."""
    return [group for group in all_groups() if may_read_group(user, group)]
