"""The federation admin page in Chromium: instances with their states, the queue and a failed
delivery pass axe-core (also at 320 px), and an admin allows an instance and retries a delivery."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from stadtnetz import outbox
from stadtnetz.accounts.models import SiteRole
from stadtnetz.database import utcnow
from stadtnetz.federation import delivery
from stadtnetz.federation.instances import InstanceState, instance_for, set_state
from tests.browser.axe import assert_accessible
from tests.browser.test_join_organisation import log_in

pytestmark = pytest.mark.browser
LONG_INBOX = "https://ein-sehr-langer-hostname-einer-kommune.stadtnetz.example.org/ap/organisations/jena/inbox"


@pytest.fixture
def federation(db, make_user):
    """An admin; an allowed, a blocked and an unavailable instance; one delivery given up."""
    make_user(email="admin@example.org", site_role=SiteRole.ADMIN)
    set_state("thueringen.example", InstanceState.ALLOWED)
    set_state("spam.example", InstanceState.BLOCKED)
    gone = instance_for("weg.example")
    gone.failures, gone.unavailable_since = 12, utcnow() - timedelta(days=1)
    job = outbox.enqueue(delivery.QUEUE, {"activity": "0" * 36, "inbox": LONG_INBOX})
    job.attempts, job.failed_at = 15, utcnow()
    job.last_error = "GiveUp: https://weg.example/inbox lehnte mit HTTP 410 ab (endgültig)"
    outbox.enqueue(delivery.QUEUE, {"activity": "1" * 36, "inbox": "https://thueringen.example/inbox"})
    db.session.commit()


def test_the_federation_admin_page_is_accessible_and_works(page, federation):
    log_in(page, "admin@example.org")
    page.goto("/admin/federation")
    expect(page.get_by_role("heading", level=1)).to_have_text("Föderation")
    instances = page.get_by_role("table", name="Bekannte Instanzen und ihr Zustand")
    expect(instances.get_by_role("row", name="weg.example")).to_contain_text("nicht erreichbar seit")
    expect(page.get_by_text("1 Zustellung in der Warteschlange.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Sperren", exact=True).click()  # no host given
    expect(page.get_by_text("Bitte geben Sie einen Hostnamen an")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Instanz (Hostname)").fill("sachsen.example")
    page.get_by_role("button", name="Erlauben", exact=True).click()
    expect(page.get_by_text("sachsen.example ist jetzt erlaubt.")).to_be_visible()
    expect(instances.get_by_role("row", name="sachsen.example")).to_contain_text("erlaubt")
    assert_accessible(page)

    retry = page.get_by_role("button", name=re.compile(r"^Erneut versuchen"))
    expect(retry).to_have_accessible_name(re.compile(re.escape(LONG_INBOX)))  # says which delivery
    retry.click()
    expect(page.get_by_text("Die Zustellung steht wieder in der Warteschlange.")).to_be_visible()
    expect(page.get_by_text("2 Zustellungen in der Warteschlange.")).to_be_visible()
    expect(page.get_by_text("Keine fehlgeschlagenen Zustellungen.")).to_be_visible()
    assert_accessible(page)
