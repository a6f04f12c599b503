"""Forum test fixtures: users past the brake on new accounts, switching between users in one
client, counting SQL queries."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from stadtnetz.database import utcnow
from stadtnetz.extensions import db as _db
from tests.conftest import PASSWORD


@pytest.fixture
def veteran(make_user):
    """A factory for users whose accounts are old enough to post freely."""
    return lambda **kw: make_user(created_at=utcnow() - timedelta(days=30), **kw)


@pytest.fixture
def login(client):
    """Log ``user`` in through the real login form, logging out whoever was logged in."""

    def do_login(user, password: str = PASSWORD):
        client.post("/abmelden")
        response = client.post(
            "/anmelden", data={"email": user.email, "password": password}, follow_redirects=True
        )
        assert "Sie sind angemeldet." in response.text
        return response

    return do_login


@pytest.fixture
def count_queries(app):
    """``with count_queries() as counted:`` … ``len(counted)`` is the number of SQL statements."""
    from contextlib import contextmanager

    @contextmanager
    def counting():
        statements: list[str] = []

        def record(_conn, _cursor, statement, *_args):
            statements.append(statement)

        sa.event.listen(_db.engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            sa.event.remove(_db.engine, "before_cursor_execute", record)

    return counting
