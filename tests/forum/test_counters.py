"""Counters and numbers that keep the forum's pages cheap at a million posts: each group's
thread count, each thread's post count and last post, each post's number in its thread (the
thread page is a range of numbers) and the notification centre's pages, which never count the
inbox. The counters must agree with a real count after posting, hiding, deleting and moving;
the SQL statements per page must not grow with the page."""

import re
from datetime import timedelta

import sqlalchemy as sa

from stadtnetz import create_app
from stadtnetz.database import utcnow
from stadtnetz.extensions import db as _db
from stadtnetz.forum import moderation, notifications, posting
from stadtnetz.forum.activity_models import Notification, NotificationReason
from stadtnetz.forum.models import Post, Thread, WorkingGroup
from tests.conftest import config_for_tests


def _counted(db, group: WorkingGroup) -> tuple[int, int]:
    """The group's stored thread count beside a real count of its threads."""
    db.session.expire_all()
    real = db.session.scalar(sa.select(sa.func.count(Thread.id)).where(Thread.group_id == group.id))
    return group.thread_count, real


def _thread_counters(db, thread: Thread) -> dict:
    """The thread's stored counters beside what its posts say."""
    db.session.expire_all()
    posts = db.session.scalars(sa.select(Post).where(Post.thread_id == thread.id).order_by(Post.id)).all()
    return {
        "post_count": (thread.post_count, len(posts)),
        "last_post_id": (thread.last_post_id, posts[-1].id),
        "numbers": [p.number for p in posts],
    }


def test_counters_follow_posting_hiding_deleting_and_moving(db, veteran, make_group, make_thread, make_post):
    moderator, author = veteran(), veteran()
    group = make_group(moderators=[moderator], members=[author])
    target = make_group(moderators=[moderator])
    thread = make_thread(group=group, author=author)
    other = make_thread(group=group, author=author)
    replies = [make_post(thread, author, f"Antwort {n}") for n in range(3)]

    assert _counted(db, group) == (2, 2) and _counted(db, target) == (0, 0)
    assert _thread_counters(db, thread) == {
        "post_count": (4, 4), "last_post_id": (replies[-1].id, replies[-1].id), "numbers": [1, 2, 3, 4]
    }

    # Hidden and deleted posts keep their place (a placeholder shows where they were).
    moderation.hide_post(moderator, replies[0], "Off-Topic")
    moderation.delete_post(moderator, replies[-1], "Persönliche Daten")
    db.session.commit()
    assert _thread_counters(db, thread)["post_count"] == (4, 4)
    assert _thread_counters(db, thread)["numbers"] == [1, 2, 3, 4]

    moderation.move_thread(moderator, thread, target, "passt besser")
    db.session.commit()
    assert _counted(db, group) == (1, 1) and _counted(db, target) == (1, 1)
    later = make_post(thread, author, "Nach dem Umzug")
    assert _thread_counters(db, thread) == {
        "post_count": (5, 5), "last_post_id": (later.id, later.id), "numbers": [1, 2, 3, 4, 5]
    }
    assert _thread_counters(db, other)["post_count"] == (1, 1)


def test_a_practice_discussion_counts_in_its_new_group(client, db, login, make_user, make_practice):
    practice = make_practice()
    reader = make_user(created_at=utcnow() - timedelta(days=30))
    login(reader)

    client.post(f"/praxisbeispiele/{practice.id}/diskussion", data={"body": "Wie lief das?", "save": "1"})

    [group] = db.session.scalars(sa.select(WorkingGroup)).all()
    assert _counted(db, group) == (1, 1)


def test_thread_pages_are_ranges_of_post_numbers(
    client, db, login, veteran, make_group, make_thread, make_post
):
    author, reader = veteran(name="Autorin"), veteran()
    group = make_group(members=[author, reader])
    thread = make_thread(group=group, author=author, body="Beitrag 1")
    for n in range(2, posting.PER_PAGE + 3):
        make_post(thread, author, f"Beitrag {n}")
    login(reader)

    first = client.get(f"/forum/themen/{thread.id}").text
    second = client.get(f"/forum/themen/{thread.id}?page=2").text

    assert len(re.findall(r'id="beitrag-\d+"', first)) == posting.PER_PAGE
    assert f"Beitrag {posting.PER_PAGE}</p>" in first and f"Beitrag {posting.PER_PAGE + 1}</p>" not in first
    shown = re.findall(r"Beitrag (\d+)</p>", second)
    assert shown == [str(posting.PER_PAGE + 1), str(posting.PER_PAGE + 2)]
    assert "Seite 2 von 2" in second and "Autorin" in second
    last = db.session.get(Post, thread.last_post_id)
    assert client.get(f"/forum/beitraege/{last.id}").headers["Location"] == (
        f"/forum/themen/{thread.id}?page=2#beitrag-{last.id}"
    )


def test_group_page_counts_unread_posts_from_the_numbers(
    client, db, login, veteran, make_group, make_thread, make_post
):
    author, reader = veteran(), veteran()
    group = make_group(members=[author, reader])
    read, unread = make_thread(group=group, author=author, title="Gelesen"), make_thread(
        group=group, author=author, title="Ungelesen"
    )
    login(reader)
    client.get(f"/forum/themen/{read.id}")
    for n in range(3):
        make_post(read, author, f"Neu {n}")

    page = client.get(f"/arbeitsgruppen/{group.slug}").text

    assert "3 neue Beiträge" in page and "1 neuer Beitrag" in page
    assert f"/forum/themen/{read.id}/ungelesen" in page and f"/forum/themen/{unread.id}/ungelesen" in page


def _notify(db, user, post, count: int) -> None:
    db.session.add_all(
        Notification(user=user, post=post, reason=NotificationReason.WATCHED) for _ in range(count)
    )
    db.session.commit()


def test_notification_centre_pages_back_without_counting(
    client, db, login, veteran, make_group, make_thread, count_queries
):
    reader = veteran()
    thread = make_thread(group=make_group(members=[reader]), title="Hitzeaktionsplan")
    post = db.session.get(Post, thread.last_post_id)
    _notify(db, reader, post, notifications.PER_PAGE + 2)
    ids = sorted(db.session.scalars(sa.select(Notification.id)), reverse=True)
    login(reader)

    with count_queries() as statements:
        first = client.get("/benachrichtigungen").text
    assert not any("count(" in s and "forum_notification.read_at IS NULL" not in s for s in statements)
    assert first.count("in „Hitzeaktionsplan“ geschrieben") == notifications.PER_PAGE
    older = f"/benachrichtigungen?vor={ids[notifications.PER_PAGE - 1]}"
    assert older in first and "Neueste Benachrichtigungen" not in first

    second = client.get(older).text
    assert second.count("in „Hitzeaktionsplan“ geschrieben") == 2
    assert f"/benachrichtigungen/{ids[-1]}" in second and "Ältere Benachrichtigungen" not in second
    assert 'href="/benachrichtigungen"' in second


def test_page_query_counts_do_not_grow_with_the_page(
    client, db, login, veteran, make_group, make_thread, make_post, make_organisation, make_membership,
    count_queries,
):
    reader = veteran()
    small, full = make_group(members=[reader]), make_group(members=[reader])
    make_thread(group=small)
    for _ in range(posting.PER_PAGE):
        make_thread(group=full, author=veteran())
    long = make_thread(group=full)
    for n in range(posting.PER_PAGE):
        author = veteran()
        make_membership(author, make_organisation())
        make_post(long, author, f"Beitrag {n}")
    short = make_thread(group=small)
    post = db.session.get(Post, long.last_post_id)
    _notify(db, reader, post, 1)
    login(reader)
    client.get(f"/forum/themen/{short.id}"), client.get(f"/forum/themen/{long.id}")  # read marks stored

    def statements(path: str) -> int:
        with count_queries() as counted:
            assert client.get(path).status_code == 200
        return len(counted)

    assert statements(f"/forum/themen/{short.id}") == statements(f"/forum/themen/{long.id}") <= 2
    assert statements(f"/arbeitsgruppen/{small.slug}") == statements(f"/arbeitsgruppen/{full.slug}") <= 4
    _notify(db, reader, post, notifications.PER_PAGE)
    assert statements("/benachrichtigungen") <= 2
    client.post("/abmelden")
    assert statements(f"/forum/themen/{short.id}") == statements(f"/forum/themen/{long.id}") <= 1


def test_migration_numbers_existing_posts_and_keeps_every_row(tmp_path):
    """0009 on a forum with data: numbers per thread in written order, thread counts per group,
    and nothing lost (a table rebuild on SQLite would cascade-delete through foreign keys)."""
    app = create_app(
        config_for_tests(
            SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'forum.sqlite3'}", MAIL_DIR=str(tmp_path / "mail")
        )
    )
    cli = app.test_cli_runner()
    with app.app_context():
        assert cli.invoke(args=["db", "upgrade", "0008"]).exit_code == 0
        with _db.engine.begin() as connection:
            run = connection.exec_driver_sql
            run(
                "INSERT INTO forum_group (id, slug, name, description, visibility, created_at) "
                "VALUES (1, 'a', 'A', '', 'public', '2026-01-01'), (2, 'b', 'B', '', 'public', '2026-01-01')"
            )
            for thread_id, group_id in ((1, 1), (2, 1), (3, 2)):
                run(
                    "INSERT INTO forum_thread (id, group_id, title, created_at, last_post_at, "
                    f"post_count, locked, pinned) VALUES ({thread_id}, {group_id}, 'T', '2026-01-01', "
                    "'2026-01-01', 0, 0, 0)"
                )
            for post_id, thread_id in enumerate([1, 2, 1, 3, 1, 2], start=1):
                run(
                    "INSERT INTO forum_post (id, thread_id, body, html, created_at, awaiting_review, "
                    f"deleted_reason) VALUES ({post_id}, {thread_id}, 'x', 'x', '2026-01-01', 0, '')"
                )
            run("INSERT INTO forum_post_revision (post_id, body, written_at) VALUES (3, 'alt', '2026-01-01')")

        assert cli.invoke(args=["db", "upgrade"]).exit_code == 0

        with _db.engine.connect() as connection:
            run = connection.exec_driver_sql
            assert run("SELECT id, thread_id, number FROM forum_post ORDER BY id").all() == [
                (1, 1, 1), (2, 2, 1), (3, 1, 2), (4, 3, 1), (5, 1, 3), (6, 2, 2)
            ]
            assert run("SELECT id, thread_count FROM forum_group ORDER BY id").all() == [(1, 2), (2, 1)]
            assert run("SELECT count(*) FROM forum_post_revision").scalar() == 1
        assert cli.invoke(args=["db", "downgrade", "0008"]).exit_code == 0
        with _db.engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT count(*) FROM forum_post").scalar() == 6
        _db.engine.dispose()
