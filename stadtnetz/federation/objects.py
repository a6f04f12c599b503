"""Local content as ActivityStreams objects, and remote objects back into our fields.

A practice becomes an ``Article`` whose ``stadtnetzPractice`` property (a JSON literal in our
namespace ``NS``) carries every structured fact, so another Stadtnetz rebuilds the full case
while Mastodon and others show name, short content, link and hashtags. A thread is a ``Page``
in its group's ``audience`` (FEP-1b12 as Lemmy uses it), a post a ``Note`` with ``inReplyTo``,
a webtalk an ``Event`` as Mobilizon reads it. The parsers validate what arrives and send every
bit of HTML through the one sanitizer (``content.py``); they raise ``Invalid``.
"""

from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from markupsafe import Markup

from ..content import render_markdown, sanitize_html
from ..errors import Invalid
from ..extensions import db
from ..forum.models import Post
from ..practices.models import SECTIONS, Practice
from ..practices.topics import PracticeStatus, Topic
from .actors import local_actor_for

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
NS = "https://stadtnetz.de/ns#"
BERLIN = ZoneInfo("Europe/Berlin")
CONTEXT = [
    "https://www.w3.org/ns/activitystreams",
    {
        "sn": NS,
        "stadtnetzPractice": {"@id": "sn:practice", "@type": "@json"},
        "Hashtag": "as:Hashtag",
        "sensitive": "as:sensitive",
        "mz": "https://joinmobilizon.org/ns#",
        "ical": "http://www.w3.org/2002/12/cal/ical#",
        "timezone": {"@id": "mz:timezone", "@type": "http://schema.org#Text"},
        "isOnline": {"@id": "mz:isOnline", "@type": "http://schema.org#Boolean"},
        "joinMode": {"@id": "mz:joinMode", "@type": "mz:joinModeType"},
        "maximumAttendeeCapacity": "http://schema.org#maximumAttendeeCapacity",
        "lemmy": "https://join-lemmy.org/ns#",
        "stickied": "lemmy:stickied",
        "commentsEnabled": "mz:commentsEnabled",
    },
]
#: Bumped when the meaning of ``stadtnetzPractice`` changes; parsers accept what they know.
PRACTICE_FORMAT = 1
#: Limits on what a remote practice may carry (our own forms' limits).
LIMITS = {"title": 200, "teaser": 500, "funding_programme": 200, "contact_name": 120,
          "contact_role": 120, "licence": 40, "section": 50_000, "tag": 60, "list": 50}
MONEY_FIELDS = ("total_cost", "funding_amount", "own_share")


def base_url() -> str:
    return current_app.config["BASE_URL"]


def object_uri(kind: str, object_id: int) -> str:
    """The ActivityPub id of a local object: ``kind`` is practices, threads, posts or webtalks."""
    return f"{base_url()}/ap/{kind}/{object_id}"


def xsd_time(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else None


def _hashtag(topic: Topic) -> dict:
    name = "".join(part.capitalize() for part in topic.slug.split("-"))
    return {"type": "Hashtag", "name": f"#{name}", "href": f"{base_url()}/praxisbeispiele?topic={topic.slug}"}


def _practice_facts(practice: Practice) -> dict[str, Any]:
    """Everything another Stadtnetz needs to show the case as we do (Markdown sources)."""
    municipality = practice.municipality
    return {
        "format": PRACTICE_FORMAT,
        "title": practice.title,
        "teaser": practice.teaser,
        "sections": {name: getattr(practice, name) for name, _label in SECTIONS if getattr(practice, name)},
        "status": practice.status.value,
        "topics": [topic.slug for topic in practice.topics],
        "tags": list(practice.tags or []),
        "startedOn": practice.started_on.isoformat() if practice.started_on else None,
        "endedOn": practice.ended_on.isoformat() if practice.ended_on else None,
        "totalCost": practice.total_cost,
        "fundingProgramme": practice.funding_programme,
        "fundingAmount": practice.funding_amount,
        "ownShare": practice.own_share,
        "contactName": practice.contact_name,
        "contactRole": practice.contact_role,
        "licence": practice.licence,
        "organisation": practice.organisation.name,
        "municipality": {"ags": municipality.ags, "name": municipality.name,
                         "land": municipality.land_key, "population": municipality.population}
        if municipality else None,
        "keyFigures": [
            {"name": f.name, "before": None if f.before is None else str(f.before),
             "after": None if f.after is None else str(f.after), "unit": f.unit,
             "measuredOn": f.measured_on.isoformat() if f.measured_on else None}
            for f in practice.key_figures
        ],
        "partners": [{"name": p.name, "role": p.role} for p in practice.partners],
    }


def practice_article(practice: Practice) -> dict[str, Any]:
    """The ``Article`` of a published practice, attributed to its organisation."""
    organisation = local_actor_for(practice.organisation)
    page = base_url() + practice.url
    content = Markup("<p>{}</p><p><a href=\"{}\">{}</a></p>").format(practice.teaser, page, page)
    return {
        "@context": CONTEXT,
        "id": object_uri("practices", practice.id),
        "type": "Article",
        "name": practice.title,
        "content": str(content),
        "mediaType": "text/html",
        "url": page,
        "attributedTo": organisation.uri,
        "to": [PUBLIC],
        "cc": [organisation.followers],
        "published": xsd_time(practice.published_at),
        "updated": xsd_time(practice.updated_at),
        "tag": [_hashtag(topic) for topic in practice.topics],
        "stadtnetzPractice": _practice_facts(practice),
    }


def thread_page(thread) -> dict[str, Any]:
    """A thread as the ``Page`` Lemmy knows: title, first post as content, the group as audience."""
    group = local_actor_for(thread.group)
    first = thread_first_post(thread)
    return {
        "@context": CONTEXT,
        "id": object_uri("threads", thread.id),
        "type": "Page",
        "name": thread.title,
        "content": first.html if first else "",
        "mediaType": "text/html",
        "source": {"content": first.body, "mediaType": "text/markdown"} if first else None,
        "url": f"{base_url()}/forum/themen/{thread.id}",
        "attributedTo": local_actor_for(thread.author).uri if thread.author else group.uri,
        "audience": group.uri,
        "to": [group.uri, PUBLIC],
        "cc": [group.followers],
        "published": xsd_time(thread.created_at),
        "commentsEnabled": not thread.locked,
        "stickied": thread.pinned,
    }


def thread_first_post(thread):
    """The post that opened ``thread`` (its content travels with the ``Page``)."""
    return db.session.scalar(db.select(Post).where(Post.thread_id == thread.id).order_by(Post.id).limit(1))


def post_note(post) -> dict[str, Any]:
    """A reply as a ``Note`` answering the quoted post, else the thread's ``Page``."""
    group = local_actor_for(post.thread.group)
    in_reply_to = (object_uri("posts", post.reply_to_id) if post.reply_to_id
                   else object_uri("threads", post.thread_id))
    return {
        "@context": CONTEXT,
        "id": object_uri("posts", post.id),
        "type": "Note",
        "content": post.html,
        "mediaType": "text/html",
        "source": {"content": post.body, "mediaType": "text/markdown"},
        "url": f"{base_url()}/forum/beitraege/{post.id}",
        "attributedTo": local_actor_for(post.author).uri if post.author else group.uri,
        "inReplyTo": in_reply_to,
        "context": object_uri("threads", post.thread_id),
        "audience": group.uri,
        "to": [group.uri, PUBLIC],
        "cc": [group.followers],
        "published": xsd_time(post.created_at),
        "updated": xsd_time(post.edited_at),
    }


def webtalk_event(talk) -> dict[str, Any]:
    """A webtalk as Mobilizon reads an ``Event``: times with offset, the zone, online address."""
    group = local_actor_for(talk.group)
    room = base_url() + talk.room_url
    return {
        "@context": CONTEXT,
        "id": object_uri("webtalks", talk.id),
        "type": "Event",
        "name": talk.title,
        "content": talk.description_html,
        "mediaType": "text/html",
        "url": base_url() + talk.url,
        "attributedTo": group.uri,
        "to": [PUBLIC],
        "cc": [group.followers],
        "startTime": talk.starts_at.astimezone(BERLIN).isoformat(),
        "endTime": talk.ends_at.astimezone(BERLIN).isoformat(),
        "timezone": "Europe/Berlin",
        "isOnline": True,
        "location": {"type": "Place", "name": "Stadtnetz-Webtalk-Raum", "url": room},
        # Mobilizon takes the online address from the Link attachment named "Website".
        "attachment": [{"type": "Link", "name": "Website", "mediaType": "text/html", "href": room}],
        "joinMode": "external",
        "maximumAttendeeCapacity": talk.capacity,
        "ical:status": "CANCELLED" if talk.is_cancelled else "CONFIRMED",
        "published": xsd_time(talk.created_at),
        "updated": xsd_time(talk.updated_at),
    }


def tombstone(uri: str, former_type: str, deleted: datetime | None = None) -> dict[str, Any]:
    """What stays of a deleted object: served with 410 Gone and sent inside ``Delete``."""
    return {"@context": CONTEXT, "id": uri, "type": "Tombstone", "formerType": former_type,
            "deleted": xsd_time(deleted)}


# --- Remote objects back into fields ------------------------------------------------------------


def _text(obj: dict, key: str, limit: int, required: bool = False) -> str:
    value = obj.get(key)
    if value is None or value == "":
        if required:
            raise Invalid(f"Feld „{key}“ fehlt.", key)
        return ""
    if not isinstance(value, str):
        raise Invalid(f"Feld „{key}“ muss Text sein.", key)
    value = value.strip()
    if len(value) > limit:
        raise Invalid(f"Feld „{key}“ ist zu lang (höchstens {limit} Zeichen).", key)
    return value


def _datetime(value: Any, key: str) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise Invalid(f"Feld „{key}“ ist kein gültiger Zeitpunkt.", key) from None
    if parsed.tzinfo is None:
        raise Invalid(f"Feld „{key}“ braucht eine Zeitzone.", key)
    return parsed.astimezone(UTC)


def _date(value: Any, key: str) -> str | None:
    """A date, checked, kept as ISO text (the fields of a remote practice are stored as JSON)."""
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise Invalid(f"Feld „{key}“ ist kein gültiges Datum.", key) from None


def _amount(value: Any, key: str) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 10**15:
        raise Invalid(f"Feld „{key}“ muss ein Betrag in Euro sein.", key)
    return value


def _number(value: Any, key: str) -> str | None:
    """A decimal number, checked, kept as text (exact, and JSON has no decimals)."""
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise Invalid(f"Feld „{key}“ muss eine Zahl sein.", key) from None
    if not number.is_finite() or abs(number) >= 10**14:
        raise Invalid(f"Feld „{key}“ muss eine Zahl sein.", key)
    return str(number)


def _rows(facts: dict, key: str) -> list[dict]:
    rows = facts.get(key) or []
    if not isinstance(rows, list) or len(rows) > LIMITS["list"] or not all(isinstance(r, dict) for r in rows):
        raise Invalid(f"Feld „{key}“ muss eine Liste von höchstens {LIMITS['list']} Einträgen sein.", key)
    return rows


def _check_type(obj: Any, *expected: str) -> None:
    if not isinstance(obj, dict) or obj.get("type") not in expected:
        raise Invalid(f"Erwartet wird ein Objekt vom Typ {' oder '.join(expected)}.")
    _text(obj, "id", 500, required=True)


def _html(obj: dict) -> str:
    html = obj.get("content")
    return sanitize_html(html[: LIMITS["section"]]) if isinstance(html, str) else ""


def practice_fields_from_article(obj: dict) -> dict[str, Any]:
    """The fields of a practice from an ``Article``: from our extension when another Stadtnetz
    sent it, else from name and content alone. Markdown is rendered and HTML sanitised here."""
    _check_type(obj, "Article")
    fields: dict[str, Any] = {"content_html": _html(obj)}
    facts = obj.get("stadtnetzPractice")
    if facts is not None and not isinstance(facts, dict):
        raise Invalid("Feld „stadtnetzPractice“ muss ein Objekt sein.", "stadtnetzPractice")
    facts = facts or {}
    fields["title"] = (_text(facts, "title", LIMITS["title"])
                       or _text(obj, "name", LIMITS["title"], required=True))
    fields["teaser"] = _text(facts, "teaser", LIMITS["teaser"])
    sections = facts.get("sections") or {}
    if not isinstance(sections, dict):
        raise Invalid("Feld „sections“ muss ein Objekt sein.", "sections")
    for name, _label in SECTIONS:
        source = _text(sections, name, LIMITS["section"])
        fields[name], fields[f"{name}_html"] = source, render_markdown(source) if source else ""
    if not fields["teaser"]:
        fields["teaser"] = Markup(fields["content_html"]).striptags()[: LIMITS["teaser"]]
    status = facts.get("status")
    statuses = {s.value for s in PracticeStatus}
    fields["status"] = status if status in statuses else PracticeStatus.UMSETZUNG.value
    fields["topics"] = _topics(obj, facts)
    tags = [t.strip()[: LIMITS["tag"]] for t in facts.get("tags") or [] if isinstance(t, str) and t.strip()]
    fields["tags"] = tags[: LIMITS["list"]]
    fields["started_on"], fields["ended_on"] = (_date(facts.get(k), k) for k in ("startedOn", "endedOn"))
    for key, name in zip(("totalCost", "fundingAmount", "ownShare"), MONEY_FIELDS, strict=True):
        fields[name] = _amount(facts.get(key), key)
    fields["funding_programme"] = _text(facts, "fundingProgramme", LIMITS["funding_programme"])
    fields["contact_name"] = _text(facts, "contactName", LIMITS["contact_name"])
    fields["contact_role"] = _text(facts, "contactRole", LIMITS["contact_role"])
    fields["licence"] = _text(facts, "licence", LIMITS["licence"])
    fields["organisation_name"] = _text(facts, "organisation", 200)
    municipality = facts.get("municipality")
    fields["municipality"] = (
        {"ags": _text(municipality, "ags", 12), "name": _text(municipality, "name", 200),
         "land": _text(municipality, "land", 2)} if isinstance(municipality, dict) else None
    )
    fields["key_figures"] = [
        {"name": _text(row, "name", 200, required=True), "before": _number(row.get("before"), "before"),
         "after": _number(row.get("after"), "after"), "unit": _text(row, "unit", 40),
         "measured_on": _date(row.get("measuredOn"), "measuredOn")}
        for row in _rows(facts, "keyFigures")
    ]
    fields["partners"] = [{"name": _text(row, "name", 200, required=True), "role": _text(row, "role", 200)}
                          for row in _rows(facts, "partners")]
    return fields


def _topics(obj: dict, facts: dict) -> list[str]:
    """Our Handlungsfelder: from the facts, else from the hashtags we give them."""
    known = {topic.slug: topic for topic in Topic}
    if facts.get("topics"):
        return [slug for slug in facts["topics"] if isinstance(slug, str) and slug in known]
    by_name = {_hashtag(topic)["name"].lower(): topic.slug for topic in Topic}
    names = [tag.get("name") for tag in obj.get("tag") or [] if isinstance(tag, dict)]
    return [by_name[name.lower()] for name in names if isinstance(name, str) and name.lower() in by_name]


def note_fields(obj: dict) -> dict[str, Any]:
    """The fields of a forum contribution from a ``Note`` or ``Page`` (a Page has a title)."""
    _check_type(obj, "Note", "Page")
    html = _html(obj)
    if not html.strip():
        raise Invalid("Feld „content“ fehlt.", "content")
    return {"html": html, "title": _text(obj, "name", LIMITS["title"], required=obj["type"] == "Page")}


def event_fields(obj: dict) -> dict[str, Any]:
    """The fields of a webtalk from an ``Event`` (ours or Mobilizon's)."""
    _check_type(obj, "Event")
    starts_at = _datetime(obj.get("startTime"), "startTime")
    if starts_at is None:
        raise Invalid("Feld „startTime“ fehlt.", "startTime")
    ends_at = _datetime(obj.get("endTime"), "endTime")
    if ends_at is not None and ends_at < starts_at:
        raise Invalid("Das Ende liegt vor dem Beginn.", "endTime")
    timezone = obj.get("timezone")
    return {
        "title": _text(obj, "name", LIMITS["title"], required=True),
        "description_html": _html(obj),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "timezone": timezone if isinstance(timezone, str) and len(timezone) <= 64 else "",
        "room_url": _online_address(obj) or "",
    }


def _online_address(obj: dict) -> str | None:
    """Mobilizon's Link attachment named "Website", else the location's URL."""
    candidates = [a.get("href") for a in obj.get("attachment") or []
                  if isinstance(a, dict) and a.get("type") == "Link"]
    location = obj.get("location")
    candidates.append(location.get("url") if isinstance(location, dict) else location)
    return next((url for url in candidates if isinstance(url, str) and len(url) <= 500
                 and url.startswith(("https://", "http://"))), None)
