"""The real services some tests need: PostgreSQL, Redis and Chromium, each switched on by a variable.

A test marked ``postgres``, ``redis`` or ``browser`` skips, naming the ``STADTNETZ_TEST_*``
variable to set, when its service is not configured. With ``STADTNETZ_REQUIRE_SERVICES=1``
(``.ci/run`` sets it) such a skip is a failure instead, so CI cannot pass by skipping. At the end
of a run pytest prints how many tests of each service actually ran. ``tests/conftest.py`` imports
the hooks from here.
"""

import os

import pytest

#: marker → (variable, example value)
SERVICES = {
    "postgres": ("STADTNETZ_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
    "redis": ("STADTNETZ_TEST_REDIS_URL", "redis://127.0.0.1:6379/0"),
    "browser": ("STADTNETZ_TEST_CHROMIUM", "/usr/bin/chromium"),
}
REQUIRE_VARIABLE = "STADTNETZ_REQUIRE_SERVICES"


def services_required() -> bool:
    """True where a missing service must fail the run (CI)."""
    return os.environ.get(REQUIRE_VARIABLE) == "1"


def unavailable(reason: str) -> None:
    """Skip the current test for ``reason``, or fail it where services are required."""
    if services_required():
        pytest.fail(f"{reason} ({REQUIRE_VARIABLE}=1 forbids skipping)", pytrace=False)
    pytest.skip(reason)


def service_setting(marker: str) -> str:
    """The value of the variable that configures ``marker``'s service; skip when it is unset."""
    variable, example = SERVICES[marker]
    value = os.environ.get(variable, "")
    if not value:
        unavailable(f"needs {marker}: set {variable} (e.g. {variable}={example})")
    return value


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip (or fail) tests whose service marker names an unconfigured service."""
    for marker in SERVICES:
        if item.get_closest_marker(marker):
            service_setting(marker)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """Print how many tests of each service ran and passed, and which database the suite used."""
    passed = [report for report in terminalreporter.stats.get("passed", []) if report.when == "call"]
    counts = " ".join(
        f"{marker}={sum(marker in report.keywords for report in passed)}" for marker in SERVICES
    )
    database = "postgresql" if os.environ.get(SERVICES["postgres"][0]) else "sqlite"
    terminalreporter.write_line(
        f"service tests passed: {counts}; whole suite on {database}: {len(passed)} passed"
    )


def empty_tables(db) -> None:
    """Delete every row and restart the id sequences (PostgreSQL), so the next test starts as on a
    fresh database. For a test's handful of rows this is far quicker than TRUNCATE."""
    deletes = [f'DELETE FROM "{table.name}"' for table in reversed(db.metadata.sorted_tables)]
    restart = "SELECT setval(oid, 1, false) FROM pg_class WHERE relkind = 'S' AND pg_table_is_visible(oid)"
    with db.engine.begin() as connection:
        connection.exec_driver_sql("; ".join([*deletes, restart]))
