"""Database behaviour that must be the same for every connection.

SQLite is the default and must hold up under concurrent writers: WAL so readers never block
the writer, a busy timeout so a writer waits instead of failing, foreign keys enforced, and
write requests that take the write lock at BEGIN (BEGIN IMMEDIATE) so two writers never
deadlock on a lock upgrade half-way through a transaction.
"""
from __future__ import annotations

import sqlite3

from flask import Flask, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
BUSY_TIMEOUT_MS = 15_000


def _on_connect(dbapi_connection, _record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Let SQLAlchemy's "begin" event decide how a transaction starts (pysqlite would otherwise
    # issue its own deferred BEGIN lazily).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _on_begin(connection) -> None:
    if connection.dialect.name != "sqlite":
        return
    immediate = has_request_context() and request.method in WRITE_METHODS
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def init_app(app: Flask) -> None:
    if not event.contains(Engine, "connect", _on_connect):
        event.listen(Engine, "connect", _on_connect)
        event.listen(Engine, "begin", _on_begin)
