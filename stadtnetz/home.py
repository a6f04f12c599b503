"""The start page, the language switch and the operators' health endpoint."""

import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from .database import migration_heads
from .extensions import db
from .i18n import SESSION_KEY
from .web import safe_next

bp = Blueprint("home", __name__)


@bp.route("/")
def index():
    """Start page."""
    return render_template("home/index.html")


@bp.post("/sprache")
def set_language():
    """Switch the interface language for this visitor (and the user's setting, if logged in)."""
    locale = request.form.get("locale")
    if locale in current_app.config["LANGUAGES"]:
        session[SESSION_KEY] = locale
        if current_user.is_authenticated:
            current_user.locale = locale
            db.session.commit()
    return redirect(safe_next(request.form.get("next")))


@bp.route("/healthz")
def healthz():
    """Database reachable and migrations current: 200, else 503 with the reason."""
    try:
        db.session.execute(sa.text("SELECT 1"))
        current, heads = migration_heads()
    except SQLAlchemyError as error:
        return jsonify(status="error", database=f"unreachable: {type(error).__name__}"), 503
    if current != heads:
        return jsonify(
            status="error", database="ok", migrations="pending",
            current=sorted(current), expected=sorted(heads),
        ), 503
    return jsonify(status="ok", database="ok", migrations="current")
