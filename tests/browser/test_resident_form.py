"""The resident form on an old phone with bad data: narrow, zoomed, without JavaScript, and small."""
from __future__ import annotations

import pytest

from tests.browser.helpers import horizontal_overflow
from wijkapp.extensions import db
from wijkapp.models import Signal

pytestmark = pytest.mark.browser

# TCP's usual initial window is 10 segments of ~1460 bytes; 14 KB arrives in the first round trip.
PAGE_BUDGET_BYTES = 14 * 1024

# 200% zoom of a 1280×800 window: the page lays out in 640×400 CSS pixels at 2 device pixels each.
SIZES = {
    "320 px wide": {"viewport": {"width": 320, "height": 640}},
    "200% zoom": {"viewport": {"width": 640, "height": 400}, "device_scale_factor": 2},
}
LONG_WORD = "Parkeerplaatsenprobleem" * 4


def _fill_form_states(page, live_server, code):
    """Yield the page in each state a resident sees: empty, with errors, thanked."""
    page.goto(live_server(f"/s/{code}"))
    yield "empty"
    page.get_by_label("Ja, ik wil een bericht").check()
    page.get_by_label("Je e-mailadres").fill("niet-een-adres")
    with page.expect_navigation():
        page.get_by_role("button", name="Verstuur").click()
    yield "with errors"
    page.get_by_label("Jouw signaal").fill(f"{LONG_WORD} bij de school.")
    page.get_by_label("Je e-mailadres").fill("bewoner@voorbeeld.nl")
    with page.expect_navigation():
        page.get_by_role("button", name="Verstuur").click()
    yield "thank-you page"


@pytest.mark.parametrize("size", list(SIZES))
def test_resident_pages_need_no_horizontal_scrolling(size, pages, live_server, world):
    page = pages.open("phone", **SIZES[size])
    for state in _fill_form_states(page, live_server, world.location.code):
        assert horizontal_overflow(page) <= 0, \
            f"{state} at {size}: the page is {horizontal_overflow(page)} px wider than the window"


def test_resident_form_works_without_javascript(pages, live_server, world, app):
    page = pages.open("phone", f"/s/{world.location.code}", javascript=False)
    page.get_by_label("Jouw signaal").fill("Het hek van de moestuin is kapot.")
    page.get_by_label("Ja, ik wil een bericht").check()
    page.get_by_label("Je e-mailadres").fill("bewoner@voorbeeld.nl")
    with page.expect_navigation():
        page.get_by_role("button", name="Verstuur").click()
    receipt = page.locator(".receipt").inner_text().replace("-", "")
    with app.app_context():
        signal = db.session.scalar(db.select(Signal).where(Signal.receipt_code == receipt))
        assert signal is not None and signal.text == "Het hek van de moestuin is kapot."
        assert signal.contact.email == "bewoner@voorbeeld.nl"


def transferred_bytes(page, url: str) -> dict[str, int]:
    """Bytes received for each response while loading `url` (headers and body, as on the wire)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    urls, sizes = {}, {}
    cdp.on("Network.responseReceived", lambda e: urls.__setitem__(e["requestId"], e["response"]["url"]))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    cdp.detach()
    return {urls.get(request_id, request_id): size for request_id, size in sizes.items()}


def test_resident_form_arrives_in_one_round_trip(pages, live_server, world):
    page = pages.open("phone")
    by_url = transferred_bytes(page, live_server(f"/s/{world.location.code}"))
    # The browser asks for /favicon.ico on its own; it is not needed to show or send the form.
    needed = {url: size for url, size in by_url.items() if not url.endswith("/favicon.ico")}
    assert any(url.endswith("/css/public.css") for url in needed) and len(needed) == 2, needed
    total = sum(needed.values())
    assert total <= PAGE_BUDGET_BYTES, f"the resident form weighs {total} bytes, budget {PAGE_BUDGET_BYTES}: {needed}"
