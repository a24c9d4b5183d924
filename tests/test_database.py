"""SQLite holds up under concurrent writers: pragmas on every connection, writers wait instead of failing."""
from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import text

from tests.conftest import count
from wijkapp.database import BUSY_TIMEOUT_MS
from wijkapp.extensions import db
from wijkapp.models import Partnership, Signal, Source
from wijkapp.services.intake import record_signal


@pytest.fixture
def sqlite_only(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite pragmas; PostgreSQL has no such settings")


def test_pragmas_are_in_force_on_a_fresh_connection(app, sqlite_only):
    with app.app_context():
        db.engine.dispose()  # no pooled connection: the next one is new
        with db.engine.connect() as connection:
            pragma = lambda name: connection.execute(text(f"PRAGMA {name}")).scalar()  # noqa: E731
            assert pragma("journal_mode") == "wal"
            assert pragma("busy_timeout") == BUSY_TIMEOUT_MS
            assert pragma("foreign_keys") == 1
            assert pragma("synchronous") == 1  # NORMAL: safe with WAL, one fsync per checkpoint


def test_foreign_keys_are_enforced(app, sqlite_only):
    with app.app_context():
        with pytest.raises(Exception, match="FOREIGN KEY"):
            db.session.execute(text("INSERT INTO location (partnership_id, code, name, description, is_active, "
                                    "created_at) VALUES (9999, 'zzzzzz', 'x', '', 1, CURRENT_TIMESTAMP)"))
            db.session.commit()
        db.session.rollback()


def test_two_concurrent_writer_requests_both_succeed(app, make):
    """Each writer reads, waits, then writes in one transaction: with a deferred BEGIN the second
    writer's lock upgrade fails at once ("database is locked"); BEGIN IMMEDIATE makes it wait.
    On PostgreSQL both run in parallel and both are the partnership's first signal: both create round 1."""
    partnership = make.partnership()
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            with app.test_request_context("/", method="POST"):
                start.wait(timeout=10)
                p = db.session.get(Partnership, partnership.id)
                count(Signal)
                time.sleep(0.3)  # both transactions are open at the same time
                record_signal(p, f"Gelijktijdig signaal {n}", Source.RESIDENT_QR)
                db.session.commit()
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    with app.app_context():
        assert sorted(db.session.scalars(db.select(Signal.text))) == ["Gelijktijdig signaal 1", "Gelijktijdig signaal 2"]
