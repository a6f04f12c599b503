"""Reminder mails 24 hours and 1 hour before a talk, sent through the outbox.

Planning a talk (or moving it) schedules two outbox jobs on the ``webtalk_reminders`` queue
with ``run_after`` at the reminder times, so the workers of ``flask serve`` or ``flask worker``
send them without a cron job. A job sends every reminder that is due for its talk and marks
each registration, in the same transaction as the mail job: a job that runs twice, or early
because the talk moved, sends nothing twice.
"""

from datetime import timedelta

from flask_babel import lazy_gettext as _l

from .. import outbox
from ..database import utcnow
from ..extensions import db
from .models import Webtalk
from .notices import mail_registration

QUEUE = "webtalk_reminders"
#: (attribute marking the registration, how long before the start)
REMINDERS = (("reminded_24h_at", timedelta(hours=24)), ("reminded_1h_at", timedelta(hours=1)))


def schedule(talk: Webtalk) -> None:
    """Queue a job for each reminder time of ``talk`` (jobs from an earlier time are harmless)."""
    for _attribute, before in REMINDERS:
        job = outbox.enqueue(QUEUE, {"webtalk_id": talk.id})
        job.run_after = talk.starts_at - before


def send_due(talk: Webtalk) -> int:
    """Mail every reminder of ``talk`` due now and not yet sent; return how many were sent.

    Only the latest due reminder goes out: someone who registers 2 hours before gets the
    1-hour reminder, not both at once.
    """
    now = utcnow()
    if talk.is_cancelled or now >= talk.starts_at:
        return 0
    due = [(attribute, before) for attribute, before in REMINDERS if now >= talk.starts_at - before]
    if not due:
        return 0
    attribute, before = due[-1]
    sent = 0
    for registration in talk.confirmed():
        if getattr(registration, attribute) is not None:
            continue
        for marked, _before in due:
            setattr(registration, marked, now)
        mail_registration(
            registration,
            _l("Erinnerung: %(title)s", title=talk.title),
            "webtalk_reminder",
            hours=int(before.total_seconds() // 3600),
        )
        sent += 1
    db.session.flush()
    return sent


@outbox.handler(QUEUE)
def run_job(payload: dict) -> None:
    """Send the reminders due for one talk (the outbox commits the marks with the mail jobs)."""
    talk = db.session.get(Webtalk, payload["webtalk_id"])
    if talk is not None:
        send_due(talk)
