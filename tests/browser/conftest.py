"""Browser fixtures: the real app on a live server, Debian's Chromium driven by Playwright.

One browser per session, a fresh context (cookies, storage, viewport) per test. The app is the
`app` fixture of tests/conftest.py with CSRF switched back on: a real browser must pass it.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
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

        self.app, self._make, self._users = app, make, {}
        self._round: RoundIds | None = None
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

    @property
    def round(self) -> "RoundIds":
        """Bundles, an action and published feedback in the current round, built on first use."""
        if self._round is None:
            self._round = build_round(self)
        return self._round

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


@dataclass(frozen=True)
class RoundIds:
    round_id: int
    stoep_bundle_id: int
    youth_bundle_id: int
    action_id: int
    feedback_id: int        # the published version
    draft_id: int           # the working draft, sent back to the ervaringsdeskundige after a change
    receipt_code: str       # a signal in the chosen bundle
    withdraw_token: str     # a signal with a contact address (a message waits in the outbox)


STOEP_SIGNALS = ("Stoeptegels liggen los bij de Lindelaan.", "Losse tegels op de stoep in de Lindelaan.")
LOOSE_SIGNALS = ("Veel hondenpoep in het park bij de vijver.", "Hondenpoep in het park, niemand ruimt het op.")


def build_round(world: "World") -> RoundIds:
    """Steps 3 and 4 of a round, done with the services: two bundles (one more signal that fits a
    bundle and two that fit together stay loose, so there are suggestions), scores, a chosen
    action, feedback reviewed and published, then changed again (a draft to review)."""
    from datetime import date

    from wijkapp.extensions import db
    from wijkapp.models import Partnership, Role, Signal, Source, User
    from wijkapp.services import actions, bundling, choosing, privacy, rounds
    from wijkapp.services import feedback as feedback_service
    from wijkapp.services.intake import ResidentContactDetails, record_signal

    coordinator_id = world.user(Role.COORDINATOR).id
    expert_id = world.user(Role.ERVARINGSDESKUNDIGE).id
    with world.app.app_context():
        partnership = db.session.get(Partnership, world.partnership.id)
        coordinator, expert = db.session.get(User, coordinator_id), db.session.get(User, expert_id)
        today = date.today()
        round_ = rounds.round_for_date(partnership, today)
        db.session.flush()
        texts = dict(db.session.execute(db.select(Signal.text, Signal.id)
                                        .where(Signal.partnership_id == partnership.id)).all())
        first = record_signal(partnership, STOEP_SIGNALS[0], Source.RESIDENT_QR, location_id=world.location.id)
        record_signal(partnership, STOEP_SIGNALS[1], Source.RESIDENT_QR, location_id=world.location.id)
        for text in LOOSE_SIGNALS:
            record_signal(partnership, text, Source.RESIDENT_QR, location_id=world.location.id)
        with_contact = record_signal(partnership, "Meer prullenbakken op het plein.", Source.RESIDENT_QR,
                                     location_id=world.location.id,
                                     contact=ResidentContactDetails(email="bewoner@example.org"))
        db.session.flush()
        stoep = bundling.create_bundle(partnership, coordinator, "Losse stoeptegels", signal_ids=[
            texts["De stoep in de Lindelaan ligt vol losse tegels."], first.id, with_contact.id])
        youth = bundling.create_bundle(partnership, coordinator, "Jongeren op straat", signal_ids=[
            texts["Jongeren hangen 's avonds bij de ingang van de flat."]])
        choosing.save_scores(round_, {stoep.id: (4, 5), youth.id: (2, 4)}, coordinator)
        first_step_on, check_on = actions.default_dates(today)
        action = actions.create_action(partnership, round_, actions.ActionFields(
            title="Stoep Lindelaan laten maken", intended_result="Een veilige stoep in de Lindelaan.",
            owner_id=coordinator.id, first_step="Melding bij de gemeente", first_step_on=first_step_on,
            check_on=check_on, feedback_sentence="We vragen de gemeente de stoep te maken.",
            choice_reason="Veel genoemd en snel te regelen.", bundle_id=stoep.id, feasibility=4, impact=5),
            coordinator, today)
        draft = feedback_service.draft_for(round_, coordinator)
        feedback_service.save_draft(draft, {
            "not_possible": "Jongeren op straat pakken we nu nog niet op. We praten eerst met het jongerenwerk."},
            coordinator)
        feedback_service.review(draft, expert, True, "Goed te lezen.")
        published = feedback_service.publish(draft, coordinator)
        feedback_service.save_draft(draft, {"contact": "Kom op dinsdag naar de inloop in het buurthuis."}, coordinator)
        ids = RoundIds(round_.id, stoep.id, youth.id, action.id, published.id, draft.id, first.receipt_code,
                       privacy.withdraw_token(with_contact))
        db.session.commit()
        return ids


@pytest.fixture
def world(app, make) -> World:
    return World(app, make)
