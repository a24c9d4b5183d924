"""Backup and restore: a round trip with the demo data gives back every table, row for row."""
from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import MetaData, create_engine, select, text

from tests.databases import BACKENDS, app_for, fresh_database, skip_unless_backend
from wijkapp.extensions import db
from wijkapp.services import backup


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table (the Alembic version too), in primary-key order."""
    metadata = MetaData()
    metadata.reflect(bind=db.engine)
    with db.engine.connect() as connection:
        return {
            name: [tuple(row) for row in connection.execute(
                select(table).order_by(*(table.primary_key.columns or table.columns)))]
            for name, table in sorted(metadata.tables.items())
        }


@pytest.fixture(params=BACKENDS)
def demo_app(request, tmp_path):
    skip_unless_backend(request.param)
    with fresh_database(request.param, tmp_path, "backup") as url:
        app = app_for(url, tmp_path)
        runner = app.test_cli_runner()
        for args in (["db", "upgrade"], ["demo", "--password", "demo-wachtwoord-123"]):
            result = runner.invoke(args=args)
            assert result.exit_code == 0, result.output
        with app.app_context():
            yield app, runner
            db.session.remove()
            db.engine.dispose()


def test_backup_wipe_restore_gives_back_every_row(demo_app, tmp_path):
    app, runner = demo_app
    before = snapshot()
    assert len(before["signal"]) == 190 and before["alembic_version"]
    target = tmp_path / "backups" / "wijkapp.backup"

    made = runner.invoke(args=["backup", str(target)])
    assert made.exit_code == 0, made.output
    assert target.stat().st_size > 0

    db.session.remove()
    db.drop_all()
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    assert snapshot() == {}

    refused = runner.invoke(args=["restore", str(target)], input="n\n")
    assert refused.exit_code != 0 and "Doorgaan?" in refused.output
    assert snapshot() == {}

    restored = runner.invoke(args=["restore", "--yes", str(target)])
    assert restored.exit_code == 0, restored.output
    assert snapshot() == before


def test_sqlite_backup_is_consistent_while_a_writer_holds_a_transaction(tmp_path):
    app = app_for(f"sqlite:///{tmp_path / 'live.sqlite'}", tmp_path)
    with app.app_context():
        db.create_all()
        db.session.execute(text("INSERT INTO partnership (slug, name, neighbourhood, micro_question_1, "
                                "micro_question_2, contact_days_after_feedback, contact_max_months, "
                                "privacy_contact, created_at) VALUES ('a', 'A', '', '', '', 30, 12, '', "
                                "CURRENT_TIMESTAMP)"))
        db.session.commit()
        writer = sqlite3.connect(db.engine.url.database, isolation_level=None)
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE partnership SET name = 'half way'")
        try:
            backup.backup(db.engine, tmp_path / "copy.sqlite")  # must not wait for or fail on the writer
        finally:
            writer.execute("ROLLBACK")
            writer.close()
    with sqlite3.connect(tmp_path / "copy.sqlite") as copy:
        assert copy.execute("SELECT name FROM partnership").fetchall() == [("A",)]
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_without_pg_dump_the_error_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(backup.shutil, "which", lambda _name: None)
    engine = create_engine("postgresql+psycopg://wijkapp@127.0.0.1/wijkapp")  # never connects
    with pytest.raises(backup.BackupError, match="postgresql-client"):
        backup.backup(engine, tmp_path / "x.dump")


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    app = app_for(f"sqlite:///{tmp_path / 'live.sqlite'}", tmp_path)
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("dit is geen database " * 100)
    with app.app_context():
        db.create_all()
        result = app.test_cli_runner().invoke(args=["restore", "--yes", str(not_a_backup)])
        assert result.exit_code != 0
        assert "geen bruikbare SQLite-backup" in result.output
        assert "partnership" in db.inspect(db.engine).get_table_names()
