"""The network pages in Chromium: follow form, feed, remote practice, webtalk and thread pass
axe-core; the reply form works with the keyboard-visible labels."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from stadtnetz.database import utcnow
from stadtnetz.federation.follows import Following, FollowState
from stadtnetz.federation.remote_actors import store_actor_document
from stadtnetz.federation.remote_content import RemotePractice, RemoteThread, RemoteWebtalk
from tests.browser.axe import assert_accessible
from tests.browser.test_join_organisation import log_in
from tests.federation.test_processing import ORG, actor_document

pytestmark = pytest.mark.browser
HOST = "thueringen.example"


@pytest.fixture
def network(db, make_user):
    """A user following a remote municipality, which published a practice, scheduled a webtalk
    and opened a thread."""
    user = make_user(email="berta@example.org")
    store_actor_document(ORG, actor_document(ORG))
    db.session.add(Following(user=user, actor_uri=ORG, follow_id="http://localhost/ap/activities/1",
                             state=FollowState.ACCEPTED))
    practice = RemotePractice(uri=f"https://{HOST}/ap/practices/1", url=f"https://{HOST}/praxisbeispiele/1",
                              host=HOST, actor_uri=ORG, title="Leerstandslotsen in Jena",
                              teaser="Lotsen vermitteln leere Läden.", topics=["leerstand"],
                              sections={"situation": "<p>Viele leere Läden.</p>"}, tags=["Pop-up"],
                              status="umsetzung",
                              facts={"total_cost": 120000, "funding_programme": "Zukunftsfähige Innenstädte",
                                     "funding_amount": 80000, "own_share": 40000, "licence": "CC-BY-4.0",
                                     "contact_name": "Anna Muster", "contact_role": "Citymanagerin",
                                     "municipality": {"ags": "16053000", "name": "Jena", "land": "16"},
                                     "partners": [{"name": "IHK Ostthüringen", "role": "Beratung"}],
                                     "key_figures": [{"name": "Leerstandsquote", "before": "12.5",
                                                      "after": "8", "unit": "%", "measured_on": None}]})
    starts = utcnow() + timedelta(days=7)
    talk = RemoteWebtalk(uri=f"https://{HOST}/ap/webtalks/5", url=f"https://{HOST}/webtalks/5", host=HOST,
                         actor_uri=ORG, title="Leerstand digital erfassen", starts_at=starts,
                         ends_at=starts + timedelta(hours=1), timezone="America/New_York",
                         room_url=f"https://{HOST}/webtalks/5/raum",
                         description_html="<p>Mit <em>Karten</em>.</p>")
    thread = RemoteThread(uri=f"https://{HOST}/ap/threads/3", url=f"https://{HOST}/forum/themen/3", host=HOST,
                          actor_uri=ORG, author_uri=ORG, title="Pop-up-Stores im Winter",
                          html="<p>Wer hat Erfahrungen?</p>", published_at=utcnow())
    db.session.add_all([practice, talk, thread])
    db.session.commit()
    return user


def test_network_pages_are_accessible(page, network):
    log_in(page, "berta@example.org")
    page.get_by_role("link", name="Aus dem Netzwerk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aus dem Netzwerk")
    assert_accessible(page)

    page.get_by_role("link", name="Leerstandslotsen in Jena").click()
    expect(page.get_by_text(f"aus dem Netzwerk: {HOST}")).to_be_visible()
    expect(page.get_by_text("Zukunftsfähige Innenstädte")).to_be_visible()
    assert_accessible(page)

    page.goto("/netzwerk")
    page.get_by_role("link", name="Leerstand digital erfassen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Leerstand digital erfassen")
    expect(page.get_by_role("link", name="Zum Raum")).to_have_attribute("href", f"https://{HOST}/webtalks/5/raum")
    expect(page.get_by_text("America/New_York")).to_be_visible()
    assert_accessible(page)

    page.goto("/netzwerk")
    page.get_by_role("link", name="Pop-up-Stores im Winter").click()
    page.get_by_role("button", name="Antwort senden").click()
    expect(page.get_by_text("Bitte füllen Sie dieses Feld aus.").first).to_be_visible()
    assert_accessible(page)

    page.goto("/netzwerk/folgen")
    page.get_by_label("Adresse im Netzwerk").fill("jena")
    page.get_by_role("button", name="Folgen", exact=True).click()
    expect(page.get_by_text("Bitte geben Sie eine Adresse wie").first).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_role("button", name="Nicht mehr folgen (Stadt Jena)")).to_be_visible()
