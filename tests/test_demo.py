"""``flask demo``: real municipalities, invented organisations and people; running it twice
creates nothing new, and ``--if-empty`` leaves a filled instance alone."""

import sqlalchemy as sa
from werkzeug.security import check_password_hash

from stadtnetz.accounts.models import Membership, MembershipStatus, Organisation, SiteRole, User
from stadtnetz.accounts.services import user_by_email
from stadtnetz.demo import DEMO_PASSWORD, ORGANISATIONS, USERS
from stadtnetz.directory.models import Municipality
from stadtnetz.practices.demo import PRACTICES
from stadtnetz.practices.importer import CORPUS_DIR
from stadtnetz.practices.models import Adoption, Practice, PracticeRevision
from stadtnetz.practices.topics import PracticeState


def counts(db) -> tuple[int, int, int, int]:
    return rows(db, Municipality, Organisation, User, Membership)


def rows(db, *models) -> tuple[int, ...]:
    return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(model)) for model in models)


def test_demo_fills_an_empty_instance_once(app, db):
    runner = app.test_cli_runner()

    first = runner.invoke(args=["demo", "--if-empty"])

    assert first.exit_code == 0, first.output
    assert "Lade Demo-Kommunen" in first.output and f"{len(ORGANISATIONS)} neu" in first.output
    assert f"Passwort „{DEMO_PASSWORD}“" in first.output and "julia.becker@luedenscheid.de" in first.output
    municipalities, organisations, users, memberships = counts(db)
    # With ../shared beside the checkout, the Datenprojekte corpus comes with its own organisation.
    assert municipalities >= 30 and organisations == len(ORGANISATIONS) + CORPUS_DIR.is_dir()
    assert users == len(USERS)

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


def test_demo_practices_cover_the_topics_once(app, db):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert f"Lege Demo-Praxisbeispiele an …\n  {len(PRACTICES)} neu" in first.output

    demo = db.session.scalars(sa.select(Practice).join(Organisation).where(
        Organisation.slug.in_(["stadt-luedenscheid", "stadt-arnsberg", "stadt-jena"]))).all()
    assert len(demo) == len(PRACTICES)
    published = [p for p in demo if p.state == PracticeState.PUBLISHED]
    assert len(published) == len(PRACTICES) - 1
    assert {t.slug for p in published for t in p.topics} >= {
        "leerstand", "kultur", "klimaanpassung", "wohnen", "digitalisierung", "handel", "beteiligung"}
    assert all(p.key_figures and "Demo-Praxisbeispiel" in p.situation_html for p in published)
    kataster = next(p for p in demo if p.title.startswith("Leerstandskataster"))
    assert kataster.organisation.name == "Stadt Lüdenscheid" and kataster.author.name == "Julia Becker"
    assert kataster.follow_ups and kataster.municipality.ags == "05962032"
    adoption = db.session.scalar(sa.select(Adoption))
    assert adoption.organisation.name == "Stadt Arnsberg"
    assert adoption.practice.title.startswith("Pop-up-Stores")
    if CORPUS_DIR.is_dir():
        assert "Korpus „Datenprojekte“: " in first.output and " 0 übersprungen" in first.output
        corpus = db.session.scalar(sa.select(sa.func.count()).select_from(Practice).join(Organisation).where(
            Organisation.name == "Datenprojekte-Korpus (CC BY 4.0)"))
        assert corpus >= 300
    totals = rows(db, Practice, PracticeRevision)

    again = runner.invoke(args=["demo"])

    assert f"Lege Demo-Praxisbeispiele an …\n  0 neu, {len(PRACTICES)} schon vorhanden" in again.output
    assert rows(db, Practice, PracticeRevision) == totals
    if CORPUS_DIR.is_dir():
        assert "0 neu, 0 aktualisiert" in again.output
