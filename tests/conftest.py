"""Fixtures in the shape of Flask's tutorial: app, client, runner, plus factories and login.

The schema is made once per test session: in a SQLite file in a session tmp dir, or, when
TEST_DATABASE_URL is set (CI does this for PostgreSQL), in that database. Every test gets a fresh
app on it and finds the tables empty: after each test every row is deleted again (and ids start at
1 again). Tests that need a whole database of their own use tests/databases.py.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date, datetime

import pytest

from wijkapp import create_app
from wijkapp.extensions import db, limiter
from wijkapp.models import Action, Bundle, Feedback, Location, Partnership, Role, Round, Signal, Source, User
from wijkapp.services import accounts, actions, bundling, contacts, locations, rounds
from wijkapp.services import feedback as feedback_service
from wijkapp.services.intake import record_signal

PASSWORD = "correct-horse-battery"
PUBLIC_BASE_URL = "https://wijk.example.nl"


def _database_url(tmp_path) -> str:
    url = os.environ.get("TEST_DATABASE_URL", "").strip()
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url or f"sqlite:///{tmp_path / 'test.sqlite'}"


def pytest_addoption(parser):
    parser.addoption("--screenshots", action="store_true", default=False,
                     help="write the browser tests' screenshots to docs/screenshots/ (also: WIJKAPP_SCREENSHOTS=1)")


def screenshots_requested(config) -> bool:
    return config.getoption("--screenshots") or os.environ.get("WIJKAPP_SCREENSHOTS", "").strip() == "1"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """The test database with the schema made once for the whole session (dropped at the end on PostgreSQL)."""
    url = _database_url(tmp_path_factory.mktemp("database"))
    schema_app = create_app({"TESTING": True, "SECRET_KEY": "test-secret-key", "RATELIMIT_ENABLED": False,
                             "INSTANCE_PATH": str(tmp_path_factory.mktemp("instance")),
                             "SQLALCHEMY_DATABASE_URI": url})
    with schema_app.app_context():
        db.drop_all()  # what an interrupted earlier run may have left in TEST_DATABASE_URL
        db.create_all()
        db.session.remove()
        db.engine.dispose()
    yield url
    with schema_app.app_context():
        if db.engine.dialect.name != "sqlite":
            db.drop_all()
        db.engine.dispose()


def _delete_all_rows() -> None:
    """Empty every table in one transaction, children first, and let ids start at 1 again."""
    tables = db.metadata.sorted_tables
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(connection.dialect.identifier_preparer.format_table(t) for t in tables)
            connection.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
            return
        for table in reversed(tables):
            connection.execute(table.delete())
        if connection.dialect.name == "sqlite" and connection.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").first():
            connection.exec_driver_sql("DELETE FROM sqlite_sequence")


@pytest.fixture
def app_config(tmp_path) -> dict:
    """Override per test module or test to change settings before the app is built."""
    return {}


@pytest.fixture
def app(tmp_path, app_config, database_url):
    # A fresh app per test (cheap), so per-app state such as the ranking cache never carries over.
    config = {
        "TESTING": True,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        # CI points this at Redis to prove limits hold in shared storage.
        "RATELIMIT_STORAGE_URI": os.environ.get("TEST_RATELIMIT_STORAGE_URI", "memory://"),
        "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
        # scrypt costs ~0.2 s a hash; tests/test_auth.py checks the production default separately.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    }
    config.update(app_config)
    app = create_app(config)
    with app.app_context():
        if app.config["RATELIMIT_ENABLED"]:
            limiter.reset()  # shared storage (Redis) must not carry counts from test to test
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()  # no connection of this test (or its threads) holds a lock any more
        _delete_all_rows()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def ctx(app):
    """An app context for tests that call services or read the database directly."""
    with app.app_context():
        yield


@dataclass
class Factory:
    """Builds rows through the services, so tests get realistic objects (Indico-style)."""

    app: object
    _counter: int = 0

    def _next(self) -> int:
        self._counter += 1
        return self._counter

    def partnership(self, name: str | None = None, slug: str | None = None) -> Partnership:
        with self.app.app_context():
            n = self._next()
            partnership = accounts.create_partnership(name or f"Wijkverband {n}", slug=slug or f"wijk-{n}")
            db.session.commit()
            return db.session.get(Partnership, partnership.id)

    def user(self, partnership: Partnership, role: Role | str = Role.COORDINATOR, email: str | None = None,
             password: str = PASSWORD) -> User:
        with self.app.app_context():
            email = email or f"{Role(role).value}{self._next()}@example.org"
            user = accounts.ensure_user(email, password, name=email.split("@")[0])
            accounts.grant_role(user, db.session.get(Partnership, partnership.id), Role(role))
            db.session.commit()
            return db.session.get(User, user.id)

    def contact(self, partnership: Partnership, name: str = "Ria Smit", organisation: str = "Gemeente",
                email: str | None = None, gets_micro_survey: bool = False, by: User | None = None) -> User:
        """A person without an account the partnership works with (contacts.add_contact)."""
        with self.app.app_context():
            email = email or f"contact{self._next()}@example.org"
            by = db.session.get(User, by.id) if by else None
            contact = contacts.add_contact(db.session.get(Partnership, partnership.id), name, organisation, email,
                                           gets_micro_survey, by)
            db.session.commit()
            return db.session.get(User, contact.user_id)

    def location(self, partnership: Partnership, name: str = "Buurthuis De Schakel", active: bool = True) -> Location:
        with self.app.app_context():
            location = locations.add_location(db.session.get(Partnership, partnership.id), name)
            location.is_active = active
            db.session.commit()
            return db.session.get(Location, location.id)

    def signal(self, partnership: Partnership, text: str = "Ze rijden te hard in de Kerkstraat",
               source: Source = Source.RESIDENT_QR, created_at: datetime | None = None, **kwargs) -> Signal:
        bundle_id = kwargs.pop("bundle_id", None)
        with self.app.app_context():
            signal = record_signal(db.session.get(Partnership, partnership.id), text, source,
                                   created_at=created_at, **kwargs)
            signal.bundle_id = bundle_id
            db.session.commit()
            return db.session.get(Signal, signal.id)

    def bundle(self, partnership: Partnership, name: str | None = None, user: User | None = None, *,
               signal_ids=(), theme_id: int | None = None, description: str = "") -> Bundle:
        """A bundle made as a coordinator makes it (bundling.create_bundle), with unbundled signals."""
        with self.app.app_context():
            bundle = bundling.create_bundle(
                db.session.get(Partnership, partnership.id), db.session.get(User, user.id) if user else None,
                name or f"Bundel {self._next()}", theme_id=theme_id, description=description,
                signal_ids=list(signal_ids))
            db.session.commit()
            return db.session.get(Bundle, bundle.id)

    def round(self, partnership: Partnership, day: date | None = None, meeting_on: date | None = None) -> Round:
        """The round running on `day` (today): the first one starts that day (rounds.round_for_date)."""
        with self.app.app_context():
            round_ = rounds.round_for_date(db.session.get(Partnership, partnership.id), day or date.today())
            if meeting_on is not None:
                rounds.set_meeting_date(round_, meeting_on)
            db.session.commit()
            return db.session.get(Round, round_.id)

    def action(self, partnership: Partnership, round_: Round | int, owner_id: int | None,
               title: str = "Drempel aanvragen", user: User | None = None, *, today: date | None = None,
               confirmed: bool = True, **fields) -> Action:
        """An action chosen in the round (actions.create_action); `fields` are more ActionFields."""
        with self.app.app_context():
            today = today or date.today()
            first, check = actions.default_dates(today)
            data = actions.ActionFields(
                title=title, intended_result=fields.pop("intended_result", "Langzamer rijden."), owner_id=owner_id,
                first_step=fields.pop("first_step", "Mail sturen"), first_step_on=fields.pop("first_step_on", first),
                check_on=fields.pop("check_on", check),
                feedback_sentence=fields.pop("feedback_sentence", "We vragen een drempel aan."),
                choice_reason=fields.pop("choice_reason", "Veel genoemd."), **fields)
            action = actions.create_action(db.session.get(Partnership, partnership.id),
                                           db.session.get(Round, getattr(round_, "id", round_)), data,
                                           db.session.get(User, user.id) if user else None, today,
                                           confirmed=confirmed)
            db.session.commit()
            return db.session.get(Action, action.id)

    def feedback(self, round_: Round | int, user: User | None = None, parts: dict | None = None, *,
                 reviewer: User | None = None, approve: bool = True, comment: str = "Goed te lezen.",
                 publish: bool = False) -> Feedback:
        """The round's feedback draft (prefilled, then `parts` saved); reviewed by `reviewer` if given,
        and published if asked (then the published version is returned)."""
        with self.app.app_context():
            user = db.session.get(User, user.id) if user else None
            draft = feedback_service.draft_for(db.session.get(Round, getattr(round_, "id", round_)), user)
            if parts:
                feedback_service.save_draft(draft, parts, user)
            if reviewer is not None:
                feedback_service.review(draft, db.session.get(User, reviewer.id), approve, comment)
            result = feedback_service.publish(draft, user) if publish else draft
            db.session.commit()
            return db.session.get(Feedback, result.id)


@pytest.fixture
def make(app) -> Factory:
    return Factory(app)


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, user_or_email, password: str = PASSWORD):
        email = getattr(user_or_email, "email", user_or_email)
        return self._client.post("/login", data={"email": email, "password": password})

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def coordinator_setup(make, auth):
    """A partnership with one location and a logged-in coordinator: the common starting point."""
    partnership = make.partnership(name="Wijkverband Noord", slug="noord")
    coordinator = make.user(partnership, Role.COORDINATOR, email="coordinator@example.org")
    location = make.location(partnership)
    auth.login(coordinator)
    return partnership, coordinator, location


def csrf_token_from(html: bytes | str) -> str:
    text = html.decode() if isinstance(html, bytes) else html
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', text) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', text)
    assert match, "page has no CSRF token"
    return match.group(1)


def count(model, *where) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model).where(*where))
