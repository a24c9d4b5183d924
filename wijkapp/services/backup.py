"""Backup and restore of the whole database, safe while the app keeps running.

SQLite: the sqlite3 online backup API copies a consistent snapshot page by page (a file copy of
a WAL database can miss committed pages). PostgreSQL: `pg_dump` in its custom format, restored
with `pg_restore`; both must be installed next to the app.
"""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import URL, Engine

from wijkapp.database import BUSY_TIMEOUT_MS


class BackupError(Exception):
    """Something the operator must fix; the message says what (Dutch, then English)."""


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("Deze SQLite-database staat niet in een bestand. / This SQLite database is not a file.")
    return Path(url.database)


def _libpq_url(url: URL) -> str:
    # pg_dump understands postgresql://…, not SQLAlchemy's postgresql+psycopg://…
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"'{name}' is niet gevonden. Installeer de PostgreSQL-clientprogramma's "
            f"(Debian/Ubuntu: apt install postgresql-client, dezelfde hoofdversie als de server). / "
            f"'{name}' was not found on PATH. Install the PostgreSQL client tools "
            f"(e.g. apt install postgresql-client, same major version as the server)."
        )
    return path


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} is mislukt / failed:\n{done.stderr.strip()}")


def backup(engine: Engine, target: Path) -> None:
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    url = engine.url
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(_sqlite_path(url), timeout=BUSY_TIMEOUT_MS / 1000)
        # Write next to the target and rename, so a half-written file never looks like a backup.
        partial = target.with_name(target.name + ".partial")
        partial.unlink(missing_ok=True)
        destination = sqlite3.connect(partial)
        try:
            with destination:
                source.backup(destination)
            destination.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            destination.close()
            source.close()
        partial.replace(target)
    elif url.get_backend_name() == "postgresql":
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target),
              "--dbname", _libpq_url(url)])
    else:
        raise BackupError(f"Geen backup voor database '{url.get_backend_name()}'. / Unsupported database.")


def _check_sqlite_backup(path: Path) -> None:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            result = connection.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise BackupError(f"Dit is geen bruikbare SQLite-backup. / Not a usable SQLite backup: {error}") from error
    if result != "ok":
        raise BackupError(f"De backup is beschadigd. / The backup is damaged: {result}")


def restore(engine: Engine, source: Path) -> None:
    """Replace the whole database by the backup. Close other connections first (`engine.dispose()`)."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"Bestand niet gevonden / File not found: {source}")
    url = engine.url
    engine.dispose()
    if url.get_backend_name() == "sqlite":
        _check_sqlite_backup(source)
        backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        live = sqlite3.connect(_sqlite_path(url), timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            # The backup API in reverse: takes the write lock and swaps all pages in one step,
            # so running workers see either the old or the restored database.
            backup_db.backup(live)
        finally:
            live.close()
            backup_db.close()
    elif url.get_backend_name() == "postgresql":
        _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
              "--exit-on-error", "--dbname", _libpq_url(url), str(source)])
    else:
        raise BackupError(f"Geen restore voor database '{url.get_backend_name()}'. / Unsupported database.")
