"""Database behaviour that must be the same for every connection.

SQLite is the default and must hold up under concurrent writers: WAL so readers never block
the writer, a busy timeout so a writer waits instead of failing, foreign keys enforced, and
write requests that take the write lock at BEGIN (BEGIN IMMEDIATE) so two writers never
deadlock on a lock upgrade half-way through a transaction.

A busy write request may read first and take the write lock only for its writes
(`reads_before_writing` + `begin_writing`): its reads then run outside any transaction (each
statement on its own, never blocking a writer), and the write transaction still starts with
BEGIN IMMEDIATE. The resident form uses this: otherwise every submission holds the only write lock
while it validates the form, and under load the waiting writers sleep in SQLite's busy handler
(up to 100 ms a try) long after the lock is free.
"""
from __future__ import annotations

import sqlite3

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import event, text
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
    if has_request_context() and g.get("_reads_before_writing"):
        return  # no BEGIN: each read runs on its own until begin_writing()
    immediate = has_request_context() and request.method in WRITE_METHODS
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def reads_before_writing() -> None:
    """Call at the start of a write request whose reads need no write lock (before any query)."""
    g._reads_before_writing = True


def begin_writing(session) -> None:
    """From here on this request writes: on SQLite take the write lock now (BEGIN IMMEDIATE); a no-op
    when no `reads_before_writing` came first or on PostgreSQL, whose row locks need none of this."""
    if not g.pop("_reads_before_writing", False):
        return
    connection = session.connection()
    if connection.dialect.name == "sqlite" and not connection.connection.driver_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def answers(session) -> bool:
    """Whether the database answers a trivial query (the health check)."""
    try:
        session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        current_app.logger.exception("Health check: database did not answer")
        return False
    return True


def init_app(app: Flask) -> None:
    if not event.contains(Engine, "connect", _on_connect):
        event.listen(Engine, "connect", _on_connect)
        event.listen(Engine, "begin", _on_begin)
