"""Practices (Praxisbeispiele): what a municipality did, what came of it, and who took it up."""

from flask import Blueprint

from .. import search
from .topics import COST_RANGES, STATUS_LABELS, Topic

bp = Blueprint("practices", __name__)

search.facet_labels("topic", lambda: {topic.slug: str(topic.label) for topic in Topic})
search.facet_labels("status", lambda: {status.value: str(label) for status, label in STATUS_LABELS.items()})
search.facet_labels("cost_range", lambda: {slug: str(label) for slug, label, _low, _high in COST_RANGES})

# Imported for their effect: the views, feeds and open data register on bp, privacy on the signals.
from . import adoption_routes, attachment_routes, feeds, opendata, privacy, routes  # noqa: E402,F401
