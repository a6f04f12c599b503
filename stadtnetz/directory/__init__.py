"""The municipality directory: AGS, Land, Kreis, population and size class of every Gemeinde."""

from flask import Blueprint

bp = Blueprint("directory", __name__)

from . import routes  # noqa: E402,F401  (routes register on bp)
