"""Atom feeds of new practices: all, per Handlungsfeld, per municipality. Read back with a real
feed parser (and as XML); drafts and archived practices never appear."""

import xml.etree.ElementTree as ET

import feedparser
import pytest
from flask import render_template_string

from stadtnetz.practices.topics import Topic

ATOM = "{http://www.w3.org/2005/Atom}"
CREDIT = ("Quelle: [„Leerstandsmelder“, Projektbeschreibung von codefor.de]"
          "(https://codefor.de/projekte/lm/), Lizenz: [CC BY 4.0]"
          "(https://creativecommons.org/licenses/by/4.0/deed.de)")


def read_feed(client, url: str):
    """Fetch a feed and parse it; it must be well-formed Atom."""
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    assert ET.fromstring(response.data).tag == f"{ATOM}feed"
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_the_feed_lists_published_practices_newest_first(client, make_practice, make_organisation):
    organisation = make_organisation(name="Stadt Beispielhausen")
    older = make_practice(organisation=organisation, title="Leerstandskataster für die Altstadt",
                          tags=["Kataster"], key_figures=[{"name": "Leerstand", "before": 14, "after": 9}])
    newer = make_practice(organisation=organisation, title="Pop-up-Stores in der Fußgängerzone",
                          topics=["kultur", "leerstand"])
    make_practice(organisation=organisation, title="Geheimer Entwurf", state="draft")
    make_practice(organisation=organisation, title="Abgelegtes Beispiel", state="archived")

    feed = read_feed(client, "/praxisbeispiele/feed.atom")

    assert feed.feed.title == "Stadtnetz: neue Praxisbeispiele"
    assert feed.feed.language == "de" and feed.feed.link == "http://localhost/praxisbeispiele"
    assert [link.href for link in feed.feed.links if link.rel == "self"] == [
        "http://localhost/praxisbeispiele/feed.atom"]
    assert [entry.title for entry in feed.entries] == [newer.title, older.title]
    entry = feed.entries[0]
    assert entry.link == f"http://localhost{newer.url}"
    assert entry.id == f"http://localhost/praxisbeispiele/{newer.id}"
    assert entry.author == "Stadt Beispielhausen"
    assert entry.summary == newer.teaser
    assert [tag.term for tag in entry.tags] == ["kultur", "leerstand"]
    assert [tag.label for tag in entry.tags] == ["Kultur & Zwischennutzung", "Leerstand & Ansiedlung"]
    assert entry.rights == "CC BY 4.0; „Pop-up-Stores in der Fußgängerzone“, Stadt Beispielhausen"
    assert "Ausgangslage" in entry.content[0].value and "Fußgängerzone standen leer" in entry.content[0].value
    assert entry.published_parsed is not None and entry.updated_parsed is not None


def test_an_imported_practice_carries_its_credit(client, make_practice):
    make_practice(implementation=f"Eine Karte leerer Läden.\n\n{CREDIT}")
    entry = read_feed(client, "/praxisbeispiele/feed.atom").entries[0]
    assert entry.rights == "CC BY 4.0; „Leerstandsmelder“, Projektbeschreibung von codefor.de"


def test_an_empty_feed_is_valid_and_stable(client):
    first = client.get("/praxisbeispiele/feed.atom").data
    assert read_feed(client, "/praxisbeispiele/feed.atom").entries == []
    assert client.get("/praxisbeispiele/feed.atom").data == first


def test_a_topic_feed_holds_only_that_topic(client, make_practice):
    heat = make_practice(title="Trinkbrunnen gegen Hitze", topics=["klimaanpassung"])
    make_practice(title="Leerstandskataster", topics=["leerstand"])
    make_practice(title="Hitze-Entwurf", topics=["klimaanpassung"], state="draft")

    feed = read_feed(client, "/praxisbeispiele/handlungsfeld/klimaanpassung/feed.atom")

    assert feed.feed.title == "Stadtnetz: Praxisbeispiele zu Klimaanpassung"
    assert feed.feed.link == "http://localhost/praxisbeispiele?topic=klimaanpassung"
    assert [entry.title for entry in feed.entries] == [heat.title]


def test_a_municipality_feed_holds_only_its_organisations(client, make_practice, make_organisation,
                                                          make_municipality):
    home = make_municipality(name="Lüdenscheid", ags="05962032")
    stadt = make_organisation(name="Stadt Lüdenscheid", municipality=home)
    ours = make_practice(organisation=stadt, title="Unser Beispiel")
    make_practice(title="Beispiel anderswo")
    make_practice(organisation=stadt, title="Unser Entwurf", state="draft")

    feed = read_feed(client, "/kommunen/05962032/praxisbeispiele.atom")

    assert feed.feed.title == "Stadtnetz: Praxisbeispiele aus Lüdenscheid"
    assert feed.feed.link == "http://localhost/kommunen/05962032"
    assert [entry.title for entry in feed.entries] == [ours.title]


@pytest.mark.parametrize("url", ["/praxisbeispiele/handlungsfeld/gibt-es-nicht/feed.atom",
                                 "/kommunen/99999999/praxisbeispiele.atom"])
def test_unknown_feeds_are_not_found(client, url):
    assert client.get(url).status_code == 404


def test_feed_titles_escape_markup(client, make_practice):
    make_practice(title="Läden <b>auf Zeit</b> & mehr")
    feed = read_feed(client, "/praxisbeispiele/feed.atom")
    assert feed.entries[0].title == "Läden <b>auf Zeit</b> & mehr"


def test_the_municipality_page_shows_its_feed(client, make_municipality):
    make_municipality(name="Lüdenscheid", ags="05962032")
    page = client.get("/kommunen/05962032").get_data(as_text=True)
    assert ('<a href="/kommunen/05962032/praxisbeispiele.atom" type="application/atom+xml">'
            "Neue Praxisbeispiele aus Lüdenscheid als Feed (Atom)</a>") in page
    assert '<a href="/praxisbeispiele/offene-daten">' in page


def test_the_partials_link_the_feeds_of_the_filtered_topics(app):
    """What a page that includes the partials gets (unknown topic slugs are left out)."""
    with app.test_request_context("/praxisbeispiele?topic=klimaanpassung&topic=bogus"):
        html = render_template_string(
            '{% include "practices/_feeds_head.html" %}{% include "practices/_feeds.html" %}',
            filters={"topic": ["klimaanpassung", "bogus"]},
        )
    assert html.count('<link rel="alternate" type="application/atom+xml"') == 2
    assert ('<link rel="alternate" type="application/atom+xml" '
            'href="/praxisbeispiele/handlungsfeld/klimaanpassung/feed.atom" '
            'title="Stadtnetz: Praxisbeispiele zu Klimaanpassung">') in html
    assert ('<a href="/praxisbeispiele/handlungsfeld/klimaanpassung/feed.atom" type="application/atom+xml">'
            "Neue Praxisbeispiele zu Klimaanpassung als Feed (Atom)</a>") in html
    assert "bogus" not in html


def test_the_municipality_page_announces_its_feed(client, make_municipality):
    make_municipality(name="Lüdenscheid", ags="05962032")
    head = client.get("/kommunen/05962032").get_data(as_text=True).split("</head>")[0]
    assert ('<link rel="alternate" type="application/atom+xml" '
            'href="/kommunen/05962032/praxisbeispiele.atom" '
            'title="Stadtnetz: Praxisbeispiele aus Lüdenscheid">') in head


def test_the_browse_page_links_the_feeds(client, make_practice):
    make_practice(topics=["klimaanpassung"])
    page = client.get("/praxisbeispiele?topic=klimaanpassung").get_data(as_text=True)
    head, body = page.split("</head>")
    assert '<link rel="alternate" type="application/atom+xml" href="/praxisbeispiele/feed.atom"' in head
    assert 'href="/praxisbeispiele/handlungsfeld/klimaanpassung/feed.atom"' in head
    assert f"Neue Praxisbeispiele zu {Topic.KLIMA.label} als Feed (Atom)" in body
    assert 'href="/praxisbeispiele/offene-daten"' in body
