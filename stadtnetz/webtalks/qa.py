"""Questions and polls in the live room: asking (anonymously where the talk allows it),
upvoting once, the moderator answering or dismissing; polls with one or several choices,
one ballot per person, results after every ballot and when the poll closes.

Each one takes the room's next event number (``room.begin``) before its checks, which also
serialises the once-only checks against a second tab of the same person.
"""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..accounts.models import User
from ..accounts.permissions import require
from ..content import render_markdown
from ..database import utcnow
from ..errors import Invalid
from ..extensions import db
from .models import Webtalk
from .room import begin, record
from .room_models import Poll, PollVote, Question, QuestionState, QuestionVote, RoomEvent

QUESTION_MAX = 1000
POLL_OPTIONS_MAX = 10


def question_message(question: Question) -> dict:
    """A question as clients see it; anonymous ones carry no name."""
    return {
        "id": question.id,
        "author": question.author_name,
        "html": question.html,
        "votes": question.votes,
        "state": question.state.value,
        "answer_html": question.answer_html,
    }


def ask(user: User, talk: Webtalk, text: str, anonymous: bool = False) -> RoomEvent:
    """Ask the speakers a question."""
    text = (text or "").strip()
    if not text:
        raise Invalid(_l("Bitte schreiben Sie Ihre Frage."), "text")
    if len(text) > QUESTION_MAX:
        raise Invalid(_l("Die Frage ist zu lang (höchstens %(max)d Zeichen).", max=QUESTION_MAX), "text")
    if anonymous and not talk.anonymous_questions:
        raise Invalid(_l("In diesem Webtalk sind keine anonymen Fragen möglich."), "anonymous")
    seq = begin(talk)
    question = Question(
        webtalk_id=talk.id, author=user, anonymous=anonymous, body=text, html=render_markdown(text)
    )
    db.session.add(question)
    db.session.flush()
    return record(talk, seq, "question", None if anonymous else user, question=question_message(question))


def _question(talk: Webtalk, question_id) -> Question:
    question = db.session.get(Question, question_id) if isinstance(question_id, int) else None
    if question is None or question.webtalk_id != talk.id:
        raise Invalid(_l("Diese Frage gibt es nicht."))
    return question


def upvote(user: User, talk: Webtalk, question_id: int) -> RoomEvent:
    """Support a question; each person once."""
    seq = begin(talk)
    question = _question(talk, question_id)
    if db.session.get(QuestionVote, (question.id, user.id)) is not None:
        raise Invalid(_l("Sie haben diese Frage schon unterstützt."))
    if question.state != QuestionState.OPEN:
        raise Invalid(_l("Diese Frage ist schon beantwortet oder zurückgestellt."))
    db.session.add(QuestionVote(question_id=question.id, user_id=user.id))
    question.votes += 1
    db.session.flush()
    return record(talk, seq, "question_update", None, question=question_message(question))


def settle(moderator: User, talk: Webtalk, question_id: int, state: str, answer: str = "") -> RoomEvent:
    """Mark a question answered (with an optional written answer) or dismiss it."""
    require(moderator, "webtalk.moderate", talk)
    if state not in (QuestionState.ANSWERED, QuestionState.DISMISSED):
        raise Invalid(_l("Unbekannter Status."))
    seq = begin(talk)
    question = _question(talk, question_id)
    question.state = QuestionState(state)
    question.answer = (answer or "").strip()[: QUESTION_MAX * 5]
    question.answer_html = render_markdown(question.answer)
    db.session.flush()
    return record(talk, seq, "question_update", None, question=question_message(question))


def questions(talk: Webtalk) -> list[Question]:
    """The talk's questions: open ones first, each group by votes, then oldest first."""
    order = sa.case((Question.state == QuestionState.OPEN, 0), else_=1)
    query = sa.select(Question).where(Question.webtalk_id == talk.id)
    return list(db.session.scalars(query.order_by(order, Question.votes.desc(), Question.id)))


def poll_message(poll: Poll) -> dict:
    return {
        "id": poll.id,
        "question": poll.question,
        "options": poll.options,
        "multiple": poll.multiple,
        "results": poll.results(),
        "voters": len(poll.votes),
        "closed": poll.is_closed,
    }


def open_poll(moderator: User, talk: Webtalk, question: str, options: list[str], multiple: bool) -> RoomEvent:
    """Open a poll with 2 to 10 options."""
    require(moderator, "webtalk.moderate", talk)
    question = (question or "").strip()
    options = [str(option).strip()[:200] for option in options or () if str(option).strip()]
    if not question:
        raise Invalid(_l("Bitte geben Sie eine Frage an."), "question")
    if not 2 <= len(options) <= POLL_OPTIONS_MAX:
        raise Invalid(_l("Eine Umfrage braucht 2 bis %(max)d Antworten.", max=POLL_OPTIONS_MAX), "options")
    seq = begin(talk)
    poll = Poll(webtalk_id=talk.id, question=question[:300], options=options, multiple=bool(multiple))
    db.session.add(poll)
    db.session.flush()
    return record(talk, seq, "poll", None, poll=poll_message(poll))


def _poll(talk: Webtalk, poll_id) -> Poll:
    poll = db.session.get(Poll, poll_id) if isinstance(poll_id, int) else None
    if poll is None or poll.webtalk_id != talk.id:
        raise Invalid(_l("Diese Umfrage gibt es nicht."))
    return poll


def vote(user: User, talk: Webtalk, poll_id: int, choices: list[int]) -> RoomEvent:
    """Cast one's ballot: one option, or several in a multiple-choice poll; once per poll."""
    seq = begin(talk)
    poll = _poll(talk, poll_id)
    if poll.is_closed:
        raise Invalid(_l("Diese Umfrage ist beendet."))
    if db.session.get(PollVote, (poll.id, user.id)) is not None:
        raise Invalid(_l("Sie haben bei dieser Umfrage schon abgestimmt."))
    chosen = sorted(set(choices or ()))
    valid = chosen and all(isinstance(c, int) and 0 <= c < len(poll.options) for c in chosen)
    if not valid or (len(chosen) > 1 and not poll.multiple):
        raise Invalid(_l("Bitte wählen Sie eine gültige Antwort."))
    poll.votes.append(PollVote(user_id=user.id, choices=chosen))
    db.session.flush()
    return record(talk, seq, "poll_update", None, poll=poll_message(poll))


def close_poll(moderator: User, talk: Webtalk, poll_id: int) -> RoomEvent:
    """End a poll; everyone sees the final result."""
    require(moderator, "webtalk.moderate", talk)
    seq = begin(talk)
    poll = _poll(talk, poll_id)
    if poll.is_closed:
        raise Invalid(_l("Diese Umfrage ist schon beendet."))
    poll.closed_at = utcnow()
    return record(talk, seq, "poll_update", None, poll=poll_message(poll))


def polls(talk: Webtalk) -> list[Poll]:
    return list(db.session.scalars(sa.select(Poll).where(Poll.webtalk_id == talk.id).order_by(Poll.id)))
