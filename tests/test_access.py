"""Every route of the app is classified here; a new route without an entry fails this test.

Anonymous visitors get public pages, are sent to the login page from private ones, and never
see a private page's content. Role-by-role matrices live beside each module's tests
(e.g. ``tests/accounts/test_organisations_access.py``).
"""

import pytest

from stadtnetz import create_app
from tests.conftest import config_for_tests

PUBLIC = {
    "home.index", "home.healthz", "home.set_language", "static",
    "directory.search", "directory.municipality",
    "accounts.login", "accounts.register", "accounts.confirm_email", "accounts.resend_confirmation",
    "accounts.forgot_password", "accounts.reset_password",
    "accounts.organisations", "accounts.organisation", "accounts.profile",
    # The signed link itself authorises the change, so it works in any browser.
    "accounts.confirm_new_email",
    # Logging out without a session does no harm and just leads home.
    "accounts.logout",
}
LOGIN_REQUIRED = {
    "accounts.settings", "accounts.export_data", "accounts.change_email",
    "accounts.delete_account", "accounts.change_password",
    "accounts.moderation", "accounts.set_site_role", "accounts.edit_organisation",
    "accounts.request_membership", "accounts.organisation_domains",
    "accounts.remove_organisation_domain", "accounts.organisation_members",
    "accounts.decide_membership", "accounts.leave_organisation", "accounts.create_organisation",
}


def _rules():
    app = create_app(config_for_tests(SQLALCHEMY_DATABASE_URI="sqlite://"))
    return sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule)


def test_every_route_is_classified():
    endpoints = {rule.endpoint for rule in _rules()}
    assert endpoints - PUBLIC - LOGIN_REQUIRED == set(), "classify the new route(s) in this file"
    assert (PUBLIC | LOGIN_REQUIRED) - endpoints == set(), "remove routes that no longer exist"


PRIVATE_REQUESTS = [
    (method, rule)
    for rule in _rules()
    if rule.endpoint in LOGIN_REQUIRED
    for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
]


@pytest.mark.parametrize(("method", "rule"), PRIVATE_REQUESTS, ids=lambda v: str(v))
def test_anonymous_visitors_are_sent_to_the_login_page(client, make_organisation, method, rule):
    organisation = make_organisation(slug="stadt-beispiel")
    url = rule.rule
    for name, value in {"slug": organisation.slug, "token": "x", "user_id": "1",
                        "membership_id": "1", "domain_id": "1"}.items():
        url = url.replace(f"<{name}>", value).replace(f"<int:{name}>", value)
    response = client.open(url, method=method)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/anmelden?next=")
