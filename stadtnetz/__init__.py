"""Stadtnetz: the open network where German municipalities learn from each other.

``create_app`` builds the application: configuration, extensions, blueprints and CLI.
"""

import os
from pathlib import Path

from flask import Flask
from socketio import RedisManager

from . import config as config_module
from .extensions import babel, csrf, db, limiter, login_manager, migrate, socketio

PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """Find a top-level folder (``templates``, ``migrations``) in a checkout or an installed wheel.

    In a source checkout these folders sit beside the package; the wheel ships them inside the
    package as ``_<name>`` (see ``pyproject.toml``).
    """
    beside = PACKAGE_DIR.parent / name
    return beside if beside.is_dir() else PACKAGE_DIR / f"_{name}"


def create_app(config: object | dict | None = None) -> Flask:
    """Create a Stadtnetz app; ``config`` (an object or mapping) overrides the environment."""
    app = Flask(
        __name__,
        template_folder=str(resource_dir("templates")),
        instance_path=os.environ.get("STADTNETZ_INSTANCE_PATH") or None,
    )
    app.config.update(config_module.load(Path(app.instance_path)))
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    _init_extensions(app)
    _register_blueprints(app)

    from . import chrome, cli, errors, web

    errors.register_error_handlers(app)
    web.init_app(app)
    chrome.init_app(app)
    cli.register(app)
    return app


def _init_extensions(app: Flask) -> None:
    from . import database, i18n

    db.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, directory=str(resource_dir("migrations")), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    limiter.init_app(app)
    login_manager.init_app(app)
    # Flask-SocketIO keeps the manager of an earlier app's message queue on the shared extension,
    # so every app names its own: Redis when configured, else the in-process default (None).
    redis_url = app.config["REDIS_URL"]
    manager = RedisManager(redis_url, channel="flask-socketio") if redis_url else None
    socketio.init_app(app, message_queue=redis_url, client_manager=manager, async_mode="threading")


def _register_blueprints(app: Flask) -> None:
    from . import home
    from .accounts import bp as accounts_bp
    from .api import bp as api_bp
    from .directory import bp as directory_bp
    from .federation import bp as federation_bp
    from .federation.admin_routes import bp as federation_admin_bp
    from .forum import bp as forum_bp
    from .offers import bp as offers_bp
    from .practices import bp as practices_bp
    from .search import bp as search_bp
    from .webtalks import bp as webtalks_bp

    app.register_blueprint(home.bp)
    app.register_blueprint(directory_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(forum_bp)
    app.register_blueprint(practices_bp)
    app.register_blueprint(offers_bp)
    app.register_blueprint(search_bp)
    app.register_blueprint(webtalks_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(federation_bp)
    app.register_blueprint(federation_admin_bp)
