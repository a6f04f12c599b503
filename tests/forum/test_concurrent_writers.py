"""Two forum writers at the same moment, on PostgreSQL: a reply and a moderator's action on
the same thread lock its group and thread rows in one order (no deadlock), and a thread moved
or its group closed while a reply notifies leaves every header count equal to a real count.
Each test holds one writer where it would interleave and lets the other run into its lock."""

import threading
import time

import pytest
import sqlalchemy as sa

from stadtnetz.accounts.models import User
from stadtnetz.extensions import db as _db
from stadtnetz.forum import inbox_count, moderation, posting
from stadtnetz.forum.models import Thread, Visibility, WorkingGroup

pytestmark = pytest.mark.postgres
WAIT = 10  # seconds a test waits for the other writer before it fails



def wait_for_a_blocked_writer() -> None:
    """Return once some connection waits for a lock another one holds."""
    deadline = time.monotonic() + WAIT
    with _db.engine.connect() as probe:
        while probe.scalar(sa.text("SELECT count(*) FROM pg_locks WHERE NOT granted")) == 0:
            assert time.monotonic() < deadline, "no writer waited for the other's lock"
            time.sleep(0.01)


def in_own_session(app, outcomes: dict, name: str, work) -> threading.Thread:
    """Start ``work()`` in a thread with its own app context and session, committing at the end;
    ``outcomes[name]`` tells how it went."""

    def run():
        with app.app_context():
            try:
                work()
                _db.session.commit()
                outcomes[name] = "committed"
            except sa.exc.DBAPIError as error:
                outcomes[name] = type(error.orig).__name__
            finally:
                _db.session.remove()

    worker = threading.Thread(target=run, name=name)
    worker.start()
    return worker


def test_a_reply_and_a_pin_at_once_lock_group_and_thread_in_one_order(
    app, db, veteran, make_group, make_thread
):
    moderator, author = veteran(), veteran()
    thread = make_thread(group=make_group(moderators=[moderator], members=[author]), author=author)
    ids = moderator.id, author.id, thread.id
    holds_first_lock, go_on, outcomes = threading.Event(), threading.Event(), {}

    def pause_after_first_lock(_conn, _cursor, statement, *_args):
        replying = threading.current_thread().name == "reply"
        if replying and statement.startswith("UPDATE") and not holds_first_lock.is_set():
            holds_first_lock.set()
            go_on.wait(WAIT)

    def write_reply():
        posting.reply(_db.session.get(User, ids[1]), _db.session.get(Thread, ids[2]), "Gleich dazu.")

    def pin():
        moderation.switch_thread(_db.session.get(User, ids[0]), _db.session.get(Thread, ids[2]), "pin")

    sa.event.listen(_db.engine, "after_cursor_execute", pause_after_first_lock)
    try:
        replying = in_own_session(app, outcomes, "reply", write_reply)
        assert holds_first_lock.wait(WAIT)
        pinning = in_own_session(app, outcomes, "pin", pin)
        wait_for_a_blocked_writer()
        go_on.set()
        replying.join(WAIT)
        pinning.join(WAIT)
    finally:
        go_on.set()
        sa.event.remove(_db.engine, "after_cursor_execute", pause_after_first_lock)

    assert outcomes == {"reply": "committed", "pin": "committed"}
    db.session.expire_all()
    thread = db.session.get(Thread, ids[2])
    assert thread.pinned and thread.post_count == 2


def move_to_closed_group(moderator, thread, closed) -> None:
    moderation.move_thread(moderator, thread, closed)


def close_its_group(_moderator, thread, _closed) -> None:
    thread.group.visibility = Visibility.MEMBERS


@pytest.mark.parametrize("change", [move_to_closed_group, close_its_group])
def test_a_thread_leaving_the_public_while_a_reply_notifies_leaves_the_count_right(
    app, db, veteran, make_group, make_thread, change
):
    moderator, author, reader = veteran(), veteran(), veteran(name="Rita Leserin")
    closed = make_group(moderators=[moderator], members=[author], visibility="members")
    thread = make_thread(group=make_group(moderators=[moderator], members=[author]), author=author)
    ids, outcomes = ((User, moderator.id), (Thread, thread.id), (WorkingGroup, closed.id)), {}

    posting.reply(author, thread, "Was meint @[Rita Leserin]?")  # notifies; not yet committed
    db.session.flush()
    assert reader.unread_notifications == 1

    def work():
        change(*(_db.session.get(kind, id_) for kind, id_ in ids))

    changing = in_own_session(app, outcomes, "change", work)
    wait_for_a_blocked_writer()
    db.session.commit()
    changing.join(WAIT)

    assert outcomes == {"change": "committed"}
    db.session.expire_all()
    counted = db.session.scalar(sa.select(inbox_count.unread(reader.id)))
    assert (reader.unread_notifications, counted) == (0, 0)
