"""``flask demo``: real municipalities, invented organisations and people; running it twice
creates nothing new, and ``--if-empty`` leaves a filled instance alone."""

import sqlalchemy as sa
from werkzeug.security import check_password_hash

from stadtnetz.accounts.models import Membership, MembershipStatus, Organisation, SiteRole, User
from stadtnetz.accounts.services import user_by_email
from stadtnetz.demo import DEMO_PASSWORD, ORGANISATIONS, USERS
from stadtnetz.directory.models import Municipality


def counts(db) -> tuple[int, int, int, int]:
    return tuple(
        db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (Municipality, Organisation, User, Membership)
    )


def test_demo_fills_an_empty_instance_once(app, db):
    runner = app.test_cli_runner()

    first = runner.invoke(args=["demo", "--if-empty"])

    assert first.exit_code == 0, first.output
    assert "Lade Demo-Kommunen" in first.output and f"{len(ORGANISATIONS)} neu" in first.output
    assert f"Passwort „{DEMO_PASSWORD}“" in first.output and "julia.becker@luedenscheid.de" in first.output
    municipalities, organisations, users, memberships = counts(db)
    assert municipalities >= 30 and organisations == len(ORGANISATIONS) and users == len(USERS)

    luedenscheid = db.session.scalar(sa.select(Organisation).where(Organisation.slug == "stadt-luedenscheid"))
    assert luedenscheid.municipality.ags == "05962032"
    assert [d.domain for d in luedenscheid.domains] == ["luedenscheid.de"]
    goerlitz = db.session.scalar(sa.select(Organisation).where(Organisation.name == "Landkreis Görlitz"))
    assert goerlitz.kreis_key == "14626"
    admin, julia = user_by_email("admin@example.org"), user_by_email("julia.becker@luedenscheid.de")
    assert admin.site_role == SiteRole.ADMIN and check_password_hash(admin.password_hash, DEMO_PASSWORD)
    assert julia.memberships[0].is_admin and julia.is_verified
    assert user_by_email("markus.neumann@example.org").memberships[0].status == MembershipStatus.PENDING

    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0, again.output
    assert "0 neu" in again.output
    assert counts(db) == (municipalities, organisations, users, memberships)

    skipped = runner.invoke(args=["demo", "--if-empty"])
    assert skipped.exit_code == 0
    assert "Es gibt schon Kommunen in der Datenbank" in skipped.output
    assert "Lade Demo-Kommunen" not in skipped.output


def test_demo_pages_render(app, client, login, db):
    """The demo data makes the organisation pages show real content."""
    app.test_cli_runner().invoke(args=["demo"])
    listing = client.get("/organisationen").get_data(as_text=True)
    assert "Stadt Lüdenscheid" in listing and "Hochschule für Stadtentwicklung (Demo)" in listing
    profile = client.get("/organisationen/stadt-luedenscheid").get_data(as_text=True)
    assert "Julia Becker" in profile and "Citymanagerin" in profile and "Lüdenscheid" in profile
