"""The acceptance of issue 7 on two (and for the relay, three) real instances on loopback.

Everything travels over HTTP between the instances: WebFinger, actor documents, signed POSTs to
the inboxes, signed fetches. The tests run the workers by hand (``settle``), except the last
one, which kills a real worker process mid-delivery.
"""

from datetime import timedelta

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from stadtnetz import outbox
from stadtnetz.accounts.models import Organisation, OrganisationType, SiteRole, User
from stadtnetz.config import TestConfig
from stadtnetz.database import utcnow
from stadtnetz.extensions import db
from stadtnetz.federation.following import follow_remote
from stadtnetz.federation.follows import Following, FollowState
from stadtnetz.federation.inbox import InboxActivity
from stadtnetz.federation.remote_content import RemotePost, RemotePractice, RemoteThread, RemoteWebtalk
from stadtnetz.federation.remote_objects import reply_to_remote_thread
from stadtnetz.forum.models import Post, Thread, Visibility, WorkingGroup
from stadtnetz.forum.posting import start_thread
from stadtnetz.practices import services as practices
from stadtnetz.search import search
from stadtnetz.webtalks.talks import TalkData, create_webtalk

from .conftest import Instance, settle, wait_until

PASSWORD = "ein-sicheres-Passwort-42"


def make_user(name: str, **kw) -> User:
    long_ago = utcnow() - timedelta(days=60)
    user = User(email=f"{name.lower()}@example.org", name=name, email_confirmed_at=long_ago,
                password_hash=generate_password_hash(PASSWORD, method=TestConfig.PASSWORD_HASH_METHOD),
                created_at=long_ago, **kw)
    db.session.add(user)
    db.session.flush()
    return user


def follow(instance: Instance, user_name: str, handle: str) -> None:
    """``user_name`` on ``instance`` follows ``handle`` (a new user, through WebFinger)."""
    with instance.context():
        follow_remote(make_user(user_name), handle)


def accepted_follows(instance: Instance) -> list[str]:
    with instance.context():
        return list(db.session.scalars(sa.select(Following.actor_uri).where(
            Following.state == FollowState.ACCEPTED)))


def network_search(instance: Instance, words: str) -> list[str]:
    """Titles found for ``words`` with the filter "aus dem Netzwerk", after indexing."""
    instance.run_queue("search")
    with instance.context():
        results = search(words, filters={"origin": ["network"]})
        return [hit.title for hit in results.hits]


def test_follow_a_municipality_and_receive_its_practice_through_its_life(instance_a, instance_b):
    a, b = instance_a, instance_b
    with a.context():
        db.session.add(Organisation(name="Stadt Jena", slug="jena", type=OrganisationType.KOMMUNE))
    follow(b, "Berta", f"@jena@{a.host}")
    settle(a, b)
    assert accepted_follows(b) == [f"{a.base_url}/ap/organisations/jena"]

    with a.context():
        organisation = db.session.scalar(sa.select(Organisation).filter_by(slug="jena"))
        practice = practices.create_practice(None, organisation, {
            "title": "Leerstandslotsen in Jena", "teaser": "Lotsen vermitteln leere Läden an Gründer.",
            "situation": "Viele Läden standen leer.", "implementation": "Zwei **Lotsen** beraten.",
            "topics": ["leerstand"], "total_cost": 120_000, "funding_programme": "Zukunftsfähige Innenstädte",
            "funding_amount": 80_000, "own_share": 40_000, "contact_name": "Anna Muster",
            "contact_email": "anna@jena.example"})
        practices.publish_practice(None, practice)
        practice_id = practice.id
    settle(a, b)

    with b.context():
        copy = db.session.scalar(sa.select(RemotePractice))
        assert copy.title == "Leerstandslotsen in Jena" and copy.host == a.host
        assert copy.url.startswith(f"{a.base_url}/praxisbeispiele/{practice_id}-")
        copy_id, copy_url = copy.id, copy.url
    page = b.client().get(f"/netzwerk/praxisbeispiele/{copy_id}").get_data(as_text=True)
    assert "Leerstandslotsen in Jena" in page and "<strong>Lotsen</strong>" in page
    assert f"Original auf {a.host} ansehen" in page and f'href="{copy_url}"' in page
    for fact in ("120.000 €", "Zukunftsfähige Innenstädte", "80.000 €", "40.000 €", "Anna Muster"):
        assert fact in page, fact
    assert "anna@jena.example" not in page  # contact details stay at the origin
    assert network_search(b, "Lotsen") == ["Leerstandslotsen in Jena"]
    search_page = b.client().get("/suche?q=Lotsen").get_data(as_text=True)
    assert "aus dem Netzwerk" in search_page

    with a.context():
        practices.update_practice(None, db.session.get(practices.Practice, practice_id),
                                  {"title": "Leerstandslotsen und Quartiersfonds"})
    settle(a, b)
    assert network_search(b, "Quartiersfonds") == ["Leerstandslotsen und Quartiersfonds"]

    with a.context():
        practices.archive_practice(None, db.session.get(practices.Practice, practice_id))
    settle(a, b)
    assert network_search(b, "Lotsen") == []
    assert b.client().get(f"/netzwerk/praxisbeispiele/{copy_id}").status_code == 404


def _group(a: Instance) -> tuple[int, int]:
    """A public working group on ``a`` and a member to write in it: (group id, user id)."""
    with a.context():
        anna = make_user("Anna")
        group = WorkingGroup(name="Innenstadt gestalten", slug="innenstadt", visibility=Visibility.PUBLIC)
        db.session.add(group)
        db.session.flush()
        return group.id, anna.id


def test_reply_from_b_reaches_the_group_on_a_and_its_other_followers(instance_a, instance_b, tmp_path):
    a, b = instance_a, instance_b
    c = Instance("c", tmp_path)
    try:
        group_id, anna_id = _group(a)
        group_handle = f"@innenstadt@{a.host}"
        follow(b, "Berta", group_handle)
        settle(a, b)
        with a.context():
            thread = start_thread(db.session.get(User, anna_id), db.session.get(WorkingGroup, group_id),
                                  "Pop-up-Stores im Winter", "Wer hat Erfahrungen mit Pop-up-Stores?")
            thread_id = thread.id
        settle(a, b)
        # C joins the group after the thread was started: it learns of the thread with the reply.
        follow(c, "Carl", group_handle)
        settle(a, b, c)
        assert accepted_follows(b) == accepted_follows(c) == [f"{a.base_url}/ap/groups/innenstadt"]
        with b.context():
            remote_thread = db.session.scalar(sa.select(RemoteThread))
            assert remote_thread.title == "Pop-up-Stores im Winter"
            remote_thread_id = remote_thread.id

        client = b.client()
        client.post("/anmelden", data={"email": "berta@example.org", "password": PASSWORD})
        page = client.get(f"/netzwerk/themen/{remote_thread_id}").get_data(as_text=True)
        assert "Wer hat Erfahrungen mit Pop-up-Stores?" in page
        with b.context():
            reply_to_remote_thread(db.session.scalar(sa.select(User).filter_by(name="Berta")),
                                   db.session.get(RemoteThread, remote_thread_id),
                                   "Bei uns in **Siegen** lief das gut.")
        settle(a, b, c)

        with a.context():
            posts = db.session.scalars(sa.select(Post).filter_by(thread_id=thread_id).order_by(Post.id)).all()
            assert len(posts) == 2 and "<strong>Siegen</strong>" in posts[1].html
            assert db.session.get(Thread, thread_id).post_count == 2
        with c.context():
            relayed = db.session.scalars(sa.select(RemotePost)).all()
            assert [post.html for post in relayed] == [
                "<p>Bei uns in <strong>Siegen</strong> lief das gut.</p>"]
            assert relayed[0].author_uri.startswith(b.base_url + "/ap/users/")
            assert relayed[0].thread.title == "Pop-up-Stores im Winter"
        with b.context():
            # B keeps its own reply once, although the group's Announce came back to it.
            assert db.session.scalar(sa.select(sa.func.count(RemotePost.id))) == 1
    finally:
        c.close()


def test_webtalk_on_a_appears_on_b(instance_a, instance_b):
    a, b = instance_a, instance_b
    group_id, _anna = _group(a)
    follow(b, "Berta", f"@innenstadt@{a.host}")
    settle(a, b)
    with a.context():
        moderator = make_user("Mona", site_role=SiteRole.MODERATOR)
        starts = utcnow().replace(microsecond=0) + timedelta(days=7)
        create_webtalk(moderator, db.session.get(WorkingGroup, group_id),
                       TalkData(title="Leerstand digital erfassen", starts_at=starts,
                                ends_at=starts + timedelta(hours=1), description="Mit **Karten**."))
    settle(a, b)
    with b.context():
        talk = db.session.scalar(sa.select(RemoteWebtalk))
        assert (talk.title, talk.starts_at) == ("Leerstand digital erfassen", starts)
        assert talk.timezone == "Europe/Berlin"
        assert talk.room_url.startswith(a.base_url)
        talk_id = talk.id
    client = b.client()
    client.post("/anmelden", data={"email": "berta@example.org", "password": PASSWORD})
    assert f'href="/netzwerk/webtalks/{talk_id}">Leerstand digital erfassen</a>' in client.get(
        "/netzwerk").get_data(as_text=True)
    page = client.get(f"/netzwerk/webtalks/{talk_id}").get_data(as_text=True)
    assert "<p>Mit <strong>Karten</strong>.</p>" in page and "(Berliner Zeit)" in page
    assert "Zeitzone des Veranstalters" not in page and f'<a href="{a.base_url}/webtalks/' in page


def test_killed_worker_loses_nothing_and_sends_nothing_twice(instance_a, instance_b):
    a, b = instance_a, instance_b
    group_id, anna_id = _group(a)
    follow(b, "Berta", f"@innenstadt@{a.host}")
    settle(a, b)
    with a.context():
        start_thread(db.session.get(User, anna_id), db.session.get(WorkingGroup, group_id),
                     "Wochenmarkt am Abend", "Wer hat den Markt in den Abend verlegt?")
    settle(a, b)
    replies = 40
    with b.context():
        berta = db.session.scalar(sa.select(User).filter_by(name="Berta"))
        thread = db.session.scalar(sa.select(RemoteThread))
        for number in range(replies):
            reply_to_remote_thread(berta, thread, f"Antwort Nummer {number}")
    assert b.pending("federation_delivery") == replies

    def replies_received() -> list[InboxActivity]:
        with a.context():
            rows = db.session.scalars(sa.select(InboxActivity)).all()
            return [row.activity_id for row in rows if row.json.get("type") == "Create"
                    and row.actor_uri.startswith(b.base_url)]

    b.start_worker("--interval", "0.05")
    wait_until(lambda: len(replies_received()) >= 3, interval=0.02)
    b.kill_worker()
    assert 0 < b.pending("federation_delivery") < replies, "the worker was to be killed mid-delivery"
    # The killed worker's leases would run out after ``outbox.LEASE``; let them run out now.
    with b.context():
        db.session.execute(sa.update(outbox.OutboxJob).where(outbox.OutboxJob.done_at.is_(None))
                           .values(lease_until=None))
    b.start_worker("--interval", "0.05")
    wait_until(lambda: b.pending("federation_delivery") == 0, timeout=60)
    b.stop_worker()
    settle(a)

    ids = replies_received()
    assert len(ids) == len(set(ids)) == replies
    with a.context():
        bodies = db.session.scalars(sa.select(Post.body).where(Post.author_id.is_(None))).all()
        assert sorted(bodies) == sorted(f"Antwort Nummer {number}" for number in range(replies))
