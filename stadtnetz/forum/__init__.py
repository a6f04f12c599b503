"""The forum: working groups (Arbeitsgruppen), threads and posts, moderation, notifications."""

from flask import Blueprint

bp = Blueprint("forum", __name__)

# Routes register on bp; privacy listens to signals, versions and inbox_count to flushes.
from . import (  # noqa: E402,F401
    group_routes,
    inbox_count,
    moderation_routes,
    notification_routes,
    practice_discussion,
    privacy,
    thread_routes,
    versions,
)
