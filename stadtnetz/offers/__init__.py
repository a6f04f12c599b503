"""Offers (Angebote) of solution providers and challenges (Gesuche) of municipalities:
providers meet municipalities without their offers drowning peer knowledge."""

from flask import Blueprint

bp = Blueprint("offers", __name__)

# Imported for their effect: the views register on bp (and a section on the practice page),
# privacy on the signals.
from . import challenge_routes, offer_routes, privacy  # noqa: E402,F401
