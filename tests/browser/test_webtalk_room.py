"""In Chromium with the official Socket.IO client: a moderator and two participants chat, ask
and upvote, run a poll and raise a hand; one participant's network is cut and restored and the
room catches up. The talk page and the room pass axe-core."""

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from stadtnetz.accounts.models import SiteRole
from stadtnetz.database import utcnow
from stadtnetz.extensions import db
from stadtnetz.forum.models import WorkingGroup
from stadtnetz.webtalks.models import Webtalk
from tests.browser.axe import assert_accessible
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def enter_room(new_context, email: str, talk: Webtalk) -> Page:
    """Log in in a fresh browser and open the talk's room."""
    page = new_context().new_page()
    page.goto("/anmelden")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.goto(talk.room_url)
    expect(page.locator("#room-status")).to_have_text("Verbunden.")
    return page


def chat(page: Page, text: str) -> None:
    page.get_by_label("Nachricht", exact=True).fill(text)
    page.get_by_label("Nachricht", exact=True).press("Enter")


def test_two_participants_and_a_moderator_use_the_room(new_context, make_user):
    moderator = make_user(name="Mona Moderation", site_role=SiteRole.MODERATOR)
    ada, ben = make_user(name="Ada"), make_user(name="Ben")
    now = utcnow()
    talk = Webtalk(group=WorkingGroup(name="AG Leerstand", slug="ag-leerstand"), title="Leerstand live",
                   starts_at=now - timedelta(minutes=5), ends_at=now + timedelta(hours=1))
    db.session.add(talk)
    db.session.commit()

    mod_page = enter_room(new_context, moderator.email, talk)
    mod_page.goto(talk.url)
    assert_accessible(mod_page)
    mod_page.goto(talk.room_url)
    expect(mod_page.locator("#room-status")).to_have_text("Verbunden.")
    ada_page, ben_page = enter_room(new_context, ada.email, talk), enter_room(new_context, ben.email, talk)
    expect(mod_page.locator("#presence")).to_contain_text("Ada")
    expect(mod_page.locator("#presence")).to_contain_text("Ben")

    chat(ada_page, "Hallo **alle**")
    for page in (mod_page, ben_page):
        expect(page.locator("#chat strong", has_text="alle")).to_be_visible()

    ben_page.get_by_label("Ihre Frage an die Referierenden").fill("Was hat das gekostet?")
    ben_page.get_by_role("button", name="Frage stellen").click()
    ada_page.locator("#questions").get_by_role("button", name="Unterstützen").click()
    expect(mod_page.locator("#questions")).to_contain_text("1 Stimmen")

    mod_page.get_by_label("Frage", exact=True).fill("Gibt es bei Ihnen ein Leerstandskataster?")
    mod_page.get_by_label("Antworten, eine pro Zeile (2 bis 10)").fill("Ja\nNein")
    mod_page.get_by_role("button", name="Umfrage starten").click()
    ada_page.get_by_label("Ja: 0").check()
    ada_page.get_by_role("button", name="Abstimmen").click()
    expect(mod_page.locator("#polls")).to_contain_text("Ja: 1")
    mod_page.get_by_role("button", name="Umfrage beenden").click()
    expect(ben_page.locator("#polls")).to_contain_text("Endergebnis")

    ben_page.get_by_role("button", name="Hand heben").click()
    expect(mod_page.locator("#hands")).to_contain_text("Ben")
    mod_page.locator("#hands").get_by_role("button", name="Drannehmen").click()
    expect(ben_page.get_by_role("button", name="Hand heben")).to_have_attribute("aria-pressed", "false")
    assert_accessible(mod_page)

    ben_page.context.set_offline(True)
    expect(ben_page.locator("#room-status")).to_have_text("Verbindung unterbrochen, neuer Versuch …",
                                                          timeout=30_000)
    chat(ada_page, "Während Ben weg war")
    ben_page.context.set_offline(False)
    expect(ben_page.locator("#room-status")).to_have_text("Verbunden.", timeout=30_000)
    expect(ben_page.locator("#chat li", has_text="Während Ben weg war")).to_have_count(1)
    expect(ben_page.locator("#chat li", has_text="Hallo")).to_have_count(1)
