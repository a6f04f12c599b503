"""End to end in Chromium: in a working group, Julia mentions Tobias (through the autocomplete);
Tobias, in his own browser, sees the unread count, opens the notification centre, follows the
link to the post, replies with a quote and links a practice to his thread; a group moderator
hides a post Julia flagged. Every
page on the way passes axe-core (WCAG 2.1 AA) and works at 320 px."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from stadtnetz.database import utcnow
from tests.browser.axe import assert_accessible
from tests.browser.test_join_organisation import heading, log_in

pytestmark = pytest.mark.browser

MENTION_LINE = "Julia Becker hat Sie in „Hitzeaktionsplan“ erwähnt"


@pytest.fixture
def people(make_user):
    """Julia and Tobias (members), Mara (the group's moderator), and an advertiser."""
    old = utcnow() - timedelta(days=30)  # past the brake on new accounts
    return {
        name.split()[0].lower(): make_user(name=name, created_at=old)
        for name in ("Julia Becker", "Tobias Schulte", "Mara Moser", "Klima Shop")
    }


@pytest.fixture
def thread(app, people, make_group, make_thread, make_post):
    """Tobias's thread in the public group Klimaanpassung, with an advertisement in it."""
    with app.test_request_context():  # posts are rendered with links, built from a request
        return _thread(people, make_group, make_thread, make_post)


def _thread(people, make_group, make_thread, make_post):
    group = make_group(
        name="Klimaanpassung",
        slug="klimaanpassung",
        members=[people["julia"], people["tobias"]],
        moderators=[people["mara"]],
    )
    started = make_thread(
        group=group,
        author=people["tobias"],
        title="Hitzeaktionsplan",
        body="Wer hat schon einen Hitzeaktionsplan beschlossen?",
    )
    make_post(started, people["klima"], "Jetzt Klimageräte zum Sonderpreis kaufen!")
    return started


def link_practice(page: Page, practice) -> None:
    """Tobias links a practice to his thread by its address; both pages then list the other."""
    page.get_by_role("link", name="Titel und verknüpfte Praxisbeispiele bearbeiten").click()
    expect(heading(page)).to_have_text("Thema bearbeiten")
    assert_accessible(page)
    page.get_by_label("Verknüpfte Praxisbeispiele (freiwillig)").fill(
        page.url.split("/forum/")[0] + practice.url
    )
    page.get_by_role("button", name="Thema speichern").click()
    expect(page.get_by_text("Das Thema ist gespeichert.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("region", name="Verknüpfte Praxisbeispiele").get_by_role(
        "link", name=practice.title
    ).click()
    expect(heading(page)).to_have_text(practice.title)
    expect(page.get_by_role("list", name=re.compile("Themen in den Arbeitsgruppen"))).to_contain_text(
        "Hitzeaktionsplan"
    )
    assert_accessible(page)


def post_item(page: Page, text: str):
    """The list item of the post that contains ``text``."""
    return page.locator("li.post", has_text=text)


def mention_tobias(page: Page) -> None:
    """Julia opens the thread from the group page and mentions Tobias through the autocomplete."""
    page.goto("/arbeitsgruppen/klimaanpassung")
    assert_accessible(page)
    page.get_by_role("link", name="Hitzeaktionsplan").click()
    expect(heading(page)).to_have_text("Hitzeaktionsplan")
    assert_accessible(page)
    editor = page.get_by_label("Beitrag", exact=True)
    editor.press_sequentially("Guten Tag @Tob")
    expect(page.get_by_role("option", name="Tobias Schulte")).to_be_visible()
    editor.press("Enter")
    editor.press_sequentially("wie viele Hitzetage hatten Sie?")
    expect(editor).to_have_value("Guten Tag @[Tobias Schulte] wie viele Hitzetage hatten Sie?")
    page.get_by_role("button", name="Antwort veröffentlichen").click()
    mention = post_item(page, "wie viele Hitzetage")
    expect(mention.get_by_role("link", name="@Tobias Schulte")).to_be_visible()
    assert_accessible(page)


def reply_with_quote(page: Page) -> None:
    """Tobias follows his notification to Julia's post and answers it, quoting her."""
    page.reload()
    account = page.get_by_role("navigation", name="Konto")
    notifications = account.get_by_role("link", name=re.compile("Benachrichtigungen"))
    # The mention, and the advertisement in the thread he watches since he started it.
    expect(notifications).to_have_text("Benachrichtigungen 2 ungelesen")
    notifications.click()
    expect(heading(page)).to_have_text("Benachrichtigungen")
    assert_accessible(page)
    page.get_by_role("link", name=MENTION_LINE).click()
    expect(page).to_have_url(re.compile(r"/forum/themen/\d+#beitrag-\d+$"))
    anchor = page.url.rsplit("#", 1)[1]
    expect(page.locator(f"#{anchor}")).to_contain_text("wie viele Hitzetage")
    expect(notifications).to_have_text("Benachrichtigungen 1 ungelesen")  # the mention is read
    assert_accessible(page)
    page.locator(f"#{anchor}").get_by_role("link", name="Zitieren").click()
    expect(heading(page)).to_have_text("Antworten auf „Hitzeaktionsplan“")
    assert_accessible(page)
    editor = page.get_by_label("Beitrag", exact=True)
    expect(editor).to_have_value(re.compile(r"^> \*\*Julia Becker schrieb\*\*"))
    editor.fill(editor.input_value() + "Im letzten Sommer waren es 14 Hitzetage.")
    page.get_by_role("button", name="Antwort veröffentlichen").click()
    answer = post_item(page, "14 Hitzetage")
    expect(answer.locator("blockquote")).to_contain_text("Julia Becker schrieb")
    expect(answer.locator("blockquote")).to_contain_text("wie viele Hitzetage hatten Sie?")
    assert_accessible(page)


def flag_advertisement(page: Page) -> None:
    """Julia reports the advertisement."""
    page.reload()
    post_item(page, "Sonderpreis").get_by_role("link", name="Melden").click()
    expect(heading(page)).to_have_text("Beitrag melden")
    assert_accessible(page)
    page.get_by_label("Warum melden Sie diesen Beitrag?").fill("Werbung für Klimageräte.")
    page.get_by_role("button", name="Meldung senden").click()
    expect(page.get_by_text("Danke. Die Moderation sieht sich den Beitrag an.")).to_be_visible()
    assert_accessible(page)


def hide_flagged_post(page: Page) -> None:
    """Mara finds the report in the moderation queue and hides the post."""
    page.goto("/forum/moderation")
    expect(heading(page)).to_have_text("Forum-Moderation")
    expect(page.get_by_text("Julia Becker: Werbung für Klimageräte.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Grund").fill("Werbung gehört nicht ins Forum.")
    page.get_by_role("button", name="Ausblenden").click()
    expect(page.get_by_text("Der Beitrag ist ausgeblendet.")).to_be_visible()
    expect(post_item(page, "Sonderpreis")).to_contain_text("nur die Moderation sieht diesen Text.")
    assert_accessible(page)


def test_mention_notification_quote_reply_and_moderation(new_context, thread, people, make_practice):
    julia, tobias, mara = (new_context().new_page() for _ in range(3))
    log_in(julia, people["julia"].email)
    log_in(tobias, people["tobias"].email)
    log_in(mara, people["mara"].email)

    mention_tobias(julia)
    reply_with_quote(tobias)
    link_practice(tobias, make_practice(title="Hitzeaktionsplan der Stadt Lüdenscheid"))

    julia.reload()  # Tobias's quote counts as a reply to Julia
    expect(julia.get_by_role("link", name=re.compile("Benachrichtigungen"))).to_contain_text("1 ungelesen")
    flag_advertisement(julia)
    hide_flagged_post(mara)

    julia.goto(f"/forum/themen/{thread.id}")
    expect(post_item(julia, "Dieser Beitrag wurde von der Moderation ausgeblendet.")).to_be_visible()
    expect(julia.get_by_text("Sonderpreis")).to_have_count(0)
    assert_accessible(julia)
