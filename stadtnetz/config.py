"""Configuration read from ``STADTNETZ_*`` environment variables, with safe defaults.

Development needs nothing set: SQLite and the secret key live in the instance folder and mail
is written there too. Production (``STADTNETZ_ENV=production``) refuses to start without a
real secret key and a public base URL.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

PREFIX = "STADTNETZ_"
DEFAULT_RATE_LIMIT_STORAGE = "memory://"


class ConfigError(RuntimeError):
    """The configuration cannot work; the message says which variable to set."""


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(PREFIX + name)
    return value if value not in (None, "") else default


def _secret_key(instance_path: Path, production: bool) -> str:
    """Return the secret key; in development generate one once and keep it."""
    key = _env("SECRET_KEY")
    if key:
        if production and len(key) < 32:
            raise ConfigError("STADTNETZ_SECRET_KEY must be at least 32 characters in production.")
        return key
    if production:
        raise ConfigError("STADTNETZ_SECRET_KEY must be set in production.")
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def load(instance_path: Path) -> dict:
    """Build the Flask config mapping from the environment."""
    production = _env("ENV", "development") == "production"
    base_url = _env("BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    if production and not base_url.startswith("https://"):
        raise ConfigError("STADTNETZ_BASE_URL must be an https:// URL in production.")
    secure_cookies = base_url.startswith("https://")
    redis_url = _env("REDIS_URL")
    return {
        "ENV_NAME": "production" if production else "development",
        "SECRET_KEY": _secret_key(instance_path, production),
        "BASE_URL": base_url,
        "SQLALCHEMY_DATABASE_URI": _env(
            "DATABASE_URL", f"sqlite:///{instance_path / 'stadtnetz.sqlite3'}"
        ),
        "REDIS_URL": redis_url,
        "SEARCH_INDEX_DIR": _env("SEARCH_INDEX_DIR", str(instance_path / "search-index")),
        "ATTACHMENT_DIR": _env("ATTACHMENT_DIR", str(instance_path / "attachments")),
        "WEBTALK_EMBED_ORIGINS": [
            origin.strip().rstrip("/") for origin in (_env("WEBTALK_EMBED_ORIGINS") or "").split(",")
            if origin.strip()
        ],
        "MAIL_URL": _env("MAIL_URL"),
        "MAIL_SENDER": _env("MAIL_SENDER", "Stadtnetz <noreply@localhost>"),
        "MAIL_DIR": str(instance_path / "mail"),
        "FEDERATION": _env("FEDERATION", "allowlist"),
        # Outgoing federation requests may reach 127.0.0.0/8 only when this is set (tests, demos).
        "FEDERATION_ALLOW_LOOPBACK": _env("FEDERATION_ALLOW_LOOPBACK", "0") == "1",
        "MAX_CONTENT_LENGTH": int(_env("MAX_CONTENT_LENGTH", str(16 * 1024 * 1024))),
        "RATELIMIT_STORAGE_URI": redis_url or DEFAULT_RATE_LIMIT_STORAGE,
        "RATELIMIT_ENABLED": _env("RATELIMIT_ENABLED", "1") == "1",
        "RUN_WORKERS": False,
        "SESSION_COOKIE_SECURE": secure_cookies,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": secure_cookies,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_DURATION": timedelta(days=30),
        "PROXY_COUNT": int(_env("PROXY_COUNT", "0")),
        "PREFERRED_URL_SCHEME": "https" if secure_cookies else "http",
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "de",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Berlin",
        "LANGUAGES": ("de", "en"),
        "TOKEN_MAX_AGE": 60 * 60 * 48,
    }


class TestConfig:
    """Overrides for the test suite: fast hashing, no CSRF tokens needed by hand."""

    TESTING = True
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    SERVER_NAME = "localhost"
    BASE_URL = "http://localhost"
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
