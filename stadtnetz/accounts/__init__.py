"""Users, organisations, memberships and roles; the permission policy lives in permissions.py."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)

from . import organisation_routes, routes  # noqa: E402,F401  (routes register on bp)
