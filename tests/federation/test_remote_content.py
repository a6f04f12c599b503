"""Remote content as people here see it: the practice page, search with "aus dem Netzwerk",
the feed of followed actors, remote threads and replies to them."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from stadtnetz import outbox
from stadtnetz.database import utcnow
from stadtnetz.federation.activities import SentActivity
from stadtnetz.federation.follows import Following, FollowState
from stadtnetz.federation.remote_actors import store_actor_document
from stadtnetz.federation.remote_content import RemotePost, RemotePractice, RemoteThread, RemoteWebtalk

from .test_processing import ORG, PERSON, REMOTE, actor_document, article, deliver, follow_org

GROUP = f"{REMOTE}/ap/groups/innenstadt"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
HOST = "thueringen.example"


@pytest.fixture
def remote_actors(app, db):
    app.config["FEDERATION"] = "open"
    for uri, kind in ((ORG, "Organization"), (PERSON, "Person"), (GROUP, "Group")):
        store_actor_document(uri, actor_document(uri, kind))
    db.session.commit()


def remote_practice(db, number: int = 1, actor: str = ORG, **kw) -> RemotePractice:
    practice = RemotePractice(
        uri=f"{REMOTE}/ap/practices/{number}", url=f"{REMOTE}/praxisbeispiele/{number}", host=HOST,
        actor_uri=actor, title=kw.pop("title", "Leerstandslotsen in Jena"), teaser="Lotsen vermitteln Läden.",
        organisation_name="Stadt Jena", status="umsetzung", tags=[], topics=["leerstand"],
        sections={"situation": "<p>Viele <strong>leere</strong> Läden.</p>"}, facts={}, **kw)
    db.session.add(practice)
    db.session.commit()
    return practice


def remote_thread(db) -> RemoteThread:
    thread = RemoteThread(uri=f"{REMOTE}/ap/threads/3", url=f"{REMOTE}/forum/themen/3", host=HOST,
                          actor_uri=GROUP, author_uri=PERSON, title="Pop-up-Stores im Winter",
                          html="<p>Wer hat Erfahrungen?</p>")
    db.session.add(thread)
    db.session.commit()
    return thread


def test_remote_practice_page_names_its_origin_and_links_back(client, db, remote_actors):
    practice = remote_practice(db)
    page = client.get(f"/netzwerk/praxisbeispiele/{practice.id}").get_data(as_text=True)
    assert "Leerstandslotsen in Jena" in page and "Viele <strong>leere</strong> Läden." in page
    assert "aus dem Netzwerk: thueringen.example" in page
    assert f'href="{REMOTE}/praxisbeispiele/1"' in page and "Leerstand &amp; Ansiedlung" in page


FULL_FACTS = {
    "title": "Leerstandslotsen in Jena", "teaser": "Lotsen vermitteln leere Läden.",
    "sections": {"situation": "Viele leere Läden.", "results": "Zwölf Läden neu vermietet."},
    "topics": ["leerstand"], "tags": ["Pop-up", "Innenstadt"], "status": "verstetigt",
    "startedOn": "2024-03-01", "endedOn": "2025-06-30", "totalCost": 120000,
    "fundingProgramme": "Zukunftsfähige Innenstädte", "fundingAmount": 80000, "ownShare": 40000,
    "contactName": "Anna Muster", "contactRole": "Citymanagerin", "licence": "CC-BY-4.0",
    "organisation": "Stadt Jena",
    "municipality": {"ags": "16053000", "name": "Jena", "land": "16", "population": 110000},
    "keyFigures": [{"name": "Leerstandsquote", "before": "12.5", "after": "8", "unit": "%",
                    "measuredOn": "2025-05-31"}],
    "partners": [{"name": "IHK Ostthüringen", "role": "Beratung"}],
}


def test_remote_practice_page_shows_the_comparable_facts(client, db, remote_actors, make_user,
                                                         make_municipality):
    make_municipality(name="Jena", ags="16053000", kreis_key="16053", kreis_name="Jena", population=110_000)
    follow_org(db, make_user())
    deliver(db, {"type": "Create", "actor": ORG, "object": article(stadtnetzPractice=FULL_FACTS)})
    practice = db.session.scalar(sa.select(RemotePractice))

    page = client.get(f"/netzwerk/praxisbeispiele/{practice.id}").get_data(as_text=True)
    assert 'href="/kommunen/16053000">Jena</a> · Thüringen · Großstadt' in page
    for fact in ("Stadt Jena", "verstetigt", "Pop-up, Innenstadt", "01.03.2024 bis 30.06.2025",
                 "120.000 €", "Zukunftsfähige Innenstädte", "80.000 €", "40.000 €",
                 "IHK Ostthüringen (Beratung)", "Anna Muster, Citymanagerin", "Lizenz: CC BY 4.0",
                 "12,5 %", "8 %", "31.05.2025", "Zwölf Läden neu vermietet.", "Leerstand &amp; Ansiedlung"):
        assert fact in page, fact
    assert "aus dem Netzwerk: thueringen.example" in page
    assert f'href="{REMOTE}/praxisbeispiele/1-leerstandslotsen"' in page


def test_remote_practice_without_facts_says_so(client, db, remote_actors):
    practice = remote_practice(db)
    page = client.get(f"/netzwerk/praxisbeispiele/{practice.id}").get_data(as_text=True)
    assert "Gesamtkosten" in page and "keine Angabe" in page
    assert "Förderprogramm" not in page and "Ansprechperson" not in page and "Lizenz" not in page


def event(**extra) -> dict:
    return {"id": f"{REMOTE}/ap/webtalks/5", "type": "Event", "attributedTo": ORG,
            "name": "Leerstand digital erfassen", "url": f"{REMOTE}/webtalks/5",
            "content": "<p>Mit <em>Karten</em>.</p><script>alert(1)</script>",
            "startTime": "2026-12-09T09:00:00-05:00", "endTime": "2026-12-09T10:30:00-05:00",
            "timezone": "America/New_York", "to": [PUBLIC],
            "location": {"type": "Place", "url": f"{REMOTE}/webtalks/5/raum"}, **extra}


def test_remote_webtalk_page_shows_berlin_time_the_origins_zone_and_the_room(client, login, db,
                                                                              remote_actors, make_user):
    user = make_user()
    follow_org(db, user)
    deliver(db, {"type": "Create", "actor": ORG, "object": event()})
    talk = db.session.scalar(sa.select(RemoteWebtalk))
    login(user)

    feed = client.get("/netzwerk").get_data(as_text=True)
    assert f'href="/netzwerk/webtalks/{talk.id}">Leerstand digital erfassen</a>' in feed
    page = client.get(f"/netzwerk/webtalks/{talk.id}").get_data(as_text=True)
    assert "Mittwoch, 9. Dezember 2026, 15:00</time>\N{EN DASH}<time" in page
    assert "16:30</time> (Berliner Zeit)" in page
    assert "America/New_York: 09.12.26, 09:00\N{EN DASH}10:30 Ortszeit" in page
    assert "<p>Mit <em>Karten</em>.</p>" in page and "<script>alert" not in page
    assert f'<a href="{REMOTE}/webtalks/5/raum" rel="nofollow noopener">Zum Raum</a>' in page
    assert "aus dem Netzwerk: thueringen.example" in page and f'href="{REMOTE}/webtalks/5"' in page


def test_remote_webtalk_in_berlin_time_cancelled_or_deleted(client, db, remote_actors, make_user):
    follow_org(db, make_user())
    deliver(db, {"type": "Create", "actor": ORG, "object": event(
        timezone="Europe/Berlin", startTime="2026-12-09T15:00:00+01:00", endTime="2026-12-09T16:00:00+01:00",
        **{"ical:status": "CANCELLED"})})
    talk = db.session.scalar(sa.select(RemoteWebtalk))
    page = client.get(f"/netzwerk/webtalks/{talk.id}").get_data(as_text=True)
    assert "Dieser Webtalk wurde abgesagt." in page and "Zeitzone des Veranstalters" not in page
    assert "Zum Raum" not in page
    talk.deleted_at = utcnow()
    db.session.commit()
    assert client.get(f"/netzwerk/webtalks/{talk.id}").status_code == 404


def test_deleted_remote_practice_is_gone(client, db):
    practice = remote_practice(db, deleted_at=utcnow())
    assert client.get(f"/netzwerk/praxisbeispiele/{practice.id}").status_code == 404


def test_search_offers_the_filter_aus_dem_netzwerk(client, db, make_practice):
    make_practice(title="Leerstandsmanagement in Siegen")
    remote_practice(db, title="Leerstandslotsen in Jena")
    remote_practice(db, number=2, title="Leerstandsbörse in Gera", deleted_at=utcnow())
    outbox.run_pending("search")

    page = client.get("/suche?q=Leerstand").get_data(as_text=True)
    assert "Leerstandsmanagement in Siegen" in page and "Leerstandslotsen in Jena" in page
    assert "Herkunft" in page and "aus dem Netzwerk" in page
    page = client.get("/suche?q=Leerstand&origin=network").get_data(as_text=True)
    assert "Leerstandslotsen in Jena" in page
    assert "Leerstandsmanagement in Siegen" not in page and "Gera" not in page


def test_feed_shows_what_the_user_follows(client, login, make_user, db, remote_actors):
    user = make_user()
    db.session.add(Following(user=user, actor_uri=GROUP, follow_id="http://localhost/ap/activities/1",
                             state=FollowState.ACCEPTED))
    remote_practice(db, actor=GROUP, title="Gefolgt")
    remote_practice(db, number=2, actor=ORG, title="Nicht gefolgt")
    remote_practice(db, number=3, actor=GROUP, title="Gelöscht", deleted_at=utcnow())
    starts = utcnow() + timedelta(days=3)
    db.session.add(RemoteWebtalk(uri=f"{REMOTE}/ap/webtalks/1", url=f"{REMOTE}/webtalks/1", host=HOST,
                                 actor_uri=GROUP, title="Leerstand digital erfassen", starts_at=starts,
                                 ends_at=starts + timedelta(hours=1)))
    remote_thread(db)
    login(user)

    page = client.get("/netzwerk").get_data(as_text=True)
    assert "Gefolgt" in page and "Leerstand digital erfassen" in page and "Pop-up-Stores im Winter" in page
    assert "Nicht gefolgt" not in page and "Gelöscht" not in page


def test_reply_to_a_remote_thread_goes_to_the_group(client, login, make_user, db, remote_actors):
    thread = remote_thread(db)
    page = client.get(f"/netzwerk/themen/{thread.id}").get_data(as_text=True)
    assert "Wer hat Erfahrungen?" in page and "Melden Sie sich an, um zu antworten." in page

    user = make_user(name="Berta Beispiel")
    login(user)
    page = client.post(f"/netzwerk/themen/{thread.id}", data={"body": "  "}).get_data(as_text=True)
    assert "Bitte füllen Sie dieses Feld aus." in page
    response = client.post(f"/netzwerk/themen/{thread.id}", data={"body": "Bei uns **gut**."},
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Ihre Antwort ist gesendet." in page and "Bei uns <strong>gut</strong>." in page

    post = db.session.scalar(sa.select(RemotePost))
    assert post.local_author_id == user.id and post.uri.startswith("http://localhost/ap/replies/")
    create = db.session.scalar(sa.select(SentActivity).where(SentActivity.type == "Create"))
    assert create.json["object"]["inReplyTo"] == thread.uri and create.json["object"]["audience"] == GROUP
    job = db.session.scalar(sa.select(outbox.OutboxJob).filter_by(queue="federation_delivery"))
    assert job.payload["inbox"] == f"{GROUP}/inbox"

    note = client.get(post.uri.removeprefix("http://localhost"))
    assert note.content_type.startswith("application/activity+json")
    assert note.json["id"] == post.uri and note.json["content"] == "<p>Bei uns <strong>gut</strong>.</p>"


def test_unconfirmed_users_may_not_reply_or_follow(client, login, make_user, db, remote_actors):
    thread = remote_thread(db)
    login(make_user(confirmed=False))
    assert client.post(f"/netzwerk/themen/{thread.id}", data={"body": "Hallo"}).status_code == 403
    assert client.post("/netzwerk/folgen", data={"handle": "@jena@thueringen.example"}).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(RemotePost.id))) == 0
