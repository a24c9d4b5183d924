"""Journey 1: a resident scans the QR code on a poster with a phone, leaves a signal, keeps the
receipt code, and weeks later types that code at /r to read what the wijkverband did with it.
Everything the resident does is done with the keyboard alone (a phone with a keyboard, or a
switch user); the wijkverband's part in between is done with the services."""
from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
import zxingcpp
from PIL import Image

from tests.browser.helpers import focus_indicator, has_focus, login, tab_to
from wijkapp.extensions import db
from wijkapp.models import Partnership, Role, Signal, User
from wijkapp.services import actions, bundling, rounds
from wijkapp.services import feedback as feedback_service

pytestmark = pytest.mark.browser

SIGNAL = "Het zebrapad bij de school is slecht te zien."
ACTION = "Zebrapad bij de school opnieuw verven"
DONE = "We vragen de gemeente om het zebrapad bij de school opnieuw te verven. Dat gebeurt in de herfstvakantie."


def _press_enter_on(page, target) -> None:
    tab_to(page, target)
    outline = focus_indicator(page)
    assert outline["outlineStyle"] != "none" and outline["outlineWidth"] >= 2, f"focus is not visible: {outline}"
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _look_up(page, live_server, typed_code: str) -> None:
    """What a resident does weeks later: open /r, type the code from the photo, press Enter."""
    page.goto(live_server("/r"))
    tab_to(page, page.get_by_label("Je code"))
    page.keyboard.type(typed_code)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _wijkverband_handles_it(app, partnership_id: int, coordinator_id: int, signal_id: int) -> None:
    """Bundle the signal, choose an action for it, and publish the round's feedback."""
    with app.app_context():
        partnership = db.session.get(Partnership, partnership_id)
        coordinator = db.session.get(User, coordinator_id)
        today = date.today()
        round_ = rounds.round_for_date(partnership, today)
        bundle = bundling.create_bundle(partnership, coordinator, "Veilig oversteken bij de school",
                                        signal_ids=[signal_id])
        first_step_on, check_on = actions.default_dates(today)
        actions.create_action(partnership, round_, actions.ActionFields(
            title=ACTION, intended_result="Kinderen steken veilig over.", owner_id=coordinator.id,
            first_step="Melding bij de gemeente", first_step_on=first_step_on, check_on=check_on,
            feedback_sentence="De gemeente verft het zebrapad opnieuw.", choice_reason="Veiligheid van kinderen.",
            bundle_id=bundle.id), coordinator, today)
        draft = feedback_service.draft_for(round_, coordinator)
        feedback_service.save_draft(draft, {"done": DONE, "not_possible": "Alles wat we kozen, lukt."}, coordinator)
        feedback_service.publish(draft, coordinator)
        db.session.commit()


def test_resident_scans_the_qr_code_sends_a_signal_and_later_reads_the_feedback(pages, live_server, make, app):
    partnership = make.partnership(name="Wijkverband Noord", slug="noord")
    coordinator = make.user(partnership, Role.COORDINATOR)
    location = make.location(partnership, name="Bibliotheek Noord")

    # The PNG the coordinator downloads and prints.
    desk = pages.open("desktop")
    login(desk, live_server, coordinator)
    png = desk.request.get(live_server(f"/p/noord/coordinator/locations/{location.id}/qr.png"))
    assert png.ok and png.headers["content-type"] == "image/png"
    scanned = zxingcpp.read_barcodes(Image.open(BytesIO(png.body())))
    assert [code.text for code in scanned] == [live_server(f"/s/{location.code}")]

    phone = pages.open("phone")
    phone.goto(scanned[0].text)
    assert phone.get_by_role("heading", level=1).inner_text() == "Wat wil je kwijt over je buurt?"
    tab_to(phone, phone.get_by_label("Jouw signaal"))
    phone.keyboard.type(SIGNAL)
    _press_enter_on(phone, phone.get_by_role("button", name="Verstuur"))

    assert phone.url.endswith(f"/s/{location.code}/bedankt")
    assert "Bedankt" in phone.get_by_role("heading", level=1).inner_text()
    receipt = phone.locator(".receipt").inner_text().strip()
    assert len(receipt.replace("-", "")) == 8

    with app.app_context():
        signal = db.session.scalar(db.select(Signal).where(Signal.receipt_code == receipt.replace("-", "")))
        assert signal is not None, f"no signal stored with receipt code {receipt}"
        assert signal.text == SIGNAL
        assert (signal.source, signal.form, signal.location_id) == ("resident_qr", "A", location.id)
        assert signal.contact is None
        assert db.session.scalar(db.select(db.func.count(Signal.id))) == 1
        signal_id = signal.id

    # The same week: the code is known, nothing is decided yet. Typed in lower case with a space,
    # as people copy a code from a photo.
    later = pages.open("phone")
    _look_up(later, live_server, "xxxx yyyy")
    assert has_focus(later, ".error-summary"), "after a wrong code the error summary should have focus"
    assert "We vinden deze code niet" in later.locator(".error-summary").inner_text()
    assert later.get_by_label("Je code").input_value() == "xxxx yyyy", "the typed code should be kept"
    tab_to(later, later.get_by_label("Je code"))
    later.keyboard.press("Control+A")
    later.keyboard.type(receipt.lower().replace("-", " "))
    with later.expect_navigation():
        later.keyboard.press("Enter")
    assert later.get_by_role("heading", level=1).inner_text() == "Wat gebeurt er met jouw signaal?"
    assert "nog niet bij een onderwerp ingedeeld" in later.locator("main").inner_text()

    _wijkverband_handles_it(app, partnership.id, coordinator.id, signal_id)

    # Weeks later, on the phone again: type the code and read what is being done.
    weeks_later = pages.open("phone")
    _look_up(weeks_later, live_server, receipt)
    assert weeks_later.url.endswith(f"/r/{receipt.replace('-', '')}")
    main = weeks_later.locator("main").inner_text()
    assert "Veilig oversteken bij de school" in main
    assert "Dit onderwerp is gekozen" in main
    assert ACTION in main
    assert DONE in main, "the published feedback should be on the receipt page"
