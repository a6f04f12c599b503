"""Search: one Whoosh index for every searchable kind of content, German-aware.

Features mark a model ``@search.searchable(kind, label)`` and give it ``search_document()``;
changes reach the index through the outbox (``indexing``). ``search()``, ``more_like_this()``
and ``suggest()`` answer for a viewer, showing only what the viewer's audiences may see.
``SearchEngine`` (``engine``) is the same index without Flask, for the benchmark.
"""

from flask import Blueprint

from .engine import SearchEngine
from .service import (
    audience_provider,
    audiences_for,
    facet_labels,
    is_pending,
    more_like_this,
    queue_reindex,
    search,
    searchable,
    suggest,
)

bp = Blueprint("search", __name__)

__all__ = [
    "SearchEngine", "audience_provider", "audiences_for", "bp", "facet_labels", "is_pending",
    "more_like_this", "queue_reindex", "search", "searchable", "suggest",
]

from . import routes  # noqa: E402,F401  (routes register on bp)
