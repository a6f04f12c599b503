"""The forum bench/forum.py measures: users, organisations, eight working groups, threads and
posts written in bulk (COPY on PostgreSQL, executemany on SQLite), read marks and a reader's
notifications. Post texts recombine real German sentences of ``corpus/datenprojekte``; every
run with the same sizes writes the same forum (fixed seed).
"""

import random
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from corpus import load_projects
from werkzeug.security import generate_password_hash

from stadtnetz.accounts.models import Membership, MembershipStatus, Organisation, OrganisationType, User
from stadtnetz.content import render_markdown
from stadtnetz.extensions import db
from stadtnetz.forum import inbox_count
from stadtnetz.forum.activity_models import Notification
from stadtnetz.forum.models import GroupMembership, Post, ReadMark, Thread, Visibility, WorkingGroup

GROUPS = [
    "Leerstandsbewältigung",
    "Klimaanpassung",
    "Wohnen und Leben in der Innenstadt",
    "Digitalisierung",
    "Handel & Gastronomie",
    "Mobilität",
    "Förderung & Finanzierung",
    "Interne Abstimmung",
]
MEASURED_GROUP_SHARE = 0.25  # the first group, whose page is measured, holds a quarter of the threads
AUTHORS = 2_000
BODIES = 5_000
CHUNK = 20_000
READER_EMAIL, READER_PASSWORD = "lea.leser@example.org", "Bench-Passwort-2026"
EPOCH = datetime(2023, 1, 1, tzinfo=UTC)


@dataclass
class Forum:
    """What the measurements need to know about the generated forum."""

    long_thread_id: int
    long_thread_posts: int
    group_slug: str
    group_threads: int
    notifications: int


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _bodies(rng: random.Random) -> list[tuple[str, str]]:
    """Post texts (Markdown and their HTML, rendered once) from the corpus's sentences."""
    sentences = [s for project in load_projects() for s in project.sentences if len(s) > 30]
    bodies = []
    for _ in range(BODIES):
        paragraphs = [" ".join(rng.sample(sentences, rng.randint(1, 2))) for _ in range(rng.randint(1, 2))]
        if rng.random() < 0.2:
            paragraphs.insert(0, "> " + rng.choice(sentences))
        text = "\n\n".join(paragraphs)
        bodies.append((text, render_markdown(text)))
    return bodies


def _post_counts(rng: random.Random, posts: int, threads: int) -> list[int]:
    """Posts per thread: one long thread, the rest skewed (a few busy threads, many short ones)."""
    long = max(200, posts // 500)
    weights = [rng.paretovariate(1.3) for _ in range(threads - 1)]
    spare = posts - long - (threads - 1)
    total = sum(weights)
    counts = [1 + int(spare * w / total) for w in weights]
    counts[0] += posts - long - sum(counts)
    return [long, *counts]


def _bulk(connection, table: sa.Table, rows) -> None:
    """Insert ``rows`` (dicts with every column): COPY on PostgreSQL, else executemany in chunks."""
    columns = [c.name for c in table.columns]
    if connection.dialect.name == "postgresql":
        cursor = connection.connection.driver_connection.cursor()
        with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])
        return
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            connection.execute(table.insert(), chunk)
            chunk = []
    if chunk:
        connection.execute(table.insert(), chunk)


def _people(rng: random.Random) -> tuple[list[int], User]:
    """Authors (a tenth of them with a solution provider: "Anbieter"), organisations and the reader."""
    password = generate_password_hash(READER_PASSWORD, method="pbkdf2:sha256:1000")
    now = datetime.now(UTC)
    organisations = [
        Organisation(
            slug=f"organisation-{n}",
            name=f"{'Anbieter' if n % 10 == 0 else 'Stadt'} {n}",
            type=OrganisationType.ANBIETER if n % 10 == 0 else OrganisationType.KOMMUNE,
        )
        for n in range(1, 101)
    ]
    db.session.add_all(organisations)
    authors = []
    for n in range(1, AUTHORS + 1):
        user = User(
            email=f"autor{n}@example.org",
            name=f"Autorin {n}",
            password_hash=password,
            email_confirmed_at=now,
            created_at=now - timedelta(days=400),
        )
        user.memberships.append(
            Membership(organisation=rng.choice(organisations), status=MembershipStatus.APPROVED)
        )
        authors.append(user)
    reader = User(
        email=READER_EMAIL,
        name="Lea Leser",
        password_hash=password,
        email_confirmed_at=now,
        created_at=now - timedelta(days=400),
    )
    db.session.add_all([*authors, reader])
    db.session.flush()
    return [a.id for a in authors], reader


def _settle(engine) -> None:
    """Leave the database as a forum that has been running for a while, not one written a second
    ago: statistics for the planner, and on PostgreSQL a VACUUM (hint bits and visibility map set,
    as pgbench does before it measures) and a CHECKPOINT (the bulk load's dirty pages written
    now, not by the checkpointer during the measurement)."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql("VACUUM (ANALYZE)")
            connection.exec_driver_sql("CHECKPOINT")
        else:
            connection.exec_driver_sql("ANALYZE")


def generate(posts: int, threads: int, seed: int = 20261122) -> Forum:
    """Write the forum into the app's (empty) database; progress goes to stderr."""
    rng = random.Random(seed)
    started = time.perf_counter()
    bodies = _bodies(rng)
    authors, reader = _people(rng)
    groups = [
        WorkingGroup(
            slug=f"gruppe-{n}",
            name=name,
            description=f"Die Arbeitsgruppe {name}.",
            visibility=Visibility.MEMBERS if n == len(GROUPS) else Visibility.PUBLIC,
        )
        for n, name in enumerate(GROUPS, start=1)
    ]
    for group in groups:
        group.memberships.append(GroupMembership(user=reader))
    db.session.add_all(groups)
    db.session.commit()
    progress(f"  {len(authors):,} authors, {len(groups)} groups ({time.perf_counter() - started:.1f} s)")

    counts = _post_counts(rng, posts, threads)
    group_ids = [g.id for g in groups]
    weights = [MEASURED_GROUP_SHARE] + [(1 - MEASURED_GROUP_SHARE) / (len(groups) - 1)] * (len(groups) - 1)
    thread_groups = [group_ids[0], *rng.choices(group_ids, weights, k=threads - 1)]
    thread_rows, post_rows_meta, next_post = [], [], 1
    for number, (count, group_id) in enumerate(zip(counts, thread_groups, strict=True), start=1):
        start = EPOCH + timedelta(minutes=rng.randint(0, 60 * 24 * 900))
        step = timedelta(minutes=rng.randint(5, 600))
        thread_rows.append(
            {
                "id": number,
                "group_id": group_id,
                "title": " ".join(rng.choice(bodies)[0].split()[:8])[:200],
                "author_id": rng.choice(authors),
                "created_at": start,
                "last_post_at": start + step * (count - 1),
                "last_post_id": next_post + count - 1,
                "post_count": count,
                "locked": False,
                "pinned": number <= 4,
                "posts_version": 0,
                "practice_id": None,
            }
        )
        post_rows_meta.append((number, next_post, count, start, step))
        next_post += count

    def post_rows():
        written = 0
        for thread_id, first, count, start, step in post_rows_meta:
            for i in range(count):
                body, html = rng.choice(bodies)
                yield {
                    "id": first + i,
                    "thread_id": thread_id,
                    "number": i + 1,
                    "author_id": rng.choice(authors),
                    "reply_to_id": first + i - 1 if i and rng.random() < 0.1 else None,
                    "body": body,
                    "html": html,
                    "created_at": start + step * i,
                    "edited_at": None,
                    "hidden_at": None,
                    "awaiting_review": False,
                    "deleted_at": None,
                    "deleted_reason": "",
                }
                written += 1
                if written % 100_000 == 0:
                    progress(f"  posts {written:,}/{posts:,} ({time.perf_counter() - started:.1f} s)")

    measured = [row for row in thread_rows if row["group_id"] == group_ids[0]]
    marks = [
        {
            "user_id": reader.id,
            "thread_id": row["id"],
            "last_read_post_id": row["last_post_id"] - rng.choice([0, 0, 0, 1, 3]),
        }
        for row in measured
    ]
    notifications = min(20_000, posts // 50)
    now = datetime.now(UTC)
    notification_rows = (
        {
            "id": n,
            "user_id": reader.id,
            "post_id": rng.randint(1, posts),
            "reason": rng.choice(["mention", "reply", "watched"]),
            "created_at": now - timedelta(minutes=n),
            "read_at": None if n <= 50 else now,
            "mailed_at": now,
        }
        for n in range(1, notifications + 1)
    )
    with db.engine.begin() as connection:
        _bulk(connection, Thread.__table__, iter(thread_rows))
        for group_id, count in Counter(thread_groups).items():
            groups_table = WorkingGroup.__table__
            connection.execute(
                sa.update(groups_table).where(groups_table.c.id == group_id).values(thread_count=count)
            )
        progress(f"  threads {threads:,} ({time.perf_counter() - started:.1f} s)")
        _bulk(connection, Post.__table__, post_rows())
        _bulk(connection, ReadMark.__table__, iter(marks))
        _bulk(connection, Notification.__table__, notification_rows)
        if connection.dialect.name == "postgresql":
            for table in ("forum_thread", "forum_post", "forum_notification"):
                connection.exec_driver_sql(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))")
    # The rows went in past the ORM: the reader's count in the header is stored as the forum keeps it.
    inbox_count.recount(db.session, [reader.id])
    db.session.commit()
    _settle(db.engine)
    progress(
        f"  {posts:,} posts, {len(marks):,} read marks, {notifications:,} notifications "
        f"written, vacuumed and analysed ({time.perf_counter() - started:.1f} s)"
    )
    return Forum(1, counts[0], groups[0].slug, len(measured), notifications)
