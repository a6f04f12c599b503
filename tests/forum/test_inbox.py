"""The notification centre reads a page in one query with the columns it shows: the author (or
"Ein gelöschtes Konto"), the thread, the group and the time of each notification, unread ones
marked, whatever the reason."""

from datetime import timedelta

import sqlalchemy as sa

from stadtnetz.database import utcnow
from stadtnetz.forum.activity_models import Notification
from tests.conftest import PASSWORD


def test_the_centre_shows_each_line_from_one_query(
    client, db, login, make_user, make_group, make_thread, make_post, count_queries
):
    anna, gone, reader = (
        make_user(name=name, created_at=utcnow() - timedelta(days=30))
        for name in ("Anna Autorin", "Gerd Geht", "Rita Leserin")
    )
    group = make_group(name="Klimaanpassung", members=[anna, gone, reader])
    thread = make_thread(group=group, author=anna, title="Hitzeaktionsplan")
    own = make_post(thread, reader, "Ich beobachte das Thema.")
    make_post(thread, gone, "Frage an @[Rita Leserin]")
    make_post(thread, anna, "Genau!", reply_to=own)
    oldest = sa.select(sa.func.min(Notification.id)).where(Notification.user_id == reader.id)
    mention = db.session.scalar(oldest)
    login(gone)
    client.post("/konto/loeschen", data={"password": PASSWORD})
    login(reader)
    client.get(f"/benachrichtigungen/{mention}")  # read

    with count_queries() as statements:
        page = client.get("/benachrichtigungen").text

    assert "Anna Autorin hat Ihnen in „Hitzeaktionsplan“ geantwortet" in page
    assert "Ein gelöschtes Konto hat Sie in „Hitzeaktionsplan“ erwähnt" in page
    assert page.count("Klimaanpassung · ") == 2 and page.count('class="badge badge-new"') == 1
    assert len([s for s in statements if "forum_" in s]) == 1
