"""Screenshots of the main pages at phone, tablet and desktop width, with the demo partnership's
data. Written to docs/screenshots/ (the README shows them) only when asked, with
`pytest --screenshots` or WIJKAPP_SCREENSHOTS=1; otherwise the pages are rendered and checked the
same way, and the PNGs go to the test's tmp dir.

Receipt codes and the host's note times are fixed here, and a PNG is only rewritten when its pixels
changed, so a run does not churn git. Dates come from the demo, which counts back from today.
"""
from __future__ import annotations

import random
import re
from datetime import date, datetime, time
from types import SimpleNamespace

import pytest
from flask import current_app

from tests.browser.conftest import VIEWPORTS
from tests.browser.helpers import horizontal_overflow, sign_in
from tests.browser.helpers import screenshot as _screenshot
from tests.conftest import PASSWORD, screenshots_requested
from wijkapp.extensions import db
from wijkapp.models import Action, Location, Partnership, Round, Signal, Source, User
from wijkapp.services import actions, bundling, choosing, codes, contacts, conversations, demo, personal_links, rounds
from wijkapp.services import feedback as feedback_service
from wijkapp.services.intake import record_signal

pytestmark = pytest.mark.browser

HOST_NOTES = (
    "De stoep bij de Waalstraat ligt open en er staat geen hek omheen.",
    "Mevrouw op nummer 12 weet niet waar ze heen kan met vragen over haar huur.",
    "Jongeren willen een plek om 's avonds te sporten.",
)


# The demo round's signals that the coordinator has bundled, by words in them; the rest stays loose.
DEMO_BUNDLES = {
    "Te hard rijden": r"te hard|scheuren|te snel|hardrijders|30 km",
    "Donkere plekken": r"verlichting|lantaarnpaal|donker",
    "Afval op straat": r"afval|vuilnis|zwerfvuil|container",
}


@pytest.fixture(autouse=True)
def screenshot_dir(request, tmp_path, monkeypatch):
    """docs/screenshots/ when asked for; otherwise a tmp dir, so a plain test run leaves git alone."""
    from tests.browser import helpers

    if not screenshots_requested(request.config):
        monkeypatch.setattr(helpers, "SCREENSHOTS", tmp_path / "screenshots")
    return helpers.SCREENSHOTS


@pytest.fixture
def fixed_receipt_codes(monkeypatch):
    """The same receipt codes on every run, so the thank-you page looks the same each time."""
    rng = random.Random(2026)
    monkeypatch.setattr("wijkapp.services.intake.new_receipt_code",
                        lambda: "".join(rng.choice(codes.ALPHABET) for _ in range(8)))


def _steps_3_and_4(partnership, people) -> str:
    """What the coordinator did with the demo's last round: three bundles, scores, an action, and
    feedback that was reviewed and published. Returns a receipt code in the chosen bundle."""
    today = date.today()
    round_ = rounds.round_for_date(partnership, today)
    loose = db.session.scalars(db.select(Signal).where(Signal.round_id == round_.id, Signal.bundle_id.is_(None))
                               .order_by(Signal.id)).all()
    bundles = {}
    for name, words in DEMO_BUNDLES.items():
        ids = [s.id for s in loose if re.search(words, s.text, re.IGNORECASE) and s.bundle_id is None]
        bundles[name] = bundling.create_bundle(partnership, people["coordinator"], name, signal_ids=ids)
    choosing.save_scores(round_, {bundles["Te hard rijden"].id: (4, 5), bundles["Donkere plekken"].id: (5, 4),
                                  bundles["Afval op straat"].id: (3, 2)}, people["coordinator"])
    first_step_on, check_on = actions.default_dates(today)
    actions.create_action(partnership, round_, actions.ActionFields(
        signal_summary="Bewoners zeggen dat auto's te hard rijden, vooral in de Kerkstraat bij de school.",
        title="Drempels aanvragen in de Kerkstraat", intended_result="Auto's rijden langzamer in de Kerkstraat.",
        owner_id=people["coordinator"].id, partners="Gemeente, basisschool De Linde",
        first_step="Mail aan de wijkmanager van de gemeente", first_step_on=first_step_on, check_on=check_on,
        feedback_sentence="We vragen de gemeente om drempels in de Kerkstraat; na de zomer horen jullie meer.",
        choice_reason="Veel bewoners noemen het, en de gemeente kan snel iets doen.",
        bundle_id=bundles["Te hard rijden"].id, feasibility=4, impact=5), people["coordinator"], today)
    draft = feedback_service.draft_for(round_, people["coordinator"])
    feedback_service.save_draft(draft, {"not_possible": (
        "- Donkere plekken: de gemeente vervangt de lampen al dit najaar. Wij houden in de gaten of dat gebeurt.\n"
        "- Afval op straat: dit pakken we nu niet op. Andere punten kwamen vaker terug.")}, people["coordinator"])
    feedback_service.review(draft, people["ervaringsdeskundige"], True, "Goed te lezen.")
    draft.reviewed_at = datetime.combine(today, time(9, 30))  # shown to the minute on the feedback page
    feedback_service.publish(draft, people["coordinator"])
    return db.session.scalar(db.select(Signal.receipt_code).where(Signal.bundle_id == bundles["Te hard rijden"].id)
                             .order_by(Signal.id))


@pytest.fixture
def demo_world(app, fixed_receipt_codes):
    with app.app_context():
        demo.load_demo(password=PASSWORD)
        partnership = db.session.scalar(db.select(Partnership).where(Partnership.slug == demo.DEMO_SLUG))
        people = {email.split("@")[0]: db.session.scalar(db.select(User).where(User.email == email))
                  for email, _name, _role in demo.DEMO_PEOPLE}
        location = db.session.scalar(db.select(Location).where(Location.code == "demo1"))
        conversation = conversations.start_conversation(partnership, people["host"], location.id, "", date.today())
        for minute, text in enumerate(HOST_NOTES):
            record_signal(partnership, text, Source.HOST_CONVERSATION, location_id=location.id,
                          created_by=people["host"], conversation_id=conversation.id,
                          created_at=datetime.combine(date.today(), time(10, 5 * minute)))
        receipt_code = _steps_3_and_4(partnership, people)
        round_id = rounds.round_for_date(partnership, date.today()).id
        action_id = db.session.scalar(db.select(db.func.max(Action.id)))
        personal = _personal_links(partnership, db.session.get(Action, action_id), round_id)
        db.session.commit()
        # sign_in needs only the address; the ORM objects end with this app context.
        people = {key: SimpleNamespace(email=user.email) for key, user in people.items()}
        return {"people": people, "location_id": location.id, "conversation_id": conversation.id,
                "round_id": round_id, "action_id": action_id, "receipt_code": receipt_code, "personal": personal}


def _personal_links(partnership, action, round_id) -> dict[str, str]:
    """A contact at the municipality, partner on the action and answering the two questions."""
    with current_app.test_request_context():
        contact = contacts.add_contact(partnership, "Ria Smit", "Gemeente", "ria@gemeente.nl", True, None)
        person = contact.user
        action.partner_people.append(person)
        links = {"personal-action": personal_links.send_action_link(action, person, None).link,
                 "personal-questions": personal_links.send_micro_survey_link(
                     db.session.get(Round, round_id), person, None).link}
    return {name: re.sub(r"^https?://[^/]+", "", link) for name, link in links.items()}


RESIDENT_SIGNALS = {
    "phone": "Er wordt te hard gereden in de Maasstraat.",
    "tablet": "Kan er een bankje bij de bushalte aan de Rijnlaan?",
    "desktop": "Het grasveld achter de flat staat vaak onder water.",
}


def test_screenshots_of_the_main_pages(pages, live_server, demo_world, app):
    # A printed URL as in production, not the test server's random port: screenshots stay the same.
    app.config["PUBLIC_BASE_URL"] = "https://wijk.example.nl"
    people, location_id = demo_world["people"], demo_world["location_id"]
    OVERFLOWING.clear()
    written = []
    for device in VIEWPORTS:
        resident = pages.open(device, "/s/demo1")
        written.append(screenshot(resident, "resident-form", device))
        resident.get_by_label("Jouw signaal").fill(RESIDENT_SIGNALS[device])
        with resident.expect_navigation():
            resident.get_by_role("button", name="Verstuur").click()
        written.append(screenshot(resident, "thank-you", device))

        host = pages.open(device)
        sign_in(host, live_server, people["host"])
        host.goto(live_server(f"/p/demo/host/conversations/{demo_world['conversation_id']}"))
        written.append(screenshot(host, "host-conversation", device))

        professional = pages.open(device)
        sign_in(professional, live_server, people["professional"])
        professional.goto(live_server("/p/demo/professional/"))
        written.append(screenshot(professional, "micro-survey", device))

        coordinator = pages.open(device)
        sign_in(coordinator, live_server, people["coordinator"])
        coordinator.goto(live_server("/p/demo/coordinator/signals"))
        written.append(screenshot(coordinator, "coordinator-signals", device))
        coordinator.goto(live_server(f"/p/demo/coordinator/locations/{location_id}"))
        written.append(screenshot(coordinator, "location-qr", device))
        coordinator.goto(live_server(f"/p/demo/coordinator/locations/{location_id}/poster"))
        written.append(screenshot(coordinator, "poster", device))
    written += _screenshots_of_a_round(pages, live_server, demo_world)
    assert all(path.stat().st_size > 1000 for path in written)
    assert not OVERFLOWING, f"pages wider than the window (CSS px too wide): {OVERFLOWING}"


OVERFLOWING: dict[str, int] = {}


def screenshot(page, name: str, device: str):
    """Also note a page that scrolls sideways: what you see in the screenshot is not all there is."""
    overflow = horizontal_overflow(page)
    if overflow > 0:
        OVERFLOWING[f"{name}-{device}"] = overflow
    return _screenshot(page, name, device)


def _screenshots_of_a_round(pages, live_server, demo_world) -> list:
    """Steps 3 and 4 at the widths their people use: the coordinator at a desk (the meeting on a
    beamer), an action owner also on a tablet, residents reading feedback on a phone."""
    written = []
    round_id, action_id = demo_world["round_id"], demo_world["action_id"]
    coordinator_pages = {
        "top-3": ("/p/demo/coordinator/", ("desktop", "tablet")),
        "bundling": ("/p/demo/coordinator/bundles", ("desktop", "tablet")),
        "meeting": (f"/p/demo/coordinator/rounds/{round_id}/meeting", ("desktop",)),
        "action": (f"/p/demo/coordinator/actions/{action_id}", ("desktop", "tablet")),
        "feedback-write": (f"/p/demo/coordinator/rounds/{round_id}/feedback", ("desktop",)),
        "team": ("/p/demo/coordinator/team", ("desktop", "tablet", "phone")),
        "account": ("/account/", ("desktop", "phone")),
    }
    for device in VIEWPORTS:
        coordinator = None
        for name, (path, devices) in coordinator_pages.items():
            if device in devices:
                if coordinator is None:
                    coordinator = pages.open(device)
                    sign_in(coordinator, live_server, demo_world["people"]["coordinator"])
                coordinator.goto(live_server(path))
                written.append(screenshot(coordinator, name, device))
    for name, path in demo_world["personal"].items():
        for device in ("phone", "tablet"):
            written.append(screenshot(pages.open(device, path), name, device))
    resident = pages.open("phone", "/w/demo")
    written.append(screenshot(resident, "feedback-public", "phone"))
    resident.goto(live_server(f"/r/{demo_world['receipt_code']}"))
    written.append(screenshot(resident, "receipt", "phone"))
    return written


FIRST_START_STEPS = ("locations", "themes", "questions", "round", "plan", "done")


def test_screenshots_of_the_first_start(pages, live_server, app):
    """The setup link and the wizard after it, then the beheerder's page. The desktop walks through
    the wizard; phone and tablet open the same steps afterwards (each step can be opened again)."""
    from wijkapp.services import first_start

    pages.open("desktop", "/")  # makes the one-time setup link
    with app.app_context():
        token = first_start.setup_token()
    OVERFLOWING.clear()
    written = []
    for device in ("phone", "tablet"):
        written.append(screenshot(pages.open(device, f"/setup/{token}"), "first-start-account", device))
    page = pages.open("desktop", f"/setup/{token}")
    written.append(screenshot(page, "first-start-account", "desktop"))
    page.get_by_label("Naam van het wijkverband").fill("Hecht wijkverband Noord")
    page.get_by_label("Wijk of buurt").fill("Noord")
    page.get_by_label("Je naam").fill("Sanne de Vries")
    page.get_by_label("Je e-mailadres").fill("sanne@example.org")
    page.get_by_label("Kies een wachtwoord").fill(PASSWORD)
    page.get_by_label("Herhaal het wachtwoord").fill(PASSWORD)
    buttons = {"locations": "Locaties opslaan en verder", "themes": "Thema's opslaan en verder",
               "questions": "Vragen opslaan en verder", "round": "Opslaan en verder",
               "plan": "Afspraken opslaan en verder"}
    with page.expect_navigation():
        page.get_by_role("button", name="Account en wijkverband aanmaken").click()
    for step in FIRST_START_STEPS:
        written.append(screenshot(page, f"first-start-{step}", "desktop"))
        if step == "locations":
            page.get_by_label("Locatie 1").fill("Buurthuis De Schakel")
            page.get_by_label("Locatie 2").fill("Bibliotheek Noord")
        if step in buttons:
            with page.expect_navigation():
                page.get_by_role("button", name=buttons[step]).click()
    page.goto(live_server("/admin/partnerships"))
    written.append(screenshot(page, "beheer-partnerships", "desktop"))
    sanne = SimpleNamespace(email="sanne@example.org")
    for device in ("phone", "tablet"):
        other = pages.open(device)
        sign_in(other, live_server, sanne)
        for step in FIRST_START_STEPS:
            other.goto(live_server(f"/p/hecht-wijkverband-noord/coordinator/setup/{step}"))
            written.append(screenshot(other, f"first-start-{step}", device))
        other.goto(live_server("/admin/partnerships"))
        written.append(screenshot(other, "beheer-partnerships", device))
    assert len(written) == 3 * (len(FIRST_START_STEPS) + 2)
    assert all(path.stat().st_size > 1000 for path in written)
    assert not OVERFLOWING, f"pages wider than the window (CSS px too wide): {OVERFLOWING}"
