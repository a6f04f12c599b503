"""Migrations: an empty SQLite and an empty PostgreSQL database upgrade to head, agree with the
models, answer ``/healthz`` accordingly, and downgrade to base again."""

import os
import secrets

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from stadtnetz import create_app
from stadtnetz.extensions import db
from tests.conftest import config_for_tests
from tests.services import SERVICES


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_database(request, tmp_path):
    """The URL of a new, empty database of each kind; a PostgreSQL one is dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    server = sa.make_url(os.environ[SERVICES["postgres"][0]])
    name = f"stadtnetz_migr_{secrets.token_hex(4)}"
    maintenance = sa.create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with maintenance.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with maintenance.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        maintenance.dispose()


@pytest.fixture
def bare_app(empty_database, tmp_path):
    """An app on the empty database, inside its app context; no tables created."""
    app = create_app(
        config_for_tests(SQLALCHEMY_DATABASE_URI=empty_database, MAIL_DIR=str(tmp_path / "mail"))
    )
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def flask_db(app, *args: str) -> None:
    """Run ``flask db <args>`` and insist that it succeeded."""
    result = app.test_cli_runner().invoke(args=["db", *args])
    assert result.exit_code == 0, result.output + repr(result.exception)


def health(app) -> dict:
    """GET /healthz; the JSON answer with the status code under ``code``."""
    response = app.test_client().get("/healthz")
    return {"code": response.status_code, **response.get_json()}


def table_names() -> set[str]:
    """The tables that exist in the app's database right now."""
    return set(sa.inspect(db.engine).get_table_names())


def test_upgrade_reaches_head_and_healthz_turns_current(bare_app):
    assert health(bare_app)["code"] == 503
    assert health(bare_app)["migrations"] == "pending"

    flask_db(bare_app, "upgrade")

    assert health(bare_app) == {"code": 200, "status": "ok", "database": "ok", "migrations": "current"}
    assert {table.name for table in db.metadata.sorted_tables} <= table_names()


def test_models_and_migrations_agree(bare_app):
    flask_db(bare_app, "upgrade")

    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)

    assert differences == [], "models and migrations differ; add a migration:\n" + "\n".join(
        map(repr, differences)
    )


def test_downgrade_to_base_removes_every_table(bare_app):
    flask_db(bare_app, "upgrade")

    flask_db(bare_app, "downgrade", "base")

    assert table_names() <= {"alembic_version"}
    assert health(bare_app)["migrations"] == "pending"
