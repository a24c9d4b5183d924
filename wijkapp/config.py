"""Configuration read from the environment (see README.md for every setting)."""
from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def read_or_create_secret(path: Path, make: Callable[[], str]) -> str:
    """The secret stored in `path`, written once (mode 600) when it does not exist yet.

    O_EXCL: when several gunicorn workers start at once, exactly one writes it; the others read it.
    """
    if path.exists():
        return path.read_text().strip()
    value = make()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(value)
    return value


def _secret_key(instance_path: Path) -> str:
    """SECRET_KEY from the environment, or one generated once and kept in instance/."""
    return os.environ.get("SECRET_KEY") or read_or_create_secret(
        instance_path / "secret_key", lambda: secrets.token_hex(32))


def _database_url(instance_path: Path) -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{instance_path / 'wijkapp.sqlite'}"
    # Hosting platforms still hand out postgres:// URLs; SQLAlchemy wants a driver name.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://"):]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def _minutes(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def load_config(instance_path: Path) -> dict:
    instance_path.mkdir(parents=True, exist_ok=True)
    idle_minutes = _minutes("SESSION_IDLE_MINUTES", 8 * 60)
    absolute_minutes = _minutes("SESSION_ABSOLUTE_MINUTES", 24 * 60)
    database_url = _database_url(instance_path)
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url,
        # A ping before every checkout finds PostgreSQL connections that died with a server restart;
        # a SQLite file cannot go away like that, and the ping costs every request a round trip.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": not database_url.startswith("sqlite")},
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", "http://localhost:5000").rstrip("/"),
        # A host may leave a tablet open all day: a form stays valid for 24 hours (WCAG 2.2.1).
        "WTF_CSRF_TIME_LIMIT": int(timedelta(hours=24).total_seconds()),
        # A login ends after this long without a request, and in any case this long after logging in.
        "SESSION_IDLE_MINUTES": idle_minutes,
        "SESSION_ABSOLUTE_MINUTES": absolute_minutes,
        "PERMANENT_SESSION_LIFETIME": timedelta(minutes=absolute_minutes),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE", False),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "RATELIMIT_ENABLED": _flag("RATELIMIT_ENABLED", True),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": False,
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        "PROXY_FIX_HOPS": int(os.environ.get("PROXY_FIX_HOPS", "0") or 0),
        # Messages to residents; without SMTP_HOST they wait in the outbox.
        "SMTP_HOST": os.environ.get("SMTP_HOST", "").strip(),
        "SMTP_PORT": int(os.environ.get("SMTP_PORT", "587") or 587),
        "SMTP_USERNAME": os.environ.get("SMTP_USERNAME", ""),
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD", ""),
        "SMTP_STARTTLS": _flag("SMTP_STARTTLS", True),
        "SMTP_TIMEOUT": 15,
        "MAIL_FROM": os.environ.get("MAIL_FROM", "Wijkapp <wijkapp@localhost>"),
    }
