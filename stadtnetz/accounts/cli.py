"""``flask users …``: manage accounts from the command line, above all the first admin.

Errors are one German line on stderr and exit code 1, never a traceback.
"""

import click
from email_validator import EmailNotValidError, validate_email
from flask.cli import AppGroup

from ..cli import fail
from ..extensions import db
from .forms import PASSWORD_MAX, PASSWORD_MIN
from .memberships import appoint_admin
from .services import normalise_email, user_by_email

users_cli = AppGroup("users", help="Benutzerkonten verwalten.")


def _password_from_prompt() -> str:
    """Ask twice without echoing; the two entries must match."""
    password = click.prompt("Passwort", hide_input=True)
    if click.prompt("Passwort wiederholen", hide_input=True) != password:
        fail("Die beiden Passwörter stimmen nicht überein. Es wurde nichts geändert.")
    return password


@users_cli.command("create-admin")
@click.option("--email", required=True, help="E-Mail-Adresse, mit der sich die Person anmeldet.")
@click.option("--name", default="", help="Anzeigename (nur für ein neues Konto nötig).")
@click.option("--password", default=None, help="Passwort; ohne diese Option wird danach gefragt.")
def create_admin(email: str, name: str, password: str | None) -> None:
    """Create a confirmed admin account, or make an existing account an admin."""
    email = normalise_email(email)
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as error:
        fail(f"„{email}“ ist keine gültige E-Mail-Adresse: {error}")
    existing = user_by_email(email)
    if existing is None:
        if not name.strip():
            fail("Für ein neues Konto geben Sie bitte mit --name einen Namen an.")
        password = password if password is not None else _password_from_prompt()
        if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
            fail(f"Das Passwort muss mindestens {PASSWORD_MIN} und höchstens {PASSWORD_MAX} Zeichen lang "
                 "sein. Es wurde nichts angelegt.")
    user, created = appoint_admin(email, name, password if existing is None else None)
    db.session.commit()
    if created:
        click.echo(f"Administrator-Konto für {user.name} <{user.email}> angelegt; "
                   "die Adresse gilt als bestätigt.")
        return
    click.echo(f"{user.name} <{user.email}> ist jetzt Administrator/in.")
    if password is not None or name.strip():
        click.echo("Name und Passwort des bestehenden Kontos bleiben unverändert.")
