"""Calendar files and feeds, parsed back with icalendar."""

from datetime import timedelta

import icalendar

from stadtnetz.accounts.models import SiteRole
from stadtnetz.forum.models import Visibility
from stadtnetz.webtalks import feeds, registration
from stadtnetz.webtalks.models import Access
from stadtnetz.webtalks.talks import cancel_webtalk


def _events(response) -> list:
    assert response.mimetype == "text/calendar"
    return icalendar.Calendar.from_ical(response.data).walk("VEVENT")


def test_talk_ics_has_stable_uid_berlin_time_zone_and_links(client, make_talk):
    talk = make_talk(starts_in=timedelta(days=5), speakers=["Gast Gabi"])
    response = client.get(f"/webtalks/{talk.id}.ics")
    cal = icalendar.Calendar.from_ical(response.data)
    [timezone] = cal.walk("VTIMEZONE")
    assert str(timezone["tzid"]) == "Europe/Berlin"
    assert {str(part["tzname"]) for part in timezone.subcomponents} == {"CET", "CEST"}
    [event] = cal.walk("VEVENT")
    assert str(event["uid"]) == f"webtalk-{talk.id}@localhost"
    assert (
        event["dtstart"].dt == talk.starts_at.replace(microsecond=0)
        and event["dtstart"].params["TZID"] == "Europe/Berlin"
    )
    assert event["dtstamp"].dt == talk.updated_at.replace(microsecond=0)
    assert event["sequence"] == 0 and str(event["status"]) == "CONFIRMED"
    assert str(event["url"]) == f"http://localhost{talk.url}" and "Gast Gabi" in str(event["description"])


def test_my_feed_lists_registered_talks_and_keeps_cancelled_ones_as_cancelled(
    client, db, make_user, make_talk
):
    user, moderator = make_user(), make_user(site_role=SiteRole.MODERATOR)
    mine, cancelled, other = (make_talk(starts_in=timedelta(days=d)) for d in (2, 3, 4))
    registration.register(user, mine)
    registration.register(user, cancelled)
    cancel_webtalk(moderator, cancelled)
    token = feeds.token_of(user)
    db.session.commit()
    events = _events(client.get(f"/webtalks/kalender/{token}.ics"))
    assert {str(e["uid"]): str(e["status"]) for e in events} == {
        f"webtalk-{mine.id}@localhost": "CONFIRMED",
        f"webtalk-{cancelled.id}@localhost": "CANCELLED",
    }
    assert [e["sequence"] for e in events if str(e["status"]) == "CANCELLED"] == [1]
    assert other.title not in client.get(f"/webtalks/kalender/{token}.ics").text


def test_group_feed_respects_the_token_owners_rights(client, db, make_user, make_group, make_talk):
    member, outsider = make_user(), make_user()
    group = make_group(visibility=Visibility.MEMBERS, members=[member])
    public = make_talk(group=group, starts_in=timedelta(days=1))
    internal = make_talk(group=group, starts_in=timedelta(days=2), access=Access.MEMBERS)
    member_token, outsider_token = feeds.token_of(member), feeds.token_of(outsider)
    db.session.commit()
    uids = {str(e["uid"]) for e in _events(client.get(f"/webtalks/kalender/{member_token}/{group.slug}.ics"))}
    assert uids == {f"webtalk-{public.id}@localhost", f"webtalk-{internal.id}@localhost"}
    assert client.get(f"/webtalks/kalender/{outsider_token}/{group.slug}.ics").status_code == 404


def test_renewing_the_token_revokes_old_feed_urls(client, login, db, make_user):
    user = make_user()
    login(user)
    page = client.get("/webtalks/kalender").text
    old = feeds.token_of(user)
    assert f"/webtalks/kalender/{old}.ics" in page
    client.post("/webtalks/kalender")
    assert client.get(f"/webtalks/kalender/{old}.ics").status_code == 404
    db.session.expire_all()
    assert client.get(f"/webtalks/kalender/{feeds.token_of(user)}.ics").status_code == 200
