"""Atom feeds of new practices: all of them, per Handlungsfeld and per municipality. Only
published practices appear (the query starts from ``queries.published``); every entry links
to the practice's page on ``BASE_URL`` and carries its licence and credit line.

The feeds are written with feedgen, which produces well-formed Atom 1.0 and escapes every
text; the practice's rendered (already sanitised) HTML goes in as the entry's content.
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from feedgen.feed import FeedGenerator
from flask import Response, abort, current_app, render_template, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from ..accounts.models import Organisation
from ..directory.models import Municipality
from ..extensions import db
from ..web import page_section
from . import bp, queries
from .importer import credit_of
from .models import SECTIONS, Practice, PracticeTopic
from .services import LICENCES
from .topics import Topic

#: How many of the newest practices a feed holds; feed readers keep what they have seen.
FEED_LIMIT = 50
ATOM = "application/atom+xml; charset=utf-8"
#: A fixed "updated" for an empty feed, so that an unchanged feed stays byte-identical.
EPOCH = datetime(2024, 1, 1, tzinfo=UTC)


def absolute(path: str) -> str:
    """``path`` on the public ``BASE_URL``: ids and links stay the same behind any proxy."""
    return current_app.config["BASE_URL"] + path


def entry_content(practice: Practice) -> str:
    """The practice's sections as HTML, each under its heading."""
    return "".join(
        f"<h2>{Markup.escape(str(label))}</h2>{getattr(practice, f'{name}_html')}"
        for name, label in SECTIONS if getattr(practice, name)
    )


def atom_feed(title: str, page: str, self_endpoint: str, practices: list[Practice], **values) -> Response:
    """An Atom document listing ``practices`` (newest first) under ``title``; ``page`` is the
    path of the web page that shows the same practices."""
    feed = FeedGenerator()
    self_url = absolute(url_for(self_endpoint, **values))
    feed.id(self_url)
    feed.title(title)
    feed.subtitle(_("Neue Praxisbeispiele auf Stadtnetz"))
    feed.link(href=self_url, rel="self", type="application/atom+xml")
    feed.link(href=absolute(page), rel="alternate", type="text/html")
    feed.language("de")
    feed.generator("Stadtnetz")
    feed.updated(max((p.updated_at for p in practices), default=EPOCH))
    for practice in practices:
        entry = feed.add_entry(order="append")
        # The id outlives a new title (and so a new slug): feed readers must not see a new entry.
        entry.id(absolute(url_for("practices.show", practice_id=practice.id)))
        entry.title(practice.title)
        entry.link(href=absolute(practice.url), rel="alternate", type="text/html")
        entry.author(name=practice.organisation.name)
        entry.published(practice.published_at)
        entry.updated(practice.updated_at)
        entry.summary(practice.teaser or practice.title)
        entry.content(entry_content(practice), type="html")
        for topic in practice.topics:
            entry.category(term=topic.slug, label=str(topic.label))
        entry.rights(practice_rights(practice))
    return Response(feed.atom_str(pretty=True), mimetype=ATOM)


def practice_rights(practice: Practice) -> str:
    """The licence of a practice, with the credit an imported text asks for."""
    licence = LICENCES.get(practice.licence, practice.licence)
    credit = credit_of(practice.implementation)
    credit_text = credit[0] if credit else f"„{practice.title}“, {practice.organisation.name}"
    return f"{licence}; {credit_text}"


def newest(query: sa.Select) -> list[Practice]:
    """The newest published practices of ``query``."""
    return list(db.session.scalars(query.limit(FEED_LIMIT)))


@bp.route("/praxisbeispiele/feed.atom")
def feed():
    """The newest published practices of all organisations."""
    return atom_feed(_("Stadtnetz: neue Praxisbeispiele"), url_for("practices.browse"), "practices.feed",
                     newest(queries.published()))


@bp.route("/praxisbeispiele/handlungsfeld/<topic>/feed.atom")
def topic_feed(topic: str):
    """The newest published practices of one Handlungsfeld."""
    found = Topic.by_slug(topic) or abort(404)
    query = queries.published().join(PracticeTopic).where(PracticeTopic.topic == found.slug)
    return atom_feed(_("Stadtnetz: Praxisbeispiele zu %(topic)s", topic=found.label),
                     url_for("practices.browse", topic=found.slug), "practices.topic_feed", newest(query),
                     topic=found.slug)


@bp.route("/kommunen/<ags>/praxisbeispiele.atom")
def municipality_feed(ags: str):
    """The newest published practices of the organisations of one municipality."""
    municipality = db.first_or_404(sa.select(Municipality).where(Municipality.ags == ags))
    query = (queries.published().join(Organisation, Practice.organisation_id == Organisation.id)
             .where(Organisation.municipality_id == municipality.id))
    return atom_feed(_("Stadtnetz: Praxisbeispiele aus %(name)s", name=municipality.name),
                     url_for("directory.municipality", ags=municipality.ags), "practices.municipality_feed",
                     newest(query), ags=municipality.ags)


@bp.app_template_global()
def feed_topics(filters: dict[str, list[str]]) -> list[Topic]:
    """The Handlungsfelder a page is filtered on (``filters["topic"]``), for their feeds."""
    return [topic for slug in filters.get("topic", []) if (topic := Topic.by_slug(slug))]


@page_section("directory.municipality:head")
def municipality_feed_link(municipality: Municipality) -> str:
    """In the head of a municipality's page: its feed, for browsers and feed readers."""
    return render_template("practices/_feeds_head.html", feed_municipality=municipality)


@page_section("directory.municipality")
def municipality_feed_section(municipality: Municipality) -> str:
    """On a municipality's page: a visible link to its feed."""
    return render_template("practices/_feeds.html", feed_municipality=municipality)
