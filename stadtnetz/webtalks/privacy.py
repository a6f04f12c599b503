"""The webtalks' part in data export and account deletion (see ``stadtnetz/signals.py``).

Registrations, votes, raised hands, the feed token and open connections are the user's alone
and go with the account. Chat messages and questions stay in the talk's record without the
name (shown as "gelöschtes Konto"), or lose their text too when the user asks for that.
"""

import sqlalchemy as sa

from ..extensions import db
from ..signals import account_deleting, collect_personal_data
from .models import CalendarToken, Registration
from .room_models import (
    HandRaise,
    PollVote,
    Question,
    QuestionVote,
    RoomConnection,
    RoomEvent,
    RoomParticipant,
)


@collect_personal_data.connect
def export_webtalks(_sender, user, export: dict, **_kw) -> None:
    """Add the user's registrations, chat messages and questions."""
    registrations = db.session.scalars(sa.select(Registration).where(Registration.user_id == user.id))
    chat = db.session.scalars(
        sa.select(RoomEvent).where(RoomEvent.user_id == user.id, RoomEvent.kind == "chat")
    )
    questions = db.session.scalars(sa.select(Question).where(Question.author_id == user.id))
    export["webtalks"] = {
        "registrations": [
            {"webtalk": r.webtalk.title, "status": r.status.value, "since": r.created_at.isoformat()}
            for r in registrations
        ],
        "chat": [
            {"webtalk": e.webtalk_id, "at": e.created_at.isoformat(), "html": e.payload.get("html")}
            for e in chat
        ],
        "questions": [{"webtalk": q.webtalk_id, "text": q.body, "anonymous": q.anonymous} for q in questions],
    }


@account_deleting.connect
def forget_webtalk_user(_sender, user, delete_content: bool, **_kw) -> None:
    """Remove the user's name from the rooms' records (and their words, on request)."""
    for event in db.session.scalars(sa.select(RoomEvent).where(RoomEvent.user_id == user.id)):
        payload = dict(event.payload)
        if "user" in payload:
            payload["user"] = {**payload["user"], "name": None}
        if delete_content and event.kind == "chat":
            payload["html"] = ""
        event.payload, event.user_id = payload, None
    if delete_content:
        for question in db.session.scalars(sa.select(Question).where(Question.author_id == user.id)):
            question.body = question.html = ""
    db.session.execute(sa.update(Question).where(Question.author_id == user.id).values(author_id=None))
    for model in (
        Registration,
        QuestionVote,
        PollVote,
        HandRaise,
        RoomConnection,
        RoomParticipant,
        CalendarToken,
    ):
        db.session.execute(sa.delete(model).where(model.user_id == user.id))
    db.session.flush()
