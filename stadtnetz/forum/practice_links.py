"""Threads that link practices: reading the practices a writer names in the thread form (by
address or number, one or more, so it works without JavaScript) and the list of threads that
link a practice, shown on the practice page to those who may read each thread's group.
"""

import re
from collections.abc import Sequence

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from ..accounts.permissions import may_read_group
from ..errors import Invalid
from ..extensions import db
from ..practices.models import Practice
from ..practices.topics import PracticeState
from .models import Thread, ThreadPractice

# "12", "/praxisbeispiele/12-pop-up-stores" or the full address of a practice page.
REFERENCE = re.compile(r"^(?:\d+|(?:https?://[^/\s]+)?/praxisbeispiele/(\d+)(?:-[^/\s]*)?/?)$")
MAX_LINKS = 20


def practice_ids(text: str) -> list[int]:
    """The practice numbers in ``text``: addresses or numbers, separated by lines, spaces or commas."""
    ids = []
    for reference in re.split(r"[\s,;]+", (text or "").strip()):
        if not reference:
            continue
        match = REFERENCE.match(reference)
        if match is None:
            raise Invalid(
                _l(
                    "„%(reference)s“ ist weder die Adresse noch die Nummer eines Praxisbeispiels.",
                    reference=reference,
                ),
                "practices",
            )
        ids.append(int(match.group(1) or reference))
    if len(set(ids)) > MAX_LINKS:
        raise Invalid(
            _l("Bitte verknüpfen Sie höchstens %(max)d Praxisbeispiele.", max=MAX_LINKS), "practices"
        )
    return list(dict.fromkeys(ids))


def _not_linkable(ids) -> Invalid:
    # Drafts are answered like missing numbers: the message must not reveal what exists.
    numbers = ", ".join(str(i) for i in ids)
    return Invalid(
        _l("Kein veröffentlichtes Praxisbeispiel hat die Nummer %(numbers)s.", numbers=numbers), "practices"
    )


def practices_named(text: str) -> list[Practice]:
    """The practices ``text`` names, in its order; ``Invalid`` for a number that names none."""
    ids = practice_ids(text)
    found = {p.id: p for p in db.session.scalars(sa.select(Practice).where(Practice.id.in_(ids)))}
    missing = [i for i in ids if i not in found]
    if missing:
        raise _not_linkable(missing)
    return [found[i] for i in ids]


def linkable(practices: Sequence[Practice], kept: Sequence[Practice] = ()) -> list[Practice]:
    """``practices`` without repeats, if each is published (or ``kept``: linked before and
    archived since); ``Invalid`` otherwise."""
    unique = list(dict.fromkeys(practices))
    refused = [p.id for p in unique if p.state != PracticeState.PUBLISHED and not (p in kept and p.is_public)]
    if refused:
        raise _not_linkable(refused)
    return unique


def references(thread: Thread) -> str:
    """The addresses of the practices ``thread`` links, one per line, for the edit form."""
    return "\n".join(current_app.config["BASE_URL"] + practice.url for practice in thread.practices)


def threads_linking(practice: Practice, user) -> list[Thread]:
    """The threads that link ``practice`` and that ``user`` may read, latest activity first."""
    threads = db.session.scalars(
        sa.select(Thread)
        .join(ThreadPractice, ThreadPractice.thread_id == Thread.id)
        .where(ThreadPractice.practice_id == practice.id)
        .order_by(Thread.last_post_at.desc(), Thread.id.desc())
        .options(selectinload(Thread.group))
    )
    return [thread for thread in threads if may_read_group(user, thread.group)]
