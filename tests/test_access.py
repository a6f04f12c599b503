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
    # Practices: drafts answer 404 to everyone but their writers (tests/practices/test_access.py).
    "practices.browse", "practices.show", "practices.history", "practices.revision",
    "practices.download_attachment",
    # Feeds and open data hold published practices only (tests/practices/test_feeds.py, test_opendata.py).
    "practices.feed", "practices.topic_feed", "practices.municipality_feed",
    "practices.opendata", "practices.opendata_json", "practices.opendata_csv",
    # Forum pages check visibility themselves: members-only content answers 404 to outsiders.
    "forum.groups_list", "forum.group", "forum.thread", "forum.first_unread", "forum.post",
    "forum.post_history",
    # Webtalks: members-only talks answer 404 to outsiders (tests/webtalks/test_talks.py); the
    # calendar feeds are authorised by the secret token in their URL (test_calendar.py).
    "webtalks.index", "webtalks.past", "webtalks.group_talks", "webtalks.show", "webtalks.talk_ics",
    "webtalks.archive_page", "webtalks.my_feed", "webtalks.group_feed",
    # JSON API: published practices and search results as the session's user may see them
    # (tests/api/test_practices.py, test_search.py).
    "api.practices", "api.practice", "api.search_all", "api.openapi_document",
    # Forum API: members-only groups answer 404 to outsiders (tests/forum/test_api.py).
    "api.groups", "api.group_threads", "api.thread",
    # Search shows only what the visitor's audiences may see (tests/search/test_visibility.py).
    "search.index", "search.suggestions",
    # Offers and challenges are public; forms show only to those the policy allows
    # (tests/offers/test_pages.py). The API lists them as on the pages (tests/offers/test_api.py).
    "offers.index", "offers.show", "offers.challenge_list", "offers.challenge",
    "api.offers", "api.challenges",
    # Content from other instances: public copies of public content; deleted ones answer 404
    # (tests/federation/test_remote_content.py). Our users' replies as ActivityPub Notes.
    "federation.remote_practice", "federation.remote_webtalk", "federation.remote_thread",
    "federation.reply_document",
    # ActivityPub protocol: discovery, actors and their collections, public objects (drafts and
    # members-only answer 404); the inboxes take signed requests only (tests/federation/).
    "federation.webfinger", "federation.host_meta", "federation.nodeinfo_links", "federation.nodeinfo",
    "federation.actor", "federation.actor_outbox", "federation.actor_followers",
    "federation.practice", "federation.thread", "federation.post", "federation.webtalk",
    "federation.activity", "federation.inbox",
}
LOGIN_REQUIRED = {
    "practices.like_us", "practices.create", "practices.edit", "practices.publish", "practices.archive",
    "practices.add_follow_up", "practices.adopt", "practices.withdraw_adoption",
    "practices.upload_attachment", "practices.delete_attachment",
    "accounts.settings", "accounts.export_data", "accounts.change_email",
    "accounts.delete_account", "accounts.change_password",
    "accounts.moderation", "accounts.set_site_role", "accounts.edit_organisation",
    "accounts.request_membership", "accounts.organisation_domains",
    "accounts.remove_organisation_domain", "accounts.organisation_members",
    "accounts.decide_membership", "accounts.leave_organisation", "accounts.create_organisation",
    "forum.create_group", "forum.join_group", "forum.leave_group", "forum.watch_group",
    "forum.group_members", "forum.member_action", "forum.invite_member", "forum.answer_invitation",
    "forum.new_thread", "forum.reply", "forum.watch_thread",
    "forum.edit_post", "forum.edit_thread", "forum.flag_post", "forum.moderate_post", "forum.moderate_thread",
    "forum.move_thread", "forum.moderation_queue", "forum.audit_log", "forum.notifications_page",
    "forum.open_notification", "forum.mark_notifications_read", "forum.notification_settings",
    "forum.mention_suggestions", "forum.discuss_practice",
    "webtalks.create", "webtalks.edit", "webtalks.cancel", "webtalks.register", "webtalks.unregister",
    "webtalks.feeds_page", "webtalks.room_page", "webtalks.questions_to_forum",
    "search.synonyms", "search.delete_synonyms",
    "offers.create", "offers.edit", "offers.withdraw", "offers.edit_challenge", "offers.add_reference",
    "offers.confirm_reference", "offers.decline_reference",
    "offers.recommend", "offers.create_challenge", "offers.answer", "offers.mark_answer", "offers.close",
    "offers.watch",
    "federation.feed", "federation.follow", "federation.unfollow", "federation.like_practice",
    # Admins only (tests/federation/test_admin.py).
    "federation_admin.overview", "federation_admin.change_instance", "federation_admin.retry",
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
                        "membership_id": "1", "domain_id": "1",
                        "practice_id": "1", "adoption_id": "1", "attachment_id": "1", "number": "1",
                        "thread_id": "1", "post_id": "1", "notification_id": "1", "action": "lock",
                        "talk_id": "1", "group_id": "1", "offer_id": "1", "reference_id": "1",
                        "challenge_id": "1", "answer_id": "1", "following_id": "1",
                        "job_id": "1"}.items():
        url = url.replace(f"<{name}>", value).replace(f"<int:{name}>", value)
    response = client.open(url, method=method)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/anmelden?next=")
