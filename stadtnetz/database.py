"""Database set-up shared by every module: UTC times, SQLite pragmas, the migration check."""

import enum
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask, current_app
from sqlalchemy.engine import Engine

from .extensions import db


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """A timezone-aware UTC datetime on every database.

    PostgreSQL keeps the zone (timestamptz); SQLite has none, so it stores naive UTC and the
    zone is restored on load. Naive datetimes are refused: they are a bug waiting to happen.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: store timezone-aware UTC times")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def text_enum(cls: type[enum.Enum]) -> sa.Enum:
    """An enum column storing the readable value, checked by the database, on every database
    alike (no native PostgreSQL type, so adding a member needs no type migration)."""
    return sa.Enum(cls, native_enum=False, length=40, values_callable=lambda e: [m.value for m in e])


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # Foreign keys are off by default in SQLite; WAL lets readers go on while one writer works.
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def init_app(app: Flask) -> None:
    """Attach the SQLite pragmas to every connection of this app's engine."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    with app.app_context():
        sa.event.listen(db.engine, "connect", _sqlite_pragmas)


def migration_heads() -> tuple[set[str], set[str]]:
    """Return (revisions the database is at, head revisions of the migration scripts)."""
    script = ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())
    engine: Engine = db.engine
    with engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    return current, set(script.get_heads())
