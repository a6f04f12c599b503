"""The header's count of unread notifications, stored with the user: after every kind of change
that can alter it, the stored number equals a real count of the notifications the user may
see, and a page's header shows it without asking the database."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from stadtnetz.database import utcnow
from stadtnetz.extensions import db as _db
from stadtnetz.forum import groups, inbox_count, moderation, notifications
from stadtnetz.forum.activity_models import Notification, WatchLevel
from stadtnetz.forum.models import GroupMembership, Post, Visibility
from tests.conftest import PASSWORD
from tests.test_migrations import bare_app, empty_database, flask_db  # noqa: F401  (fixtures)


def stored_and_counted(db, user) -> tuple[int, int]:
    """The user's stored count beside a real count."""
    db.session.expire_all()
    return user.unread_notifications, db.session.scalar(sa.select(inbox_count.unread(user.id)))


def unread(db, user) -> int:
    """The stored count, after checking it against a real count."""
    stored, counted = stored_and_counted(db, user)
    assert stored == counted
    return stored


def _notification(db, user, post) -> Notification:
    mine = sa.select(Notification).where(Notification.user_id == user.id, Notification.post_id == post.id)
    return db.session.scalar(mine)


def test_mention_reply_and_watching_count_up_and_reading_counts_down(
    client, db, login, veteran, make_group, make_thread, make_post
):
    author, reader = veteran(name="Anna Autorin"), veteran(name="Rita Leserin")
    thread = make_thread(group=make_group(members=[author, reader]), author=author)
    assert unread(db, reader) == 0

    mention = make_post(thread, author, "Frage an @[Rita Leserin]: Wie lief das bei Ihnen?")
    assert unread(db, reader) == 1
    own = make_post(thread, reader, "Gut, danke.")  # replying watches the thread
    assert unread(db, reader) == 1 and unread(db, author) == 1
    make_post(thread, author, "Genau so!", reply_to=own)
    make_post(thread, author, "Noch ein Nachtrag.")
    assert [n.reason.value for n in db.session.scalars(
        sa.select(Notification).where(Notification.user_id == reader.id).order_by(Notification.id)
    )] == ["mention", "reply", "watched"]
    assert unread(db, reader) == 3

    login(reader)
    assert "3 ungelesen" in client.get("/").text
    client.get(f"/benachrichtigungen/{_notification(db, reader, mention).id}")
    assert unread(db, reader) == 2
    client.get(f"/benachrichtigungen/{_notification(db, reader, mention).id}")  # opened twice
    assert unread(db, reader) == 2
    client.post("/benachrichtigungen/alle-gelesen")
    assert unread(db, reader) == 0
    assert "ungelesen" not in client.get("/").text


def test_the_user_in_the_session_sees_the_new_count_before_the_commit(db, veteran, make_thread, make_post):
    author, reader = veteran(), veteran(name="Rita Leserin")
    thread = make_thread(author=author)
    first = make_post(thread, author, "Hallo @[Rita Leserin]")
    make_post(thread, author, "Nochmals @[Rita Leserin]")
    assert reader.unread_notifications == 2

    notifications.open_notification(reader, _notification(db, reader, first).id)
    db.session.flush()
    assert reader.unread_notifications == 1
    notifications.mark_all_read(reader)
    assert reader.unread_notifications == 0
    db.session.rollback()
    assert reader.unread_notifications == 2


@pytest.fixture
def verified(make_user, make_organisation, make_membership):
    """A factory for users verified by an organisation, old enough to post."""

    def make(**kw):
        user = make_user(created_at=utcnow() - timedelta(days=30), **kw)
        make_membership(user, make_organisation())
        return user

    return make


def test_hiding_restoring_deleting_and_flags_recount_the_readers(
    db, veteran, verified, make_group, make_thread, make_post
):
    moderator, author = veteran(), veteran()
    readers = [veteran(name="Rita Leserin"), veteran(name="Lea Leserin")]
    thread = make_thread(group=make_group(moderators=[moderator]), author=author)
    posts = [make_post(thread, author, f"@[Rita Leserin] und @[Lea Leserin], Frage {n}") for n in range(3)]
    assert [unread(db, r) for r in readers] == [3, 3]

    moderation.hide_post(moderator, posts[0], "Off-Topic")
    db.session.commit()
    assert [unread(db, r) for r in readers] == [2, 2]
    moderation.restore_post(moderator, db.session.get(Post, posts[0].id))
    db.session.commit()
    assert [unread(db, r) for r in readers] == [3, 3]
    moderation.delete_post(moderator, db.session.get(Post, posts[1].id), "Persönliche Daten")
    db.session.commit()
    assert [unread(db, r) for r in readers] == [2, 2]

    for _ in range(moderation.FLAGS_TO_HIDE):
        moderation.flag_post(verified(), db.session.get(Post, posts[2].id), "Beleidigung")
        db.session.commit()
    assert db.session.get(Post, posts[2].id).awaiting_review
    assert [unread(db, r) for r in readers] == [1, 1]


def test_moving_a_thread_into_a_members_only_group(db, veteran, make_group, make_thread, make_post):
    moderator, author, reader = veteran(), veteran(), veteran(name="Rita Leserin")
    closed = make_group(moderators=[moderator], members=[author], visibility="members")
    thread = make_thread(group=make_group(moderators=[moderator], members=[author]), author=author)
    make_post(thread, author, "Was meint @[Rita Leserin]?")
    assert unread(db, reader) == 1

    moderation.move_thread(moderator, thread, closed)
    db.session.commit()
    assert unread(db, reader) == 0
    assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == 1  # kept, not shown


def test_visibility_and_membership_of_the_group(db, veteran, make_group, make_thread, make_post):
    moderator, author, reader = veteran(), veteran(), veteran(name="Rita Leserin")
    group = make_group(moderators=[moderator], members=[author])
    make_post(make_thread(group=group, author=author), author, "Was meint @[Rita Leserin]?")
    assert unread(db, reader) == 1

    group.visibility = Visibility.MEMBERS
    db.session.commit()
    assert unread(db, reader) == 0
    request = groups.join_group(reader, group, "Ich arbeite am Thema.")
    db.session.commit()
    assert not request.is_approved and unread(db, reader) == 0
    groups.decide_request(moderator, db.session.get(GroupMembership, (group.id, reader.id)), approved=True)
    db.session.commit()
    assert unread(db, reader) == 1

    groups.leave_group(reader, group)
    db.session.commit()
    assert unread(db, reader) == 0
    group.visibility = Visibility.PUBLIC
    db.session.commit()
    assert unread(db, reader) == 1


@pytest.mark.parametrize(("delete_content", "left"), [(False, 1), (True, 0)])
def test_an_author_deleting_their_account(
    client, db, login, veteran, make_thread, make_post, delete_content, left
):
    author, reader = veteran(), veteran(name="Rita Leserin")
    thread = make_thread(author=author)
    notifications.watch_thread(author, thread, WatchLevel.WATCHING)
    make_post(thread, author, "Was meint @[Rita Leserin]?")
    make_post(thread, reader, "Das hier.")
    assert unread(db, reader) == 1 and unread(db, author) == 1

    login(author)
    data = {"password": PASSWORD} | ({"delete_content": "y"} if delete_content else {})
    assert "Ihr Konto ist gelöscht." in client.post("/konto/loeschen", data=data, follow_redirects=True).text

    assert unread(db, reader) == left


def test_the_header_shows_the_count_without_a_query(
    client, db, login, veteran, make_group, make_thread, make_post, count_queries
):
    author, reader = veteran(), veteran(name="Rita Leserin")
    group = make_group(members=[author, reader])
    thread = make_thread(group=group, author=author)
    make_post(thread, author, "Hallo @[Rita Leserin]")
    make_post(thread, author, "Nochmals @[Rita Leserin]")
    login(reader)

    for path in ("/", f"/arbeitsgruppen/{group.slug}", f"/forum/themen/{thread.id}"):
        with count_queries() as statements:
            page = client.get(path).text
        assert "2 ungelesen" in page
        assert not [s for s in statements if "forum_notification" in s], path


def test_migration_fills_the_count_on_both_databases(bare_app):  # noqa: F811  (fixture)
    """0010 on a forum with data: each user's count as the forum counts it (read, hidden,
    deleted and members-only notifications left out); the downgrade keeps every row."""
    flask_db(bare_app, "upgrade", "0009")
    with _db.engine.begin() as connection:
        run = connection.exec_driver_sql
        for user_id in (1, 2, 3):
            run(
                "INSERT INTO user_account (id, email, password_hash, session_token, name, job_title, bio, "
                f"site_role, created_at) VALUES ({user_id}, 'p{user_id}@example.org', 'x', 't{user_id}', "
                "'P', '', '', 'member', '2026-01-01')"
            )
        for group_id, visibility in ((1, "public"), (2, "members"), (3, "members")):
            run(
                "INSERT INTO forum_group (id, slug, name, description, visibility, created_at) "
                f"VALUES ({group_id}, 'g{group_id}', 'G', '', '{visibility}', '2026-01-01')"
            )
            run(
                "INSERT INTO forum_thread (id, group_id, title, created_at, last_post_at, post_count, "
                f"locked, pinned) VALUES ({group_id}, {group_id}, 'T', '2026-01-01', '2026-01-01', 1, "
                "FALSE, FALSE)"
            )
        # The reader (1) is a member of group 2 and has asked to join group 3.
        for group_id, status in ((2, "approved"), (3, "pending")):
            run(
                "INSERT INTO forum_group_member (group_id, user_id, role, status, message, created_at) "
                f"VALUES ({group_id}, 1, 'member', '{status}', '', '2026-01-01')"
            )
        posts = {1: (1, "NULL", "NULL"), 2: (1, "'2026-01-02'", "NULL"), 3: (2, "NULL", "NULL"),
                 4: (3, "NULL", "NULL"), 5: (1, "NULL", "'2026-01-02'")}
        for post_id, (thread_id, hidden_at, deleted_at) in posts.items():
            run(
                "INSERT INTO forum_post (id, thread_id, number, body, html, created_at, hidden_at, "
                f"awaiting_review, deleted_at, deleted_reason) VALUES ({post_id}, {thread_id}, {post_id}, "
                f"'x', 'x', '2026-01-01', {hidden_at}, FALSE, {deleted_at}, '')"
            )
        # Only 1 on post 1 (unread) and 3 on post 3 (in the reader's group) count.
        notified = [(1, 1, "NULL"), (1, 1, "'2026-01-03'"), (1, 2, "NULL"), (1, 3, "NULL"),
                    (1, 4, "NULL"), (1, 5, "NULL"), (3, 1, "'2026-01-03'")]
        for user_id, post_id, read_at in notified:
            run(
                "INSERT INTO forum_notification (user_id, post_id, reason, created_at, read_at) "
                f"VALUES ({user_id}, {post_id}, 'mention', '2026-01-01', {read_at})"
            )

    flask_db(bare_app, "upgrade")
    counts = "SELECT id, unread_notifications FROM user_account ORDER BY id"
    with _db.engine.connect() as connection:
        assert connection.exec_driver_sql(counts).all() == [(1, 2), (2, 0), (3, 0)]
        assert connection.execute(sa.select(inbox_count.unread(1))).scalar() == 2

    flask_db(bare_app, "downgrade", "0009")
    with _db.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM user_account").scalar() == 3
        assert connection.exec_driver_sql("SELECT count(*) FROM forum_notification").scalar() == 7
    columns = {column["name"] for column in sa.inspect(_db.engine).get_columns("user_account")}
    assert "unread_notifications" not in columns
