"""iCalendar files for webtalks, built with the ``icalendar`` library: one talk (download and
mail attachment) or a feed of many (a user's registered talks, a working group's talks).

A talk keeps its UID for life; every change a calendar must notice raises ``SEQUENCE``, and a
cancelled talk stays in feeds and mails as ``STATUS:CANCELLED`` so calendars remove it. Times
are written in Europe/Berlin with a VTIMEZONE built from the EU daylight-saving rules (the
compact form Outlook, Thunderbird and Apple Calendar write themselves).
"""

from collections.abc import Iterable
from datetime import datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from flask import current_app

from ..mail import Attachment
from .models import Webtalk

BERLIN = ZoneInfo("Europe/Berlin")
PRODID = "-//Stadtnetz//Webtalks//DE"


def _berlin_timezone() -> icalendar.Timezone:
    """VTIMEZONE for Europe/Berlin: CET in winter, CEST from the last Sunday of March."""
    timezone = icalendar.Timezone()
    timezone.add("tzid", "Europe/Berlin")
    for kind, name, start, month, offset_from, offset_to in (
        (icalendar.TimezoneStandard, "CET", datetime(1970, 10, 25, 3), 10, 2, 1),
        (icalendar.TimezoneDaylight, "CEST", datetime(1970, 3, 29, 2), 3, 1, 2),
    ):
        part = kind()
        part.add("tzname", name)
        part.add("dtstart", start)
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
        part.add("tzoffsetfrom", timedelta(hours=offset_from))
        part.add("tzoffsetto", timedelta(hours=offset_to))
        timezone.add_component(part)
    return timezone


def public_url(path: str) -> str:
    """A link on the public ``BASE_URL``; built without ``url_for``, so outbox workers can too."""
    return current_app.config["BASE_URL"] + path


def uid(talk: Webtalk) -> str:
    """The talk's UID: stable across every change, unique across instances."""
    return f"webtalk-{talk.id}@{urlsplit(current_app.config['BASE_URL']).hostname}"


def _event(talk: Webtalk) -> icalendar.Event:
    page = public_url(talk.url)
    event = icalendar.Event()
    event.add("uid", uid(talk))
    # DTSTAMP is when this version of the talk was written, so an unchanged talk reads the same.
    event.add("dtstamp", talk.updated_at)
    event.add("last-modified", talk.updated_at)
    event.add("created", talk.created_at)
    event.add("sequence", talk.sequence)
    event.add("dtstart", talk.starts_at.astimezone(BERLIN))
    event.add("dtend", talk.ends_at.astimezone(BERLIN))
    event.add("summary", talk.title)
    speakers = ", ".join(s.display_name for s in talk.speakers)
    event.add("description", "\n\n".join(part for part in (speakers, talk.description, page) if part))
    event.add("location", public_url(talk.room_url))
    event.add("url", page)
    event.add("status", "CANCELLED" if talk.is_cancelled else "CONFIRMED")
    return event


def calendar(talks: Iterable[Webtalk], name: str | None = None) -> bytes:
    """A VCALENDAR with one VEVENT per talk (METHOD:PUBLISH: calendars add and update them)."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("x-wr-calname", name)
        cal.add("x-wr-timezone", "Europe/Berlin")
    cal.add_component(_berlin_timezone())
    for talk in talks:
        cal.add_component(_event(talk))
    return cal.to_ical()


def attachment(talk: Webtalk) -> Attachment:
    """The talk as an ``.ics`` file for a mail."""
    return Attachment(f"webtalk-{talk.id}.ics", "text/calendar", calendar([talk]).decode())
