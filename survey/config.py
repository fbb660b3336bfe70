"""Settings read and validated once from the environment; a bad value fails with one line."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ENVIRONMENTS = ("development", "production", "testing")


class ConfigError(RuntimeError):
    """A setting in the environment is missing or invalid."""


def _instance_dir(env: Mapping[str, str]) -> Path:
    return Path(env.get("SURVEY_INSTANCE_DIR", Path.cwd() / "instance")).resolve()


def _secret_key(env: Mapping[str, str], environment: str, instance: Path) -> str:
    key = env.get("SECRET_KEY", "")
    if key:
        if len(key) < 16:
            raise ConfigError("SECRET_KEY: must be at least 16 characters")
        return key
    if environment != "development":
        raise ConfigError("SECRET_KEY: required outside development (set a long random value)")
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 0) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}: {raw!r} is not a whole number") from None
    if value < minimum:
        raise ConfigError(f"{name}: must be at least {minimum}, got {value}")
    return value


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if raw == "":
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name}: {raw!r} is not a yes/no value (use true or false)")


def _header(env: Mapping[str, str], name: str, default: str) -> str:
    """Return a setting that goes into a mail header: one line, or the mail cannot be built."""
    value = env.get(name, default)
    if any(ord(char) < 32 or ord(char) == 127 for char in value):
        raise ConfigError(f"{name}: must be one line, without line breaks or control characters")
    return value


def _database_url(env: Mapping[str, str], instance: Path) -> str:
    url = env.get("DATABASE_URL", "")
    if not url:
        instance.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{instance / 'survey.db'}"
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if not url.startswith(("sqlite:", "postgresql+psycopg:")):
        raise ConfigError(f"DATABASE_URL: unsupported database {url.split(':')[0]!r}")
    return url


def load_config(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Build the Flask configuration from environment variables (os.environ by default)."""
    env = os.environ if env is None else env
    environment = env.get("SURVEY_ENV", "development").strip().lower()
    if environment not in ENVIRONMENTS:
        raise ConfigError(f"SURVEY_ENV: {environment!r} is not one of {', '.join(ENVIRONMENTS)}")
    instance = _instance_dir(env)
    timezone = env.get("SURVEY_TIMEZONE", "Europe/Stockholm")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"SURVEY_TIMEZONE: unknown time zone {timezone!r}") from None
    smtp_security = env.get("SMTP_SECURITY", "starttls").lower()
    if smtp_security not in ("none", "starttls", "tls"):
        raise ConfigError("SMTP_SECURITY: must be none, starttls or tls")
    development = environment == "development"
    return {
        "SURVEY_ENV": environment,
        "SURVEY_INSTANCE_DIR": str(instance),
        "SECRET_KEY": _secret_key(env, environment, instance),
        "SQLALCHEMY_DATABASE_URI": _database_url(env, instance),
        # A connection is pinged as it leaves the pool: one lost with a database restart is
        # replaced before a request uses it.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SURVEY_BASE_URL": env.get("SURVEY_BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "SURVEY_TIMEZONE": timezone,
        "SURVEY_MIN_GROUP_SIZE": _int(env, "SURVEY_MIN_GROUP_SIZE", 7, minimum=1),
        "SURVEY_CONTACT_EMAIL": _header(env, "SURVEY_CONTACT_EMAIL", "naringsliv@example.se"),
        "SURVEY_CONTACT_NAME": _header(env, "SURVEY_CONTACT_NAME", "Näringslivsenheten"),
        "SURVEY_MAIL_FROM": _header(env, "SURVEY_MAIL_FROM", "noreply@example.se"),
        "SURVEY_RETENTION_MONTHS": _int(env, "SURVEY_RETENTION_MONTHS", 0),
        # Working days (Swedish holidays not counted) a new follow-up has until it is due.
        "SURVEY_FOLLOWUP_DAYS": _int(env, "SURVEY_FOLLOWUP_DAYS", 5, minimum=1),
        "SURVEY_PROXY_COUNT": _int(env, "SURVEY_PROXY_COUNT", 0),
        "SMTP_HOST": env.get("SMTP_HOST", ""),
        "SMTP_PORT": _int(env, "SMTP_PORT", 587, minimum=1),
        "SMTP_USER": env.get("SMTP_USER", ""),
        "SMTP_PASSWORD": env.get("SMTP_PASSWORD", ""),
        "SMTP_SECURITY": smtp_security,
        "SMTP_TIMEOUT": _int(env, "SMTP_TIMEOUT", 30, minimum=1),
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "survey+db://"),
        "RATELIMIT_ENABLED": _bool(env, "RATELIMIT_ENABLED", True),
        "WTF_CSRF_TIME_LIMIT": None,
        # Every request body (forms); views that take a file allow SURVEY_MAX_UPLOAD_BYTES.
        "MAX_CONTENT_LENGTH": _int(env, "SURVEY_MAX_FORM_BYTES", 1024 * 1024, minimum=1024),
        "MAX_FORM_MEMORY_SIZE": 500_000,  # one text field of a multipart form
        "MAX_FORM_PARTS": 1_000,  # fields of a form, multipart or url-encoded
        "SURVEY_MAX_UPLOAD_BYTES": _int(
            env, "SURVEY_MAX_UPLOAD_BYTES", 20 * 1024 * 1024, minimum=1024
        ),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool(env, "SESSION_COOKIE_SECURE", not development),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _bool(env, "SESSION_COOKIE_SECURE", not development),
        "BABEL_DEFAULT_LOCALE": "sv",
        "BABEL_DEFAULT_TIMEZONE": timezone,
        "LANGUAGES": ("sv", "en"),
    }
