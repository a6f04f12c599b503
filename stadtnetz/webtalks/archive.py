"""After the talk: its record (chat transcript, questions with answers, poll results) and
turning the questions nobody answered into threads of the talk's working group."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..accounts.models import User
from ..accounts.permissions import require
from ..errors import Invalid
from ..extensions import db
from ..forum import posting
from . import calendar, qa
from .models import Webtalk
from .room_models import QuestionState, RoomEvent

THREAD_TITLE_MAX = 120


def transcript(talk: Webtalk) -> list[RoomEvent]:
    """The chat in order, without deleted messages."""
    query = sa.select(RoomEvent).where(
        RoomEvent.webtalk_id == talk.id, RoomEvent.kind == "chat", RoomEvent.deleted_at.is_(None)
    )
    return list(db.session.scalars(query.order_by(RoomEvent.seq)))


def open_questions(talk: Webtalk):
    """Questions neither answered nor dismissed and not yet in the forum."""
    return [q for q in qa.questions(talk) if q.state == QuestionState.OPEN and q.thread_id is None]


def questions_to_threads(actor: User, talk: Webtalk) -> int:
    """Open a forum thread in the talk's group for every open question; return how many."""
    require(actor, "webtalk.moderate", talk)
    pending = open_questions(talk)
    if not pending:
        raise Invalid(_l("Es gibt keine offenen Fragen mehr."))
    for question in pending:
        title = question.body.splitlines()[0]
        if len(title) > THREAD_TITLE_MAX:
            title = title[: THREAD_TITLE_MAX - 1] + "…"
        body = str(_l("Diese Frage blieb im Webtalk „%(title)s“ offen:", title=talk.title))
        body += f"\n\n> {question.body}\n\n" + calendar.public_url(talk.url + "/archiv")
        question.thread_id = posting.start_thread(actor, talk.group, title, body).id
    db.session.flush()
    return len(pending)
