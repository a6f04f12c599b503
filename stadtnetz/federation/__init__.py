"""ActivityPub federation: actors, keys, HTTP signatures, discovery, the inbox and delivery.

This ``__init__`` only makes the blueprint and imports the modules that add views to it, listen
to the features' signals (delivery) or register outbox handlers (processing).
"""

from flask import Blueprint

bp = Blueprint("federation", __name__)

from . import delivery, discovery, inbox, product_routes, routes  # noqa: E402, F401
