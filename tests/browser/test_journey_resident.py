"""Journey 1: a resident scans the QR code on a poster with a phone and leaves a signal."""
from __future__ import annotations

from io import BytesIO

import pytest
import zxingcpp
from PIL import Image

from tests.browser.helpers import login
from wijkapp.extensions import db
from wijkapp.models import Role, Signal

pytestmark = pytest.mark.browser


def test_resident_scans_the_qr_code_sends_a_signal_and_keeps_the_receipt_code(pages, live_server, make, app):
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
    phone.get_by_label("Jouw signaal").fill("Het zebrapad bij de school is slecht te zien.")
    phone.get_by_role("button", name="Verstuur").click()

    phone.wait_for_url(f"**/s/{location.code}/bedankt")
    assert "Bedankt" in phone.get_by_role("heading", level=1).inner_text()
    receipt = phone.locator(".receipt").inner_text().strip()
    assert len(receipt.replace("-", "")) == 8

    with app.app_context():
        signal = db.session.scalar(db.select(Signal).where(Signal.receipt_code == receipt.replace("-", "")))
        assert signal is not None, f"no signal stored with receipt code {receipt}"
        assert signal.text == "Het zebrapad bij de school is slecht te zien."
        assert (signal.source, signal.form, signal.location_id) == ("resident_qr", "A", location.id)
        assert signal.contact is None
        assert db.session.scalar(db.select(db.func.count(Signal.id))) == 1
