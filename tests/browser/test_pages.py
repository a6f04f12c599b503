"""Pages in states the end-to-end walk does not reach, checked with axe-core in Chromium."""

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.browser


def test_the_error_page_is_accessible(page):
    response = page.goto("/gibt-es-nicht")

    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Seite nicht gefunden")
    assert_accessible(page)


def test_a_failed_registration_is_accessible(page):
    page.goto("/registrieren")
    page.get_by_role("button", name="Konto anlegen").click()

    expect(page.get_by_role("alert")).to_contain_text("Bitte geben Sie Ihren Namen an.")
    assert_accessible(page)
