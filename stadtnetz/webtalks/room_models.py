"""What happens in a live room, stored: the event log, participants' standing, open
connections, questions with their votes, polls with their votes, and raised hands.

The event log is the room's memory: every change is an event with an id that rises by one per
room (``RoomEvent.seq``), so a client that reconnects asks for everything after its last id.
Questions, polls and hands also have their own rows, because rules (vote once, the queue) and
the archive read them directly.
"""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..database import UTCDateTime, text_enum, utcnow
from ..extensions import db


class RoomEvent(db.Model):
    """One thing that happened in a room, in the order the room saw it."""

    __tablename__ = "webtalk_room_event"
    __table_args__ = (sa.UniqueConstraint("webtalk_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    webtalk_id: Mapped[int] = mapped_column(sa.ForeignKey("webtalk.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column()
    kind: Mapped[str] = mapped_column(sa.String(32))
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    payload: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # A deleted chat message keeps its place in the log, without its text.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def message(self) -> dict:
        """What clients receive for this event."""
        return {"id": self.seq, "kind": self.kind, "at": self.created_at.isoformat(), **self.payload}


class RoomParticipant(db.Model):
    """A moderator's decision about one person in one room: muted chat, removed."""

    __tablename__ = "webtalk_room_participant"

    webtalk_id: Mapped[int] = mapped_column(sa.ForeignKey("webtalk.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    muted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RoomConnection(db.Model):
    """An open Socket.IO connection; the presence list is who has one (in any process).

    ``seen_at`` is its lease: renewed by the process holding the connection, expired by any
    process when that one stops renewing (``leases.py``).
    """

    __tablename__ = "webtalk_room_connection"

    sid: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    webtalk_id: Mapped[int] = mapped_column(sa.ForeignKey("webtalk.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    # The column kept its first name (no migration needed): the lease began when it opened.
    seen_at: Mapped[datetime] = mapped_column("connected_at", UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()


class QuestionState(enum.StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    DISMISSED = "dismissed"


class Question(db.Model):
    """A question to the speakers; anonymous ones keep their author only for the author's data."""

    __tablename__ = "webtalk_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    webtalk_id: Mapped[int] = mapped_column(sa.ForeignKey("webtalk.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    anonymous: Mapped[bool] = mapped_column(default=False)
    body: Mapped[str] = mapped_column(sa.Text)
    html: Mapped[str] = mapped_column(sa.Text)
    votes: Mapped[int] = mapped_column(default=0)
    state: Mapped[QuestionState] = mapped_column(text_enum(QuestionState), default=QuestionState.OPEN)
    answer: Mapped[str] = mapped_column(sa.Text, default="")
    answer_html: Mapped[str] = mapped_column(sa.Text, default="")
    # The forum thread this question became after the talk (a plain number: forum owns it).
    thread_id: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship()

    @property
    def author_name(self) -> str | None:
        """The name shown, or None for anonymous questions and deleted accounts."""
        return None if self.anonymous or self.author is None else self.author.name


class QuestionVote(db.Model):
    """One person's upvote of a question; the key makes it once only."""

    __tablename__ = "webtalk_question_vote"

    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("webtalk_question.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Poll(db.Model):
    """A single- or multiple-choice poll a moderator opens in the room."""

    __tablename__ = "webtalk_poll"

    id: Mapped[int] = mapped_column(primary_key=True)
    webtalk_id: Mapped[int] = mapped_column(sa.ForeignKey("webtalk.id", ondelete="CASCADE"), index=True)
    question: Mapped[str] = mapped_column(sa.String(300))
    options: Mapped[list[str]] = mapped_column(sa.JSON)
    multiple: Mapped[bool] = mapped_column(default=False)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    votes: Mapped[list["PollVote"]] = relationship(cascade="all, delete-orphan", passive_deletes=True)

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def results(self) -> list[int]:
        """Votes per option, in the options' order."""
        counts = [0] * len(self.options)
        for vote in self.votes:
            for choice in vote.choices:
                counts[choice] += 1
        return counts


class PollVote(db.Model):
    """One person's ballot in a poll: the chosen options' indexes."""

    __tablename__ = "webtalk_poll_vote"

    poll_id: Mapped[int] = mapped_column(
        sa.ForeignKey("webtalk_poll.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    choices: Mapped[list[int]] = mapped_column(sa.JSON)


class HandRaise(db.Model):
    """A raised hand; the open ones, oldest first, are the queue the moderator works through."""

    __tablename__ = "webtalk_hand"

    id: Mapped[int] = mapped_column(primary_key=True)
    webtalk_id: Mapped[int] = mapped_column(sa.ForeignKey("webtalk.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lowered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
