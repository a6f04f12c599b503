"""The JSON API, version 1, under ``/api/v1``: read-only, so it needs no CSRF token; errors are
JSON (see ``routes.bad_parameters`` and ``stadtnetz/errors.py``)."""

from flask import Blueprint

from ..extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# GET only for now; a writing route must bring its own authentication before this goes.
csrf.exempt(bp)

from . import forum, offers, openapi, routes  # noqa: E402,F401  (they register their routes on bp)
