"""The migrations in migrations/ build exactly the schema the models describe, on both databases."""
from __future__ import annotations

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from tests.databases import BACKENDS, app_for, fresh_database, skip_unless_backend
from wijkapp.extensions import db


def _script(app) -> ScriptDirectory:
    with app.app_context():
        return ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())


def _differences() -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def _current_revision() -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def test_there_is_exactly_one_head(tmp_path):
    app = app_for(f"sqlite:///{tmp_path / 'heads.sqlite'}", tmp_path)
    heads = _script(app).get_heads()
    assert len(heads) == 1, f"two or more migration heads: {heads}; merge them (flask db merge)"


@pytest.fixture(params=BACKENDS)
def empty_app(request, tmp_path):
    skip_unless_backend(request.param)
    with fresh_database(request.param, tmp_path, "migrations") as url:
        app = app_for(url, tmp_path)
        with app.app_context():
            yield app
            db.session.remove()
            db.engine.dispose()


def test_upgrade_on_an_empty_database_reaches_head_and_matches_the_models(empty_app):
    flask_migrate.upgrade()

    assert _current_revision() == _script(empty_app).get_current_head()
    assert _differences() == [], "models and migrations differ: regenerate the migration"


def test_downgrade_to_base_and_upgrade_again(empty_app):
    flask_migrate.upgrade()
    flask_migrate.downgrade(revision="base")

    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    assert _current_revision() is None

    flask_migrate.upgrade()
    assert _current_revision() == _script(empty_app).get_current_head()
    assert _differences() == []


def test_team_revision_upgrades_a_database_in_use_and_the_old_app_still_fits(empty_app):
    """Expand only: rows written by the previous version survive, and what that version writes
    (an outbox row with its partnership) still fits the new schema."""
    from sqlalchemy import text

    flask_migrate.upgrade(revision="691af3c4f0f3")
    with db.engine.begin() as connection:
        connection.execute(text("INSERT INTO partnership (id, slug, name, neighbourhood, micro_question_1, "
                                "micro_question_2, cadence, contact_days_after_feedback, contact_max_months, "
                                "privacy_contact, created_at) VALUES (1, 'noord', 'Noord', '', 'a', 'b', '6w', 30, "
                                "12, '', CURRENT_TIMESTAMP)"))
        connection.execute(text("INSERT INTO outbox_message (partnership_id, to_address, subject, body, attempts, "
                                "last_error, next_attempt_at, created_at) VALUES (1, 'a@example.org', 'Oud', 'Tekst', "
                                "0, '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
    flask_migrate.upgrade()
    with db.engine.begin() as connection:
        assert connection.execute(text("SELECT subject FROM outbox_message")).scalars().all() == ["Oud"]
        connection.execute(text("INSERT INTO outbox_message (partnership_id, to_address, subject, body, attempts, "
                                "last_error, next_attempt_at, created_at) VALUES (NULL, 'b@example.org', 'Nieuw', "
                                "'Tekst', 0, '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
    assert _differences() == []
    # Back down: mail without a partnership has no place in the old schema and goes; the rest stays.
    flask_migrate.downgrade(revision="691af3c4f0f3")
    with db.engine.begin() as connection:
        assert connection.execute(text("SELECT subject FROM outbox_message")).scalars().all() == ["Oud"]


def test_contacts_revision_keeps_old_log_lines_and_the_old_app_still_writes_them(empty_app):
    """Expand only: three new tables and a column with a server default. A log line written the
    old way (without the new column) still fits, and a step back keeps every old row."""
    from sqlalchemy import text

    flask_migrate.upgrade(revision="cf155dad912c")
    old_update = ("INSERT INTO action_update (action_id, user_id, text, status_from, status_to, created_at) "
                  "VALUES (1, 1, :text, '', '', CURRENT_TIMESTAMP)")
    with db.engine.begin() as connection:
        connection.execute(text("INSERT INTO partnership (id, slug, name, neighbourhood, micro_question_1, "
                                "micro_question_2, cadence, contact_days_after_feedback, contact_max_months, "
                                "privacy_contact, created_at) VALUES (1, 'noord', 'Noord', '', 'a', 'b', '6w', 30, "
                                "12, '', CURRENT_TIMESTAMP)"))
        connection.execute(text("INSERT INTO user_account (id, email, name, password_hash, active, created_at, "
                                "session_token) VALUES (1, 'sam@example.org', 'Sam', 'x', :yes, CURRENT_TIMESTAMP, "
                                "'t')"), {"yes": True})
        connection.execute(text("INSERT INTO round (id, partnership_id, number, starts_on, created_at) "
                                "VALUES (1, 1, 1, CURRENT_DATE, CURRENT_TIMESTAMP)"))
        connection.execute(text(
            "INSERT INTO action (id, partnership_id, round_id, signal_summary, intended_result, title, description, "
            "owner_id, partners, first_step, first_step_on, check_on, feedback_sentence, choice_reason, "
            "over_limit_reason, status, stop_reason, version, created_at, updated_at) VALUES (1, 1, 1, '', '', "
            "'Drempel', '', 1, '', '', CURRENT_DATE, CURRENT_DATE, '', 'Veel genoemd', '', 'gepland', '', 1, "
            "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
        connection.execute(text(old_update), {"text": "Voor de upgrade"})
    flask_migrate.upgrade(revision="0ca6825abb94")
    with db.engine.begin() as connection:
        connection.execute(text(old_update), {"text": "Oude app na de upgrade"})
        rows = connection.execute(text("SELECT text, via_personal_link FROM action_update ORDER BY id")).all()
        assert [(t, bool(v)) for t, v in rows] == [("Voor de upgrade", False), ("Oude app na de upgrade", False)]
        connection.execute(text("INSERT INTO contact (partnership_id, user_id, organisation, gets_micro_survey, "
                                "created_at) VALUES (1, 1, 'Gemeente', :no, CURRENT_TIMESTAMP)"), {"no": False})
        connection.execute(text("INSERT INTO action_partner (action_id, user_id) VALUES (1, 1)"))
    flask_migrate.downgrade(revision="cf155dad912c")
    with db.engine.begin() as connection:
        assert connection.execute(text("SELECT text FROM action_update ORDER BY id")).scalars().all() == [
            "Voor de upgrade", "Oude app na de upgrade"]
        assert "contact" not in inspect(connection).get_table_names()


def test_instance_admin_revision_upgrades_a_database_in_use_and_the_old_app_still_fits(empty_app):
    """Expand only: an account and a partnership of the previous version survive (no beheerder, not
    in the wizard), and the previous version's inserts, which name neither column, still fit."""
    from sqlalchemy import text

    flask_migrate.upgrade(revision="0ca6825abb94")
    old_partnership = ("INSERT INTO partnership (id, slug, name, neighbourhood, micro_question_1, micro_question_2, "
                       "cadence, contact_days_after_feedback, contact_max_months, privacy_contact, created_at, "
                       "ranking_token, require_two_step) VALUES ({id}, '{slug}', 'Noord', '', 'a', 'b', '6w', 30, "
                       "12, '', CURRENT_TIMESTAMP, '', false)")
    old_user = ("INSERT INTO user_account (id, email, name, password_hash, active, created_at, session_token, "
                "totp_secret, totp_last_step) VALUES ({id}, '{email}', 'Sanne', 'x', true, CURRENT_TIMESTAMP, "
                "'t', '', 0)")
    with db.engine.begin() as connection:
        connection.execute(text(old_partnership.format(id=1, slug="noord")))
        connection.execute(text(old_user.format(id=1, email="sanne@example.org")))
        connection.execute(text("INSERT INTO membership (user_id, partnership_id, role, created_at) "
                                "VALUES (1, 1, 'coordinator', CURRENT_TIMESTAMP)"))
    flask_migrate.upgrade()
    assert _current_revision() == "4e7a9c2d1b08" == _script(empty_app).get_current_head()
    with db.engine.begin() as connection:
        assert connection.execute(text("SELECT email, is_instance_admin FROM user_account")).all() == [
            ("sanne@example.org", False)]
        assert connection.execute(text("SELECT slug, setup_step FROM partnership")).all() == [("noord", "")]
        # What the previous version writes, beside the new one.
        connection.execute(text(old_partnership.format(id=2, slug="zuid")))
        connection.execute(text(old_user.format(id=2, email="kees@example.org")))
        assert connection.execute(text("SELECT count(*) FROM user_account WHERE is_instance_admin")).scalar() == 0
        assert connection.execute(text("SELECT count(*) FROM membership")).scalar() == 1
    assert _differences() == []
    flask_migrate.downgrade(revision="0ca6825abb94")
    with db.engine.begin() as connection:
        assert connection.execute(text("SELECT email FROM user_account ORDER BY id")).scalars().all() == [
            "sanne@example.org", "kees@example.org"]
