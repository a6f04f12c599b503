"""End to end in Chromium: a municipal employee finds their municipality, registers, confirms the
address, logs in, asks to join the municipality's organisation and is verified once its admin
approves. Every page on the way passes axe-core (WCAG 2.1 AA) and works at 320 px."""

import re

import pytest
from playwright.sync_api import Page, expect

from stadtnetz.accounts.models import MembershipRole, OrganisationType
from tests.browser.axe import assert_accessible
from tests.conftest import PASSWORD, links_in

pytestmark = pytest.mark.browser

NEWCOMER = {"name": "Erika Mustermann", "email": "erika.mustermann@example.org"}


@pytest.fixture
def luedenscheid(make_municipality, make_organisation, make_user, make_membership):
    """Lüdenscheid, its Kommune organisation (no e-mail domain) and the organisation's admin."""
    town = make_municipality(name="Lüdenscheid", ags="05962032", population=70_000, postal_code="58507")
    organisation = make_organisation(
        name="Stadt Lüdenscheid", slug="stadt-luedenscheid", type=OrganisationType.KOMMUNE, municipality=town
    )
    admin = make_user(name="Anna Admin", email="anna.admin@example.org")
    make_membership(admin, organisation, role=MembershipRole.ADMIN)
    return admin


def heading(page: Page):
    """The page's one <h1>."""
    return page.get_by_role("heading", level=1)


def log_in(page: Page, email: str) -> None:
    """Log in through the login page (checked for accessibility)."""
    page.goto("/anmelden")
    assert_accessible(page)
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_text("Sie sind angemeldet.")).to_be_visible()


def find_municipality(page: Page) -> None:
    """From the start page through the directory search to Lüdenscheid's page."""
    page.goto("/")
    expect(heading(page)).to_have_text("Stadtnetz: Kommunen lernen voneinander")
    assert_accessible(page)
    page.get_by_label("Name, Postleitzahl oder Gemeindeschlüssel").fill("Luedenscheid")
    page.get_by_role("button", name="Suchen").click()
    expect(heading(page)).to_have_text("Kommunen finden")
    assert_accessible(page)
    page.get_by_role("link", name="Lüdenscheid", exact=True).click()
    expect(heading(page)).to_have_text("Lüdenscheid")
    expect(page.get_by_role("link", name="Stadt Lüdenscheid")).to_be_visible()
    assert_accessible(page)


def register(page: Page, mailbox) -> str:
    """Register; return the confirmation link that arrived by mail."""
    page.get_by_role("navigation", name="Konto").get_by_role("link", name="Registrieren").click()
    expect(heading(page)).to_have_text("Registrieren")
    assert_accessible(page)
    page.get_by_label("Name", exact=True).fill(NEWCOMER["name"])
    page.get_by_label("E-Mail-Adresse").fill(NEWCOMER["email"])
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_label("Passwort wiederholen").fill(PASSWORD)
    page.get_by_label("Ich habe die Datenschutzhinweise gelesen").check()
    page.get_by_role("button", name="Konto anlegen").click()
    expect(heading(page)).to_have_text("Bitte prüfen Sie Ihr Postfach")
    assert_accessible(page)
    [mail] = [message for message in mailbox.deliver() if message["To"] == NEWCOMER["email"]]
    return next(link for link in links_in(mail) if "/registrieren/bestaetigen/" in link)


def ask_to_join(page: Page) -> None:
    """From the account page to the organisation, and ask to join it."""
    page.get_by_role("navigation", name="Konto").get_by_role("link", name=NEWCOMER["name"]).click()
    expect(heading(page)).to_have_text("Ihr Konto")
    assert_accessible(page)
    page.get_by_role("link", name="Organisationen ansehen und beitreten").click()
    expect(heading(page)).to_have_text("Organisationen")
    assert_accessible(page)
    page.get_by_role("link", name="Stadt Lüdenscheid").click()
    expect(heading(page)).to_have_text("Stadt Lüdenscheid")
    assert_accessible(page)
    page.get_by_label("Nachricht an die Organisation").fill("Ich arbeite im Stadtmarketing.")
    page.get_by_role("button", name="Beitreten").click()
    expect(page.get_by_text("wartet auf Bestätigung")).to_be_visible()
    assert_accessible(page)


def approve(page: Page, admin) -> None:
    """The organisation's admin approves the request on the members page."""
    log_in(page, admin.email)
    page.goto("/organisationen/stadt-luedenscheid")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Mitglieder verwalten")).click()
    expect(heading(page)).to_have_text("Mitglieder von Stadt Lüdenscheid")
    expect(page.get_by_text("Ich arbeite im Stadtmarketing.")).to_be_visible()
    assert_accessible(page)
    approve_button = page.get_by_role("button", name=re.compile(f"^Annehmen .* {NEWCOMER['name']}$"))
    approve_button.click()
    expect(approve_button).to_have_count(0)
    assert_accessible(page)


def test_a_newcomer_registers_joins_their_municipality_and_is_verified(new_context, mailbox, luedenscheid):
    newcomer = new_context().new_page()
    find_municipality(newcomer)
    confirm_link = register(newcomer, mailbox)

    newcomer.goto(confirm_link)
    expect(newcomer.get_by_text("Ihre E-Mail-Adresse ist bestätigt")).to_be_visible()
    assert_accessible(newcomer)
    log_in(newcomer, NEWCOMER["email"])
    ask_to_join(newcomer)

    approve(new_context().new_page(), luedenscheid)

    newcomer.reload()
    expect(newcomer.get_by_text("Sie sind verifiziertes Mitglied dieser Organisation.")).to_be_visible()
    assert_accessible(newcomer)
    newcomer.get_by_role("main").get_by_role("link", name=NEWCOMER["name"]).click()
    expect(heading(newcomer)).to_contain_text(NEWCOMER["name"])
    expect(heading(newcomer).get_by_text("verifiziert")).to_be_visible()
    assert_accessible(newcomer)
    subjects = [mail["Subject"] for mail in mailbox.deliver() if mail["To"] == NEWCOMER["email"]]
    assert "Sie sind jetzt Mitglied von Stadt Lüdenscheid" in subjects

