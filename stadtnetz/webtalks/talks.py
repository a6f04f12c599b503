"""Webtalk services: planning, changing and cancelling talks, the lists of upcoming and past
talks a person may see, and whether a stage may be embedded.

A change calendars must notice (time, title, stage, cancellation) raises the talk's
``sequence`` and mails every registrant the updated ``.ics``; the reminders are rescheduled
when the time moves (see ``reminders.py``).
"""

from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from ..accounts.models import User
from ..accounts.permissions import can, require
from ..accounts.services import user_by_email
from ..content import render_markdown
from ..database import utcnow
from ..errors import Invalid
from ..extensions import db
from ..forum.models import GroupMembership, GroupMemberStatus, WorkingGroup
from ..practices.models import Practice
from ..practices.topics import PracticeState
from ..signals import webtalk_cancelled, webtalk_scheduled, webtalk_updated
from . import notices, registration, reminders
from .models import Access, Speaker, Webtalk, webtalk_practice

TITLE_MAX = 200
PER_PAGE = 20


@dataclass
class TalkData:
    """What a moderator fills in when planning or changing a talk."""

    title: str
    starts_at: datetime
    ends_at: datetime
    description: str = ""
    capacity: int | None = None
    access: Access = Access.PUBLIC
    stage_url: str = ""
    anonymous_questions: bool = False
    #: Each either a ``User`` or a guest's name.
    speakers: list[User | str] = field(default_factory=list)
    practices: list[Practice] = field(default_factory=list)


def _check(data: TalkData) -> None:
    if not data.title.strip():
        raise Invalid(_l("Bitte geben Sie einen Titel an."), "title")
    if len(data.title.strip()) > TITLE_MAX:
        raise Invalid(_l("Der Titel ist zu lang (höchstens %(max)d Zeichen).", max=TITLE_MAX), "title")
    if data.ends_at <= data.starts_at:
        raise Invalid(_l("Das Ende muss nach dem Beginn liegen."), "ends_at")
    if data.capacity is not None and data.capacity < 1:
        raise Invalid(_l("Die Zahl der Plätze muss mindestens 1 sein."), "capacity")
    if data.stage_url and urlsplit(data.stage_url).scheme not in ("https", "http"):
        raise Invalid(_l("Die Bühne braucht eine Adresse, die mit https:// beginnt."), "stage_url")


def _apply(talk: Webtalk, data: TalkData) -> None:
    talk.title = data.title.strip()
    talk.description = data.description.strip()
    talk.description_html = render_markdown(talk.description)
    talk.starts_at, talk.ends_at = data.starts_at, data.ends_at
    talk.capacity = data.capacity
    talk.access = data.access
    talk.stage_url = data.stage_url.strip()
    talk.anonymous_questions = data.anonymous_questions
    talk.speakers = [
        Speaker(user=s, position=n) if isinstance(s, User) else Speaker(guest_name=s.strip(), position=n)
        for n, s in enumerate(data.speakers)
    ]
    talk.practices = list(data.practices)
    talk.updated_at = utcnow()


def parse_speakers(text: str) -> list[User | str]:
    """One speaker per line: an account's e-mail address, or a guest's name."""
    speakers: list[User | str] = []
    for line in (text or "").splitlines():
        line = line.strip()
        if "@" in line:
            user = user_by_email(line)
            if user is None:
                raise Invalid(_l("Es gibt kein Konto mit der Adresse %(email)s.", email=line), "speakers")
            speakers.append(user)
        elif line:
            speakers.append(line[:120])
    return speakers


def published_practices() -> list[Practice]:
    """The practices a talk may be linked to."""
    query = sa.select(Practice).where(Practice.state == PracticeState.PUBLISHED).order_by(Practice.title)
    return list(db.session.scalars(query))


def create_webtalk(actor: User, group: WorkingGroup, data: TalkData) -> Webtalk:
    """Plan a talk in ``group``; its reminders are scheduled at once."""
    require(actor, "webtalk.create", group)
    _check(data)
    talk = Webtalk(group=group, created_by=actor, created_at=utcnow())
    _apply(talk, data)
    db.session.add(talk)
    db.session.flush()
    reminders.schedule(talk)
    webtalk_scheduled.send(talk)
    return talk


def update_webtalk(actor: User, talk: Webtalk, data: TalkData) -> None:
    """Change a talk; registrants get the new ``.ics`` when something their calendar shows changed."""
    require(actor, "webtalk.moderate", talk)
    if talk.is_cancelled:
        raise Invalid(_l("Ein abgesagter Webtalk kann nicht mehr geändert werden."))
    _check(data)
    registration.lock(talk)  # the capacity may grow and move the waiting list up
    before = (talk.title, talk.starts_at, talk.ends_at, talk.stage_url)
    _apply(talk, data)
    if (talk.title, talk.starts_at, talk.ends_at, talk.stage_url) != before:
        talk.sequence += 1
        if before[1] != talk.starts_at:
            reminders.schedule(talk)
        notices.mail_registrants(talk, _l("Geändert: %(title)s", title=talk.title), "webtalk_updated")
    registration.move_up(talk)
    db.session.flush()
    webtalk_updated.send(talk)


def cancel_webtalk(actor: User, talk: Webtalk) -> None:
    """Cancel a talk; registrants get a ``STATUS:CANCELLED`` calendar entry by mail."""
    require(actor, "webtalk.moderate", talk)
    if talk.is_cancelled:
        raise Invalid(_l("Dieser Webtalk ist schon abgesagt."))
    talk.cancelled_at = talk.updated_at = utcnow()
    talk.sequence += 1
    notices.mail_registrants(talk, _l("Abgesagt: %(title)s", title=talk.title), "webtalk_cancelled")
    db.session.flush()
    webtalk_cancelled.send(talk)


def _visible(user) -> sa.ColumnElement[bool]:
    """Talks ``user`` (possibly anonymous) may see: public ones, and their groups' members-only ones."""
    if user is not None and user.is_authenticated and user.is_moderator:
        return sa.true()
    if user is None or not user.is_authenticated:
        return Webtalk.access == Access.PUBLIC
    own_groups = sa.select(GroupMembership.group_id).where(
        GroupMembership.user_id == user.id, GroupMembership.status == GroupMemberStatus.APPROVED
    )
    return sa.or_(Webtalk.access == Access.PUBLIC, Webtalk.group_id.in_(own_groups))


def talk_list(user, *, past: bool, group: WorkingGroup | None = None, page: int = 1):
    """Upcoming talks (soonest first) or past ones (latest first) that ``user`` may see."""
    now = utcnow()
    query = sa.select(Webtalk).where(_visible(user))
    if past:
        query = query.where(Webtalk.ends_at <= now, Webtalk.cancelled_at.is_(None))
        query = query.order_by(Webtalk.starts_at.desc())
    else:
        query = query.where(Webtalk.ends_at > now).order_by(Webtalk.starts_at)
    if group is not None:
        query = query.where(Webtalk.group_id == group.id)
    return db.paginate(query, page=page, per_page=PER_PAGE, error_out=False)


def talks_of_group(user, group: WorkingGroup) -> list[Webtalk]:
    """Every talk of ``group`` that ``user`` may see, for the group's calendar feed."""
    query = sa.select(Webtalk).where(_visible(user), Webtalk.group_id == group.id)
    return list(db.session.scalars(query.order_by(Webtalk.starts_at)))


def talks_of_practice(practice: Practice) -> list[Webtalk]:
    """Talks linked to ``practice`` and not cancelled, latest first."""
    query = (
        sa.select(Webtalk)
        .join(webtalk_practice)
        .where(webtalk_practice.c.practice_id == practice.id, Webtalk.cancelled_at.is_(None))
        .order_by(Webtalk.starts_at.desc())
    )
    return list(db.session.scalars(query))


def moderated_groups(user: User) -> list[WorkingGroup]:
    """The groups in which ``user`` may plan talks."""
    query = sa.select(WorkingGroup).order_by(WorkingGroup.name)
    if not user.is_moderator:
        query = query.join(GroupMembership).where(GroupMembership.user_id == user.id)
    return [group for group in db.session.scalars(query) if can(user, "webtalk.create", group)]


def embed_origin(talk: Webtalk) -> str | None:
    """The stage's origin if the operator allows embedding it (``WEBTALK_EMBED_ORIGINS``), else None."""
    if not talk.stage_url:
        return None
    parts = urlsplit(talk.stage_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    return origin if origin in current_app.config["WEBTALK_EMBED_ORIGINS"] else None
