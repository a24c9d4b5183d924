"""Browser fixtures: the real app on a live server, Debian's Chromium driven by Playwright.

One browser per session, a fresh context (cookies, storage, viewport) per test. The app is the
`app` fixture of tests/conftest.py with CSRF switched back on: a real browser must pass it.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from werkzeug.security import generate_password_hash

from tests.browser.server import LiveServer
from tests.conftest import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
VIEWPORTS = {
    "phone": {"width": 390, "height": 844},
    "tablet": {"width": 820, "height": 1180},
    "desktop": {"width": 1366, "height": 900},
}


@pytest.fixture
def app_config(tmp_path) -> dict:
    return {"WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": False}


@pytest.fixture
def live_server(app):
    with LiveServer(app) as server:
        yield server
    assert not server.errors, f"the server raised during the test: {server.errors!r}"


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium); browser tests not run"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason + " — in CI this is a failure", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Pages:
    """Opens pages in fresh contexts and checks, at the end, that no page logged a JS or CSP error."""

    def __init__(self, browser, live_server):
        self._browser = browser
        self._live = live_server
        self._contexts = []
        self.console_errors: list[str] = []

    def open(self, device: str = "desktop", path: str | None = None, *, javascript: bool = True, **options):
        context = self._browser.new_context(
            viewport=options.pop("viewport", VIEWPORTS[device]),
            locale="nl-NL",
            java_script_enabled=javascript,
            accept_downloads=True,
            **options,
        )
        context.set_default_timeout(10_000)
        self._contexts.append(context)
        page = context.new_page()
        page.on("console", self._on_console)
        page.on("response", self._on_response)
        page.on("pageerror", lambda error: self.console_errors.append(f"page error: {error}"))
        if path is not None:
            page.goto(self._live(path))
        return page

    def _on_console(self, message) -> None:
        # Chromium reports CSP violations (inline style or script) as console errors. Error pages
        # (404, 422) are meant; a missing stylesheet or image is caught in _on_response.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.console_errors.append(message.text)

    def _on_response(self, response) -> None:
        if response.status >= 400 and response.request.resource_type != "document" \
                and not response.url.endswith("/favicon.ico"):
            self.console_errors.append(f"{response.status} for {response.url}")

    def close(self) -> None:
        for context in self._contexts:
            context.close()


@pytest.fixture
def pages(browser, live_server):
    pages = Pages(browser, live_server)
    yield pages
    pages.close()
    assert not pages.console_errors, f"the browser logged errors: {pages.console_errors}"


_QUICK_PASSWORD_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


class World:
    """A small, realistic partnership to visit: locations, themes, signals, a conversation, a panel.
    People other than the host are made on demand, because hashing a password is the slow part."""

    def __init__(self, app, make):
        from datetime import date

        from wijkapp.extensions import db
        from wijkapp.models import PanelSession, Partnership, Role, Source, Theme, User
        from wijkapp.services import conversations
        from wijkapp.services.intake import record_signal

        self._make, self._users = make, {}
        self.partnership = make.partnership(name="Wijkverband Noord", slug="noord")
        self.host = self.user(Role.HOST)
        self.location = make.location(self.partnership, name="Buurthuis De Schakel")
        self.inactive_location = make.location(self.partnership, name="Winkelcentrum Zuid", active=False)
        with app.app_context():
            partnership = db.session.get(Partnership, self.partnership.id)
            host = db.session.get(User, self.host.id)
            theme = db.session.scalars(db.select(Theme).where(Theme.partnership_id == partnership.id)).first()
            conversation = conversations.start_conversation(partnership, host, self.location.id, "", date.today())
            panel = PanelSession(partnership_id=partnership.id, created_by_id=host.id, kind="panel",
                                 topic="Wijkpanel najaar", held_on=date.today(), core_attendees=8, extra_attendees=3)
            db.session.add(panel)
            db.session.flush()
            in_conversation = {"conversation_id": conversation.id, "created_by": host, "location_id": self.location.id}
            for text, source, extra in (
                ("De stoep in de Lindelaan ligt vol losse tegels.", Source.RESIDENT_QR, {"location_id": self.location.id}),
                ("Jongeren hangen 's avonds bij de ingang van de flat.", Source.HOST_CONVERSATION, in_conversation),
                ("Te weinig bankjes op de route naar de supermarkt.", Source.HOST_CONVERSATION, in_conversation),
                ("Ouderen weten niet waar ze terechtkunnen met vragen.", Source.PROFESSIONAL_MICRO,
                 {"micro_question": 1, "micro_question_text": partnership.micro_questions[0]}),
                ("De speeltuin is te klein voor alle kinderen.", Source.PANEL_SESSION, {"panel_session_id": panel.id}),
            ):
                record_signal(partnership, text, source, theme_id=theme.id if theme else None, **extra)
            db.session.commit()
            self.conversation_id, self.panel_session_id = conversation.id, panel.id
            self.host_signal_id = conversation.signals[0].id

    def user(self, role):
        from wijkapp.models import Role

        role = Role(role)
        if role not in self._users:
            user = self._make.user(self.partnership, role, email=f"{role.value}@noord.example.org")
            with self._make.app.app_context():
                from wijkapp.extensions import db
                from wijkapp.models import User

                # The real KDF costs ~0.2 s per login on this machine; dozens of page states log in.
                db.session.get(User, user.id).password_hash = _QUICK_PASSWORD_HASH
                db.session.commit()
            self._users[role] = user
        return self._users[role]

    def grant(self, role, *more_roles) -> None:
        """Give the person with `role` more roles in this partnership."""
        from wijkapp.extensions import db
        from wijkapp.models import Partnership, Role, User
        from wijkapp.services import accounts

        with self._make.app.app_context():
            user = db.session.get(User, self.user(role).id)
            for extra in more_roles:
                accounts.grant_role(user, db.session.get(Partnership, self.partnership.id), Role(extra))
            db.session.commit()


@pytest.fixture
def world(app, make) -> World:
    return World(app, make)
