"""The wheel: it carries templates, migrations, static files and translations, and an installed copy
serves the German start page on a freshly migrated database, away from the checkout."""

import json
import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

CHECKOUT = Path(__file__).resolve().parent.parent
#: What setuptools reads to build the wheel.
SOURCES = ("pyproject.toml", "setup.py", "README.md", "stadtnetz", "templates", "migrations")

SMOKE_TEST = textwrap.dedent(
    """
    import json, sys
    import flask_migrate
    import stadtnetz

    app = stadtnetz.create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": sys.argv[1]})
    with app.app_context():
        flask_migrate.upgrade()
    client = app.test_client()
    print(json.dumps({
        "package": stadtnetz.__file__,
        "templates": app.template_folder,
        "start_page": client.get("/").get_data(as_text=True),
        "health": client.get("/healthz").get_json(),
    }))
    """
)


def run(*args: str | Path, **kw) -> subprocess.CompletedProcess:
    """Run a command; on failure show what it printed."""
    result = subprocess.run([str(arg) for arg in args], capture_output=True, text=True, **kw)
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """Build the wheel from a copy of the checkout (so no build/ or egg-info lands in it)."""
    root = tmp_path_factory.mktemp("packaging")
    source = root / "source"
    source.mkdir()
    for name in SOURCES:
        if (CHECKOUT / name).is_dir():
            shutil.copytree(CHECKOUT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(CHECKOUT / name, source)
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
        "-w", root / "dist", source)
    return next((root / "dist").glob("stadtnetz-*.whl"))


def checkout_files(folder: str, patterns: tuple[str, ...]) -> set[str]:
    """Paths (relative to the checkout's ``folder``) of the files matching ``patterns``."""
    base = CHECKOUT / folder
    return {
        path.relative_to(base).as_posix()
        for pattern in patterns
        for path in base.glob(pattern)
        if path.is_file() and "__pycache__" not in path.parts
    }


def test_the_wheel_ships_every_package_template_migration_and_static_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())

    expected = {
        *(f"stadtnetz/{path}" for path in checkout_files("stadtnetz", ("**/*.py", "static/**/*"))),
        *(f"stadtnetz/{path}" for path in checkout_files("stadtnetz", ("translations/*/LC_MESSAGES/*.mo",))),
        *(f"stadtnetz/_templates/{path}" for path in checkout_files("templates", ("**/*.html", "**/*.txt"))),
        *(f"stadtnetz/_migrations/{path}" for path in checkout_files(
            "migrations", ("alembic.ini", "script.py.mako", "env.py", "versions/*.py"))),
    }
    missing = sorted(expected - names)
    assert not missing, (
        "missing from the wheel (see [tool.setuptools.package-data] in pyproject.toml and setup.py):\n"
        + "\n".join(missing)
    )
    assert "stadtnetz/_templates/base.html" in names
    assert "stadtnetz/static/css/stadtnetz.css" in names
    assert not [name for name in names if name.endswith(".pyc") or name.startswith(("templates/", "tests/"))]


def test_the_installed_wheel_serves_the_start_page_on_a_migrated_database(wheel, tmp_path):
    site = tmp_path / "site"
    run(sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", site, wheel)
    env = {name: value for name, value in os.environ.items() if not name.startswith("STADTNETZ_")}
    env["PYTHONPATH"] = str(site)

    result = run(sys.executable, "-c", SMOKE_TEST, f"sqlite:///{tmp_path / 'installed.sqlite3'}",
                 cwd=tmp_path, env=env)
    served = json.loads(result.stdout.splitlines()[-1])

    assert Path(served["package"]).is_relative_to(site)
    assert Path(served["templates"]) == site / "stadtnetz" / "_templates"
    assert "Stadtnetz: Kommunen lernen voneinander" in served["start_page"]
    assert served["health"] == {"status": "ok", "database": "ok", "migrations": "current"}
