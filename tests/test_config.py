"""Configuration: safe development defaults, and production refuses to start unsafely."""

import pytest

from stadtnetz import create_app
from stadtnetz.config import ConfigError


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    for name in ("ENV", "SECRET_KEY", "BASE_URL", "DATABASE_URL", "REDIS_URL", "MAIL_URL"):
        monkeypatch.delenv(f"STADTNETZ_{name}", raising=False)
    monkeypatch.setenv("STADTNETZ_DATABASE_URL", f"sqlite:///{tmp_path / 'c.sqlite3'}")
    monkeypatch.setenv("STADTNETZ_INSTANCE_PATH", str(tmp_path / "instance"))
    return monkeypatch


def test_production_refuses_to_start_without_a_secret_key(clean_env):
    clean_env.setenv("STADTNETZ_ENV", "production")
    clean_env.setenv("STADTNETZ_BASE_URL", "https://stadtnetz.example")
    with pytest.raises(ConfigError, match="STADTNETZ_SECRET_KEY"):
        create_app()


def test_production_refuses_a_short_secret_key(clean_env):
    clean_env.setenv("STADTNETZ_ENV", "production")
    clean_env.setenv("STADTNETZ_BASE_URL", "https://stadtnetz.example")
    clean_env.setenv("STADTNETZ_SECRET_KEY", "geheim")
    with pytest.raises(ConfigError, match="at least 32"):
        create_app()


def test_production_requires_an_https_base_url(clean_env):
    clean_env.setenv("STADTNETZ_ENV", "production")
    clean_env.setenv("STADTNETZ_SECRET_KEY", "x" * 40)
    clean_env.setenv("STADTNETZ_BASE_URL", "http://stadtnetz.example")
    with pytest.raises(ConfigError, match="https"):
        create_app()


def test_production_with_https_gets_secure_cookies(clean_env):
    clean_env.setenv("STADTNETZ_ENV", "production")
    clean_env.setenv("STADTNETZ_SECRET_KEY", "x" * 40)
    clean_env.setenv("STADTNETZ_BASE_URL", "https://stadtnetz.example/")
    app = create_app()
    assert app.config["BASE_URL"] == "https://stadtnetz.example"
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_development_generates_and_keeps_a_secret_key(clean_env, tmp_path):
    first = create_app()
    second = create_app()
    assert len(first.config["SECRET_KEY"]) == 64
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert (tmp_path / "instance" / "secret_key").stat().st_mode & 0o077 == 0
