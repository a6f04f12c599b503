"""Fixtures for the whole suite: app, client, database, a real SMTP server and factories.

Tests run on SQLite by default; set ``STADTNETZ_TEST_DATABASE_URL`` to run the same suite on
PostgreSQL. Mail goes through a real SMTP server (aiosmtpd) on loopback.
"""

import itertools
import os
import re
import socket
import threading
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from flask.testing import FlaskClient

from stadtnetz import create_app, outbox
from stadtnetz.accounts.models import (
    Membership,
    MembershipRole,
    MembershipStatus,
    Organisation,
    OrganisationType,
    SiteRole,
    User,
)
from stadtnetz.config import TestConfig
from stadtnetz.database import utcnow
from stadtnetz.directory.models import Kreis, Municipality, fold
from stadtnetz.extensions import db as _db
from tests import services
from tests.services import pytest_runtest_setup, pytest_terminal_summary  # noqa: F401  (pytest hooks)

TEST_DATABASE_URL = os.environ.get("STADTNETZ_TEST_DATABASE_URL")
PASSWORD = "ein-sicheres-Passwort-42"


class RequestClient(FlaskClient):
    """A test client whose every request runs in its own app context, as in production.

    The ``app`` fixture keeps an app context open for the test's own database work; without
    this, requests would share its ``g`` (the logged-in user, the locale) and its session. The
    test's session is committed before each request, so the request sees what the test
    arranged, and after it, so the test then reads what the request stored.
    """

    def open(self, *args, **kwargs):
        _db.session.commit()
        try:
            with self.application.app_context():
                return super().open(*args, **kwargs)
        finally:
            _db.session.commit()


class MailSink:
    """Collects every message the SMTP server on loopback receives."""

    def __init__(self):
        self.messages: list[EmailMessage] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(message)
        return "250 OK"

    def clear(self):
        with self._lock:
            self.messages.clear()


def free_port() -> int:
    """A TCP port on loopback that is free right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def smtp_server():
    sink = MailSink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, sink
    controller.stop()


@pytest.fixture
def mailbox(smtp_server):
    """The SMTP sink; ``mailbox.deliver()`` runs the mail outbox and returns what arrived."""
    _controller, sink = smtp_server
    sink.clear()

    def deliver() -> list[EmailMessage]:
        outbox.run_pending("mail")
        return list(sink.messages)

    sink.deliver = deliver
    return sink


def config_for_tests(**overrides) -> dict:
    """TestConfig as a mapping, with ``overrides`` on top."""
    config = {key: value for key, value in vars(TestConfig).items() if key.isupper()}
    config.update(overrides)
    return config


@pytest.fixture(scope="session")
def postgres_schema():
    """On PostgreSQL, create the tables once per run; each test empties them (see ``app``)."""
    if TEST_DATABASE_URL:
        with create_app(config_for_tests(SQLALCHEMY_DATABASE_URI=TEST_DATABASE_URL)).app_context():
            _db.drop_all()
            _db.create_all()
            _db.engine.dispose()


@pytest.fixture
def app(tmp_path, smtp_server, postgres_schema):
    controller, _sink = smtp_server
    app = create_app(
        config_for_tests(
            SQLALCHEMY_DATABASE_URI=TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'test.sqlite3'}",
            MAIL_URL=f"smtp://127.0.0.1:{controller.port}",
            MAIL_DIR=str(tmp_path / "mail"),
            SEARCH_INDEX_DIR=str(tmp_path / "search-index"),
            ATTACHMENT_DIR=str(tmp_path / "attachments"),
        )
    )
    app.test_client_class = RequestClient
    with app.app_context():
        if not TEST_DATABASE_URL:
            _db.create_all()
        yield app
        _db.session.remove()
        if TEST_DATABASE_URL:
            services.empty_tables(_db)
        _db.engine.dispose()


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


_counter = itertools.count(1)


@pytest.fixture
def make_municipality(db):
    """Create a Gemeinde; defaults describe a Mittelstadt in Nordrhein-Westfalen."""

    def make(**kw) -> Municipality:
        n = next(_counter)
        kreis_key = kw.pop("kreis_key", "05962")
        if db.session.get(Kreis, kreis_key) is None:
            db.session.add(Kreis(key=kreis_key, name=kw.pop("kreis_name", "Märkischer Kreis")))
        name = kw.pop("name", f"Teststadt {n}")
        municipality = Municipality(
            ags=kw.pop("ags", f"{kreis_key}{n % 1000:03d}"),
            name=name,
            search_name=fold(name),
            land_key=kreis_key[:2],
            kreis_key=kreis_key,
            population=kw.pop("population", 50_000),
            population_source=kw.pop("population_source", "zensus2022"),
            postal_code=kw.pop("postal_code", f"{58000 + n:05d}"),
            **kw,
        )
        db.session.add(municipality)
        db.session.commit()
        return municipality

    return make


@pytest.fixture
def make_user(db):
    """Create a user with ``PASSWORD``; confirmed unless ``confirmed=False``."""

    def make(confirmed: bool = True, password: str = PASSWORD, **kw) -> User:
        from werkzeug.security import generate_password_hash

        n = next(_counter)
        user = User(
            email=kw.pop("email", f"person{n}@example.org"),
            name=kw.pop("name", f"Person {n}"),
            password_hash=generate_password_hash(password, method=TestConfig.PASSWORD_HASH_METHOD),
            email_confirmed_at=utcnow() if confirmed else None,
            site_role=kw.pop("site_role", SiteRole.MEMBER),
            **kw,
        )
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_organisation(db):
    def make(**kw) -> Organisation:
        n = next(_counter)
        name = kw.pop("name", f"Organisation {n}")
        organisation = Organisation(
            name=name,
            slug=kw.pop("slug", f"organisation-{n}"),
            type=kw.pop("type", OrganisationType.KOMMUNE),
            **kw,
        )
        db.session.add(organisation)
        db.session.commit()
        return organisation

    return make


@pytest.fixture
def make_membership(db):
    """Make ``user`` a member of ``organisation`` (approved unless a status is given)."""

    def make(user, organisation, role=MembershipRole.MEMBER, status=MembershipStatus.APPROVED):
        membership = Membership(user=user, organisation=organisation, role=role, status=status)
        db.session.add(membership)
        db.session.commit()
        return membership

    return make


@pytest.fixture
def login(client):
    """Log ``user`` in through the real login form."""

    def do_login(user, password: str = PASSWORD):
        response = client.post(
            "/anmelden", data={"email": user.email, "password": password}, follow_redirects=True
        )
        assert response.status_code == 200
        return response

    return do_login


def links_in(message: EmailMessage) -> list[str]:
    """Every http(s) link in a mail's text body."""
    return re.findall(r"https?://\S+", message.get_content())


@pytest.fixture
def make_practice(db, make_organisation, make_municipality):
    """Create a practice through the services: published (default), ``state="draft"`` or
    ``"archived"``; by default of a new Kommune with its own municipality."""
    from stadtnetz.practices import services

    def make(organisation=None, author=None, state: str = "published", **kw):
        if organisation is None:
            organisation = make_organisation(municipality=make_municipality())
        n = next(_counter)
        data = {
            "title": f"Praxisbeispiel {n}",
            "teaser": "Wie eine Innenstadt ihre leeren Ladenlokale wieder füllt.",
            "situation": "Viele Ladenlokale in der Fußgängerzone standen leer.",
            "implementation": "Die Stadt mietete Flächen an und vergab sie als Pop-up-Stores.",
            "topics": ["leerstand"],
            **kw,
        }
        practice = services.create_practice(None, organisation, data)
        practice.author = author
        if state in ("published", "archived"):
            services.publish_practice(None, practice)
            practice.revisions[0].author = author
        if state == "archived":
            services.archive_practice(None, practice)
        db.session.commit()
        return practice

    return make


@pytest.fixture
def make_group(db):
    """Create a working group (public unless ``visibility="members"``) with the given members
    and moderators (approved)."""
    from stadtnetz.forum.models import GroupMembership, GroupRole, Visibility, WorkingGroup

    def make(members=(), moderators=(), **kw) -> WorkingGroup:
        n = next(_counter)
        group = WorkingGroup(name=kw.pop("name", f"Arbeitsgruppe {n}"),
                             slug=kw.pop("slug", f"arbeitsgruppe-{n}"),
                             visibility=Visibility(kw.pop("visibility", "public")), **kw)
        group.memberships = [GroupMembership(user=u, role=GroupRole.MODERATOR) for u in moderators] + [
            GroupMembership(user=u) for u in members]
        db.session.add(group)
        db.session.commit()
        return group

    return make


@pytest.fixture
def make_post(db):
    """Add a post to ``thread`` through the posting service (rendered, counted, notifying)."""
    from stadtnetz.forum.posting import reply

    def make(thread, author, body: str = "Ein Beitrag mit **Markdown**.", reply_to=None):
        post = reply(author, thread, body, reply_to)
        db.session.commit()
        return post

    return make


@pytest.fixture
def make_thread(db, make_user, make_group):
    """Start a thread through the posting service; a group and an author are made if not given."""
    from stadtnetz.forum.posting import start_thread

    def make(group=None, author=None, title: str = "Erfahrungen mit Pop-up-Stores",
             body: str = "Wer hat Erfahrung mit Zwischennutzung?"):
        author = author or make_user(created_at=utcnow() - timedelta(days=30))
        group = group or make_group(members=[author])
        thread = start_thread(author, group, title, body)
        db.session.commit()
        return thread

    return make


@pytest.fixture
def make_offer(db, make_organisation):
    """Publish an offer through the service (system actor); by default of a new Lösungsanbieter."""
    from stadtnetz.offers import services

    def make(organisation=None, author=None, **kw):
        organisation = organisation or make_organisation(type=OrganisationType.ANBIETER)
        n = next(_counter)
        data = {
            "title": f"Angebot {n}",
            "teaser": "Eine Plattform für das Leerstandsmanagement in Innenstädten.",
            "description": "Erfasst leere Ladenlokale und vermittelt Zwischennutzungen.",
            "topics": ["leerstand"],
            "price_model": "lizenz",
            **kw,
        }
        offer = services.create_offer(author, organisation, data)
        db.session.commit()
        return offer

    return make


@pytest.fixture
def make_challenge(db, make_organisation, make_municipality):
    """Post a challenge through the service (system actor); by default of a new Kommune."""
    from stadtnetz.offers import challenges

    def make(organisation=None, author=None, **kw):
        organisation = organisation or make_organisation(municipality=make_municipality())
        data = {
            "title": "Wir suchen eine Lösung für leere Ladenlokale",
            "description": "In unserer Fußgängerzone stehen viele Ladenlokale leer.",
            "topics": ["leerstand"],
            "deadline": utcnow().date() + timedelta(days=30),
            **kw,
        }
        challenge = challenges.create_challenge(author, organisation, data)
        db.session.commit()
        return challenge

    return make
