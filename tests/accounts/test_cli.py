"""``flask users create-admin``: create the first admin or promote an account, with clear errors."""

import pytest
import sqlalchemy as sa
from werkzeug.security import check_password_hash

from stadtnetz.accounts.models import SiteRole, User

GOOD_PASSWORD = "ein-langes-Admin-Passwort"
NEW_ADMIN = ("--email", "ada@example.org", "--name", "Ada Admin")


@pytest.fixture
def run(app):
    """Run ``flask users create-admin`` with ``args`` (and ``input`` for the prompts)."""
    runner = app.test_cli_runner()

    def invoke(*args, input=None):
        return runner.invoke(args=["users", "create-admin", *args], input=input)

    return invoke


def stored(db, email: str) -> User | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(User).where(User.email == email))


def test_creates_a_confirmed_admin(run, db):
    result = run("--email", " Ada@Example.org ", "--name", "Ada Admin", "--password", GOOD_PASSWORD)

    assert result.exit_code == 0, result.output
    assert "Administrator-Konto für Ada Admin <ada@example.org> angelegt" in result.output
    user = stored(db, "ada@example.org")
    assert user.site_role == SiteRole.ADMIN and user.email_confirmed and user.name == "Ada Admin"
    assert check_password_hash(user.password_hash, GOOD_PASSWORD)


def test_asks_for_the_password_twice_without_echo(run, db):
    result = run(*NEW_ADMIN, input=f"{GOOD_PASSWORD}\n{GOOD_PASSWORD}\n")

    assert result.exit_code == 0, result.output
    assert "Passwort:" in result.output and "Passwort wiederholen:" in result.output
    assert GOOD_PASSWORD not in result.output
    assert check_password_hash(stored(db, "ada@example.org").password_hash, GOOD_PASSWORD)


def test_mismatched_passwords_create_nothing(run, db):
    result = run(*NEW_ADMIN, input=f"{GOOD_PASSWORD}\nanderes-Passwort\n")

    assert result.exit_code == 1
    assert "Die beiden Passwörter stimmen nicht überein." in result.output
    assert "Traceback" not in result.output
    assert stored(db, "ada@example.org") is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([*NEW_ADMIN, "--password", "kurz"], "mindestens 10"),
        (["--email", "keine-adresse", "--name", "Ada", "--password", GOOD_PASSWORD], "keine gültige E-Mail"),
        (["--email", "ada@example.org", "--password", GOOD_PASSWORD], "mit --name einen Namen an"),
    ],
)
def test_bad_input_is_a_message_and_exit_code_1(run, db, args, message):
    result = run(*args)
    assert result.exit_code == 1
    assert message in result.output and "Fehler:" in result.output
    assert "Traceback" not in result.output
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_promotes_an_existing_account(run, db, make_user):
    user = make_user(name="Karl Kommune", email="karl@example.org", confirmed=False)
    old_hash = user.password_hash

    result = run("--email", "KARL@example.org", "--password", GOOD_PASSWORD)

    assert result.exit_code == 0, result.output
    assert "Karl Kommune <karl@example.org> ist jetzt Administrator/in." in result.output
    assert "bleiben unverändert" in result.output
    promoted = stored(db, "karl@example.org")
    assert promoted.site_role == SiteRole.ADMIN and promoted.email_confirmed
    assert promoted.password_hash == old_hash
