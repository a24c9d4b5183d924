"""Empty databases of their own for tests that need a whole database (migrations, backup/restore).

The shared test tables of conftest's `app` fixture are not enough there: a migration or a pg_dump
works on the whole database, so each test gets a new SQLite file or a new PostgreSQL database
next to TEST_DATABASE_URL's, dropped afterwards.
"""
from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy.engine import make_url

from wijkapp import create_app

BACKENDS = ["sqlite", "postgresql"]


def postgres_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL", "").strip()
    return url if url.startswith(("postgresql://", "postgresql+psycopg://")) else None


def skip_unless_backend(backend: str) -> None:
    if backend == "postgresql" and postgres_url() is None:
        pytest.skip("PostgreSQL: set TEST_DATABASE_URL=postgresql://… to run this on PostgreSQL too")


@contextmanager
def fresh_database(backend: str, tmp_path, name: str) -> Iterator[str]:
    """Yield the SQLAlchemy URL of a new, empty database; drop it afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / (name + '.sqlite')}"
        return
    import psycopg

    base = make_url(postgres_url()).set(drivername="postgresql+psycopg")
    database = f"{base.database}_{name}_{secrets.token_hex(4)}"[:63]
    admin = base.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{database}"')
    try:
        yield base.set(database=database).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def app_for(url: str, tmp_path):
    return create_app({
        "TESTING": True,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": url,
        "RATELIMIT_ENABLED": False,
    })
