"""Renderings kept in each worker process and filled in per request.

A page part that is the same for every viewer of the same kind (the header and footer every
page carries, a page of a thread's posts) is rendered once under a key that holds everything it
depends on, and kept in an LRU of at most ``CACHE_SIZE`` characters per app, so per worker
process. What is the viewer's own (their name, a CSRF token, a "neu" badge) stands in the
rendering as a marker ``<!--§kind id-->`` and is filled in for each request. Keys that hold a
version read from the database (see ``forum/versions.py``) make a change visible to every
process with the next page; an outdated rendering is simply never asked for again.
"""

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

from cachetools import LRUCache
from flask import current_app, g, request
from flask_babel import get_locale, get_timezone
from markupsafe import Markup

# Characters of HTML kept per process (a page of 20 posts is some 20,000 to 60,000).
CACHE_SIZE = 32_000_000
# bleach strips comments from user text, so only templates write these.
MARKER = re.compile(r"<!--§(\w+) (\d+)-->")
EXTENSION = "renderings"

# One cache per app (so per worker process, and per test), made on first use under the lock.
_lock = threading.Lock()


@dataclass(frozen=True)
class Fragment:
    """A rendering split at its markers (text, kind, id, text, …) and the entries it shows
    (light records, for whoever needs more of the rendering than its HTML)."""

    pieces: tuple[str, ...]
    entries: tuple = ()

    def size(self) -> int:
        return sum(map(len, self.pieces))

    def fill(self, fillers: dict[str, Callable[[int], str]]) -> Markup:
        """The HTML with each marker replaced by ``fillers[kind](id)``."""
        pieces = self.pieces
        out = [pieces[0]]
        for i in range(1, len(pieces), 3):
            out.append(fillers[pieces[i]](int(pieces[i + 1])))
            out.append(pieces[i + 2])
        return Markup("".join(out))


def fragment(html: str, entries=()) -> Fragment:
    return Fragment(tuple(MARKER.split(html)), tuple(entries))


def without_token(html: str) -> Fragment:
    """``html`` with the request's CSRF token (if the rendering asked for one) as a marker."""
    token = g.get("csrf_token")
    return fragment(html.replace(token, "<!--§csrf 0-->") if token else html)


def cached(key: tuple, make: Callable[[], Fragment]) -> Fragment:
    """The rendering under ``key`` (plus language, time zone and mount point), made on a miss."""
    key = (*key, str(get_locale()), str(get_timezone()), request.script_root)
    with _lock:
        cache = current_app.extensions.get(EXTENSION)
        if cache is None:
            cache = current_app.extensions[EXTENSION] = LRUCache(CACHE_SIZE, getsizeof=Fragment.size)
        found = cache.get(key)
    if found is None:
        found = make()
        with _lock:
            cache[key] = found
    return found
