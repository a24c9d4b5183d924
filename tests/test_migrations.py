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
