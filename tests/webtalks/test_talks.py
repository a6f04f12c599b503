"""Planning, changing and listing talks; who may do what; what search is told."""

from datetime import timedelta

import pytest

from stadtnetz.accounts.models import SiteRole
from stadtnetz.forum.models import Visibility
from stadtnetz.webtalks.models import Access, Webtalk
from stadtnetz.webtalks.room_routes import STAGE_FEATURES


def _form(group, **overrides):
    data = {
        "group": group.id,
        "title": "Leerstand gemeinsam lösen",
        "description": "Wie *Hameln* es macht.",
        "starts_at": "2031-03-30T18:00",
        "ends_at": "2031-03-30T19:30",
        "capacity": "30",
        "access": "public",
        "stage_url": "https://meet.example.org/leerstand",
        "speakers": "",
    }
    data.update(overrides)
    return data


def test_group_moderator_plans_a_talk_with_speakers_shown_in_berlin_time(
    client, login, db, make_user, make_group
):
    moderator, speaker = make_user(name="Mo Deration"), make_user(name="Sina Sprecherin")
    group = make_group(moderators=[moderator])
    login(moderator)
    response = client.post(
        "/webtalks/neu", data=_form(group, speakers=f"{speaker.email}\nGast Gabi"), follow_redirects=True
    )
    assert "Der Webtalk ist geplant." in response.text
    talk = db.session.scalars(db.select(Webtalk)).one()
    # 18:00 in Berlin on 30 March 2031 is summer time: 16:00 UTC.
    assert talk.starts_at.isoformat() == "2031-03-30T16:00:00+00:00"
    assert [s.display_name for s in talk.speakers] == ["Sina Sprecherin", "Gast Gabi"]
    assert talk.description_html == "<p>Wie <em>Hameln</em> es macht.</p>"
    assert "18:00" in response.text and "Sina Sprecherin" in response.text and "Gast Gabi" in response.text


@pytest.mark.parametrize("role", ["member", "outsider"])
def test_only_moderators_may_plan_talks(client, login, make_user, make_group, role):
    user = make_user()
    group = make_group(members=[user] if role == "member" else [])
    login(user)
    assert client.get("/webtalks/neu").status_code == 403
    assert client.post("/webtalks/neu", data=_form(group)).status_code == 403


def test_unknown_speaker_address_is_an_error_next_to_the_field(client, login, make_user, make_group):
    moderator = make_user(site_role=SiteRole.MODERATOR)
    group = make_group()
    login(moderator)
    response = client.post("/webtalks/neu", data=_form(group, speakers="niemand@example.org"))
    assert "Es gibt kein Konto mit der Adresse niemand@example.org." in response.text


def test_end_before_start_is_refused(client, login, make_user, make_group):
    moderator = make_user(site_role=SiteRole.MODERATOR)
    login(moderator)
    response = client.post("/webtalks/neu", data=_form(make_group(), ends_at="2031-03-30T17:00"))
    assert "Das Ende muss nach dem Beginn liegen." in response.text


def test_editing_the_time_raises_the_sequence(client, login, db, make_user, make_talk):
    moderator = make_user(site_role=SiteRole.MODERATOR)
    talk = make_talk(starts_in=timedelta(days=3))
    login(moderator)
    response = client.post(
        f"/webtalks/{talk.id}/bearbeiten",
        data=_form(talk.group, starts_at="2031-05-01T10:00", ends_at="2031-05-01T11:00"),
        follow_redirects=True,
    )
    assert "Der Webtalk ist gespeichert." in response.text
    db.session.refresh(talk)
    assert talk.sequence == 1
    client.post(
        f"/webtalks/{talk.id}/bearbeiten",
        data=_form(
            talk.group,
            starts_at="2031-05-01T10:00",
            ends_at="2031-05-01T11:00",
            description="Nur der Text ist neu.",
        ),
    )
    db.session.refresh(talk)
    assert talk.sequence == 1, "a change calendars do not show keeps the sequence"


def test_lists_show_upcoming_and_past_talks_and_hide_members_only_ones(
    client, login, make_user, make_group, make_talk
):
    member, outsider = make_user(), make_user()
    group = make_group(visibility=Visibility.MEMBERS, members=[member], name="AG Innenstadt")
    make_talk(group=group, title="Kommender Talk", starts_in=timedelta(days=2))
    make_talk(group=group, title="Interner Talk", starts_in=timedelta(days=3), access=Access.MEMBERS)
    make_talk(group=group, title="Vergangener Talk", starts_in=timedelta(days=-2))
    upcoming = client.get("/webtalks").text
    assert "Kommender Talk" in upcoming and "Vergangener Talk" not in upcoming
    assert "Interner Talk" not in upcoming
    assert "Vergangener Talk" in client.get("/webtalks/vergangene").text
    login(outsider)
    assert "Interner Talk" not in client.get(f"/arbeitsgruppen/{group.slug}/webtalks").text
    client.post("/abmelden")
    login(member)
    page = client.get(f"/arbeitsgruppen/{group.slug}/webtalks").text
    assert "Interner Talk" in page and "Vergangener Talk" in page


def test_members_only_talk_is_404_for_others(client, login, make_user, make_talk):
    talk = make_talk(access=Access.MEMBERS, starts_in=timedelta(days=1))
    assert client.get(f"/webtalks/{talk.id}").status_code == 404
    login(make_user())
    assert client.get(f"/webtalks/{talk.id}").status_code == 404
    client.post("/abmelden")
    login(make_user(site_role=SiteRole.MODERATOR))
    assert talk.title in client.get(f"/webtalks/{talk.id}").text


def test_search_document_follows_access_and_cancellation(make_talk, db):
    talk = make_talk(speakers=["Gast Gabi"], starts_in=timedelta(days=1))
    document = talk.search_document()
    assert document["audience"] == ["public"] and document["url"] == talk.url
    assert document["teaser"] == "Gast Gabi" and document["group"] == talk.group.slug
    talk.access = Access.MEMBERS
    assert talk.search_document()["audience"] == [f"group:{talk.group_id}"]
    talk.cancelled_at = talk.starts_at
    assert talk.search_document() is None


def test_room_frames_only_an_allowed_stage_origin(app, client, login, make_user, make_talk):
    app.config["WEBTALK_EMBED_ORIGINS"] = ["https://meet.example.org"]
    user = make_user()
    allowed = make_talk(stage_url="https://meet.example.org/raum-1")
    other = make_talk(stage_url="https://stream.example.com/live")
    login(user)
    response = client.get(f"/webtalks/{allowed.id}/raum")
    assert '<iframe src="https://meet.example.org/raum-1"' in response.text
    assert response.headers["Content-Security-Policy"].endswith("; frame-src https://meet.example.org")
    assert all(
        f'{feature}=(self "https://meet.example.org")' in response.headers["Permissions-Policy"]
        for feature in STAGE_FEATURES
    )
    response = client.get(f"/webtalks/{other.id}/raum")
    assert "<iframe" not in response.text and 'href="https://stream.example.com/live"' in response.text
    assert "frame-src" not in response.headers["Content-Security-Policy"]
    assert "frame-src" not in client.get(allowed.url).headers["Content-Security-Policy"]


def test_talks_are_found_as_webtalk_by_those_who_may_see_them(db, make_user, make_group, make_talk):
    from stadtnetz import outbox, search

    member, outsider = make_user(), make_user()
    group = make_group(visibility=Visibility.MEMBERS, members=[member])
    public = make_talk(group=group, title="Leerstandsmanagement offen", starts_in=timedelta(days=1))
    internal = make_talk(group=group, title="Leerstandsmanagement intern", access=Access.MEMBERS,
                         starts_in=timedelta(days=2))
    outbox.run_pending("search")
    found = search.search("Leerstandsmanagement", kinds=["webtalk"], user=outsider)
    assert [(hit.kind, hit.id, hit.url) for hit in found.hits] == [("webtalk", public.id, public.url)]
    found = search.search("Leerstandsmanagement", kinds=["webtalk"], user=member)
    assert sorted(hit.id for hit in found.hits) == [public.id, internal.id]


def test_room_page_outside_the_talk_says_when_it_opens_or_points_to_the_archive(client, login, make_user,
                                                                                 make_talk):
    later, over = make_talk(starts_in=timedelta(hours=3)), make_talk(starts_in=timedelta(hours=-3))
    login(make_user())
    assert "Der Raum öffnet 30 Minuten vor Beginn" in client.get(later.room_url).text
    page = client.get(over.room_url).text
    assert "Der Webtalk ist vorbei." in page and f"/webtalks/{over.id}/archiv" in page
    assert 'id="webtalk-room"' not in page
