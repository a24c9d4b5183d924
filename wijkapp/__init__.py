"""Wijkapp: a short application factory made of register_* steps."""
from __future__ import annotations

from pathlib import Path

from flask import Flask

from wijkapp.config import load_config

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    test_config = dict(test_config or {})
    app = Flask(
        __name__,
        # Tests pass their own INSTANCE_PATH so they never touch the real instance/ folder.
        instance_path=str(test_config.pop("INSTANCE_PATH", None) or PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.update(load_config(Path(app.instance_path)))
    if test_config:
        app.config.update(test_config)

    register_extensions(app)
    register_blueprints(app)
    register_cli(app)
    register_request_hooks(app)
    return app


def register_extensions(app: Flask) -> None:
    from wijkapp import database, sessions
    from wijkapp.extensions import csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Log in om verder te gaan."
    login_manager.login_message_category = "info"
    sessions.init_app(app)
    from wijkapp.services import ranking

    ranking.init_app(app)  # the ranking cache and the flush hook that keeps it valid


def register_blueprints(app: Flask) -> None:
    from wijkapp.audiences import (account, admin, auth, calendar, coordinator, expert, feedback, host, mine,
                                   personal, professional, public)

    for module in (public, feedback, auth, account, host, professional, expert, coordinator, mine, calendar,
                   personal, admin):
        app.register_blueprint(module.bp)


def register_cli(app: Flask) -> None:
    from wijkapp import cli

    cli.init_app(app)


def register_request_hooks(app: Flask) -> None:
    from wijkapp import web

    web.init_app(app)
