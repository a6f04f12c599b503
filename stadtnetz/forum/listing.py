"""Helpers for the pages that list many posts or threads (a thread, a group): what is the same
for every entry is worked out once. Building a route with ``url_for`` or formatting a date with
Babel costs more than the rest of a list entry together.
"""

from collections.abc import Callable
from datetime import datetime
from functools import lru_cache

from flask import url_for
from flask_babel import format_datetime, get_locale, get_timezone

from . import bp

# Stands in for an id while a link pattern is built.
ANY_ID = 2_147_483_647


def per_entry(endpoint: str, **values) -> Callable[[int], str]:
    """``url_for(endpoint, **values)`` with ``ANY_ID`` among the values replaced by each
    entry's id: ``per_entry(".post", post_id=ANY_ID)(42)`` is the link of post 42."""
    head, _, tail = url_for(endpoint, **values).partition(str(ANY_ID))
    return lambda value: f"{head}{value}{tail}"


@bp.app_template_filter("forum_time")
def forum_time(moment: datetime) -> str:
    """``moment|datetimeformat("short")``, remembered per language and time zone: the times of
    a thread are formatted once per worker process, not on every visit."""
    return _formatted(moment, str(get_locale()), str(get_timezone()))


@lru_cache(maxsize=16_384)
def _formatted(moment: datetime, _locale: str, _timezone: str) -> str:
    return format_datetime(moment, "short")
