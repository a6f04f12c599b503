"""Factories for the webtalk tests: working groups, talks, registrations, a room client."""

import itertools
from datetime import timedelta

import pytest
from flask_socketio.test_client import SocketIOTestClient

from stadtnetz.database import utcnow
from stadtnetz.extensions import db as _db
from stadtnetz.extensions import socketio
from stadtnetz.forum.models import GroupMembership, GroupRole, Visibility, WorkingGroup
from stadtnetz.webtalks.models import Access, Speaker, Webtalk
from tests.conftest import PASSWORD

_counter = itertools.count(1)


@pytest.fixture
def make_group(db):
    """A working group; ``moderators`` and ``members`` become its approved members."""

    def make(visibility=Visibility.PUBLIC, moderators=(), members=(), **kw) -> WorkingGroup:
        n = next(_counter)
        group = WorkingGroup(
            name=kw.pop("name", f"Arbeitsgruppe {n}"),
            slug=kw.pop("slug", f"ag-{n}"),
            visibility=visibility,
            **kw,
        )
        group.memberships = [GroupMembership(user=u, role=GroupRole.MODERATOR) for u in moderators] + [
            GroupMembership(user=u) for u in members
        ]
        db.session.add(group)
        db.session.commit()
        return group

    return make


@pytest.fixture
def make_talk(db, make_group):
    """A talk starting in ``starts_in`` (default: 10 minutes ago, so its room is open)."""

    def make(
        group=None, starts_in=timedelta(minutes=-10), duration=timedelta(hours=1), speakers=(), **kw
    ) -> Webtalk:
        starts_at = utcnow() + starts_in
        talk = Webtalk(
            group=group or make_group(),
            title=kw.pop("title", f"Webtalk {next(_counter)}"),
            starts_at=starts_at,
            ends_at=starts_at + duration,
            access=kw.pop("access", Access.PUBLIC),
            **kw,
        )
        talk.speakers = [
            Speaker(user=s) if not isinstance(s, str) else Speaker(guest_name=s) for s in speakers
        ]
        db.session.add(talk)
        db.session.commit()
        return talk

    return make


class RoomTestClient(SocketIOTestClient):
    """A Socket.IO test client whose every call runs in its own app context, as in production.

    Without it the handlers would share the test's app context: its ``g`` (Flask-Login's
    cached user) and its database session. As with ``RequestClient``, the test's session is
    committed before and after, so each side sees what the other stored.
    """

    def _isolated(self, method, *args, **kwargs):
        _db.session.commit()
        try:
            with self.app.app_context():
                return method(*args, **kwargs)
        finally:
            _db.session.commit()

    def connect(self, *args, **kwargs):
        return self._isolated(super().connect, *args, **kwargs)

    def emit(self, *args, **kwargs):
        return self._isolated(super().emit, *args, **kwargs)

    def disconnect(self, *args, **kwargs):
        return self._isolated(super().disconnect, *args, **kwargs)


@pytest.fixture
def room_client(app):
    """Connect a Socket.IO test client to ``talk``'s room with a logged-in Flask test client."""
    clients = []

    def connect(talk, user=None, last_id=0):
        web = app.test_client()
        if user is not None:
            web.post("/anmelden", data={"email": user.email, "password": PASSWORD})
        client = RoomTestClient(
            app,
            socketio,
            namespace="/webtalk",
            flask_test_client=web,
            auth={"talk": talk.id, "last_id": last_id},
        )
        clients.append(client)
        return client

    yield connect
    for client in clients:
        if client.is_connected("/webtalk"):
            client.disconnect(namespace="/webtalk")
