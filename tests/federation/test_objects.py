"""Local content as ActivityStreams objects, and the parsers that read them back."""

import json
from datetime import UTC, date, datetime

import pytest

from stadtnetz.content import render_markdown
from stadtnetz.errors import Invalid
from stadtnetz.federation import objects
from stadtnetz.webtalks.models import Access, Webtalk


@pytest.fixture
def rich_practice(make_practice):
    return make_practice(
        title="Pop-up-Stores in der Altstadt",
        situation="In der **Fußgängerzone** standen 14 Läden leer.",
        results="Neun Läden sind wieder vermietet.",
        topics=["leerstand", "handel"],
        tags=["Zwischennutzung"],
        started_on=date(2022, 3, 1),
        total_cost=180_000,
        funding_programme="Zukunftsfähige Innenstädte",
        funding_amount=135_000,
        key_figures=[{"name": "Leerstände", "before": "14", "after": "5", "unit": "Läden",
                      "measured_on": date(2024, 1, 31)}],
        partners=[{"name": "Werbegemeinschaft Altstadt", "role": "Vermittlung"}],
    )


def test_a_practice_is_an_article_of_its_organisation_with_hashtags_and_all_facts(app, rich_practice):
    article = objects.practice_article(rich_practice)
    json.dumps(article)  # plain JSON all the way down
    assert article["type"] == "Article"
    assert article["id"] == f"http://localhost/ap/practices/{rich_practice.id}"
    assert article["url"] == "http://localhost" + rich_practice.url
    assert article["attributedTo"] == f"http://localhost/ap/organisations/{rich_practice.organisation.slug}"
    assert objects.PUBLIC in article["to"]
    assert article["name"] == "Pop-up-Stores in der Altstadt"
    assert "Wie eine Innenstadt" in article["content"]
    assert {tag["name"] for tag in article["tag"]} == {"#Leerstand", "#Handel"}
    assert article["published"].endswith("Z")
    facts = article["stadtnetzPractice"]
    assert facts["sections"]["situation"] == "In der **Fußgängerzone** standen 14 Läden leer."
    assert facts["keyFigures"][0]["after"].startswith("5")
    assert facts["partners"] == [{"name": "Werbegemeinschaft Altstadt", "role": "Vermittlung"}]
    # The extension property is declared as a JSON literal of our namespace.
    assert article["@context"][1]["stadtnetzPractice"] == {"@id": "sn:practice", "@type": "@json"}
    assert article["@context"][1]["sn"] == objects.NS


def test_another_stadtnetz_rebuilds_the_case_from_the_article(app, rich_practice):
    fields = objects.practice_fields_from_article(objects.practice_article(rich_practice))
    assert fields["title"] == "Pop-up-Stores in der Altstadt"
    assert fields["situation"] == rich_practice.situation
    assert fields["situation_html"] == render_markdown(rich_practice.situation)
    assert "<strong>Fußgängerzone</strong>" in fields["situation_html"]
    assert fields["topics"] == ["handel", "leerstand"]
    assert fields["tags"] == ["Zwischennutzung"]
    assert fields["started_on"] == "2022-03-01"
    assert (fields["total_cost"], fields["funding_amount"]) == (180_000, 135_000)
    assert fields["funding_programme"] == "Zukunftsfähige Innenstädte"
    assert fields["key_figures"][0]["name"] == "Leerstände"
    assert fields["key_figures"][0]["measured_on"] == "2024-01-31"
    assert float(fields["key_figures"][0]["before"]) == 14
    assert fields["partners"][0]["role"] == "Vermittlung"
    assert fields["organisation_name"] == rich_practice.organisation.name
    json.dumps(fields)  # fed-inbound keeps the facts as JSON


def test_an_article_from_elsewhere_is_read_from_name_and_content_and_sanitised(app):
    fields = objects.practice_fields_from_article({
        "id": "https://blog.example.org/2024/leerstand", "type": "Article", "name": "Leerstand gelöst",
        "content": '<p onclick="x()">Ein <script>alert(1)</script><b>Bericht</b></p>',
        "tag": [{"type": "Hashtag", "name": "#Leerstand"}, {"type": "Hashtag", "name": "#Katzen"}],
    })
    assert fields["title"] == "Leerstand gelöst"
    assert "script" not in fields["content_html"] and "onclick" not in fields["content_html"]
    assert "Bericht" in fields["teaser"]
    assert fields["topics"] == ["leerstand"]
    assert fields["situation"] == "" and fields["key_figures"] == []


@pytest.mark.parametrize("change, message", [
    ({"type": "Note"}, "Typ Article"),
    ({"id": None}, "„id“ fehlt"),
    ({"name": "x" * 201, "stadtnetzPractice": None}, "zu lang"),
    ({"stadtnetzPractice": "Text"}, "muss ein Objekt sein"),
    ({"stadtnetzPractice": {"title": "T", "startedOn": "gestern"}}, "kein gültiges Datum"),
    ({"stadtnetzPractice": {"title": "T", "totalCost": -5}}, "Betrag in Euro"),
    ({"stadtnetzPractice": {"title": "T", "keyFigures": [{"name": "n", "before": "viel"}]}}, "Zahl"),
    ({"stadtnetzPractice": {"title": "T", "partners": [{"role": "ohne Namen"}]}}, "„name“ fehlt"),
    ({"stadtnetzPractice": {"title": "T", "partners": [{"name": "p"}] * 51}}, "höchstens 50"),
])
def test_bad_articles_are_refused_with_a_reason(app, change, message):
    article = {"id": "https://a.example/ap/practices/1", "type": "Article", "name": "Titel", **change}
    with pytest.raises(Invalid) as caught:
        objects.practice_fields_from_article(article)
    assert message in caught.value.message


def test_a_thread_is_a_page_in_its_groups_audience_and_a_reply_a_note(app, make_thread, make_post):
    thread = make_thread(title="Erfahrungen mit Pop-up-Stores", body="Wer hat **Erfahrung**?")
    first = objects.thread_first_post(thread)
    reply = make_post(thread, first.author, "Wir in Lüdenscheid!", reply_to=first)
    group_uri = f"http://localhost/ap/groups/{thread.group.slug}"
    page = objects.thread_page(thread)
    assert page["type"] == "Page" and page["name"] == "Erfahrungen mit Pop-up-Stores"
    assert page["audience"] == group_uri and group_uri in page["to"]
    assert "<strong>Erfahrung</strong>" in page["content"]
    assert page["attributedTo"] == f"http://localhost/ap/users/{thread.author_id}"
    note = objects.post_note(reply)
    assert note["type"] == "Note" and note["audience"] == group_uri
    assert note["inReplyTo"] == f"http://localhost/ap/posts/{first.id}"
    assert note["context"] == page["id"]
    assert objects.note_fields(note) == {"html": reply.html, "title": ""}
    assert objects.note_fields(page)["title"] == "Erfahrungen mit Pop-up-Stores"


def test_a_note_without_content_is_refused(app):
    with pytest.raises(Invalid, match="content"):
        objects.note_fields({"id": "https://x.example/n/1", "type": "Note", "content": "<script></script>"})


def test_a_webtalk_is_an_event_as_mobilizon_reads_it(app, db, make_group, make_user):
    group = make_group()
    talk = Webtalk(group=group, title="Leerstand digital managen", description_html="<p>Wie?</p>",
                   starts_at=datetime(2026, 1, 20, 17, 0, tzinfo=UTC),
                   ends_at=datetime(2026, 1, 20, 18, 30, tzinfo=UTC), access=Access.PUBLIC, capacity=100)
    db.session.add(talk)
    db.session.commit()
    event = objects.webtalk_event(talk)
    assert event["type"] == "Event"
    assert event["startTime"] == "2026-01-20T18:00:00+01:00"  # Berlin in winter
    assert event["endTime"] == "2026-01-20T19:30:00+01:00"
    assert event["timezone"] == "Europe/Berlin"
    room = "http://localhost" + talk.room_url
    assert event["location"]["url"] == room
    assert {"type": "Link", "name": "Website", "mediaType": "text/html", "href": room} in event["attachment"]
    assert event["ical:status"] == "CONFIRMED"
    fields = objects.event_fields(event)
    assert fields["starts_at"] == talk.starts_at and fields["ends_at"] == talk.ends_at
    assert fields["room_url"] == room and fields["timezone"] == "Europe/Berlin"
    talk.cancelled_at = datetime(2026, 1, 10, tzinfo=UTC)
    assert objects.webtalk_event(talk)["ical:status"] == "CANCELLED"


def test_a_mobilizon_event_is_read(app):
    # The shape of Mobilizon's Event (its converter's model_to_as): times with offset, online
    # address as the Link attachment "Website".
    fields = objects.event_fields({
        "id": "https://mobilizon.example/events/252d5816", "type": "Event", "name": "Stadtspaziergang",
        "content": "<p>Treffpunkt <em>Rathaus</em></p>", "startTime": "2021-07-28T17:04:22+02:00",
        "endTime": "2021-07-28T23:59:59+02:00", "ical:status": "CONFIRMED", "joinMode": "free",
        "attachment": [{"type": "Link", "href": "https://meet.example/raum", "mediaType": "text/html",
                        "name": "Website"}],
    })
    assert fields["starts_at"] == datetime(2021, 7, 28, 15, 4, 22, tzinfo=UTC)
    assert fields["room_url"] == "https://meet.example/raum"
    assert fields["description_html"] == "<p>Treffpunkt <em>Rathaus</em></p>"


@pytest.mark.parametrize("change, message", [
    ({"startTime": None}, "startTime"),
    ({"startTime": "2021-07-28T17:04:22"}, "Zeitzone"),
    ({"endTime": "2021-07-27T10:00:00Z"}, "vor dem Beginn"),
])
def test_bad_events_are_refused(app, change, message):
    event = {"id": "https://m.example/e/1", "type": "Event", "name": "E",
             "startTime": "2021-07-28T17:04:22+02:00", **change}
    with pytest.raises(Invalid, match=message):
        objects.event_fields(event)


def test_a_tombstone_keeps_the_id_and_the_former_type(app):
    stone = objects.tombstone("http://localhost/ap/practices/3", "Article",
                              datetime(2026, 2, 1, 12, 0, tzinfo=UTC))
    assert stone["type"] == "Tombstone" and stone["formerType"] == "Article"
    assert stone["deleted"] == "2026-02-01T12:00:00Z"
