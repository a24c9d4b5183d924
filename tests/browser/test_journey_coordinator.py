"""Journey 4 (what exists so far): a coordinator at a desk sets up a location, prints its poster,
filters the signal list and downloads it for Excel. Bundling, the top 3, the meeting view, actions
and feedback join this journey when their issues land."""
from __future__ import annotations

import csv
import io

import pytest
import zxingcpp
from PIL import Image

from tests.browser.helpers import login
from wijkapp.extensions import db
from wijkapp.models import Location, Role, Source

pytestmark = pytest.mark.browser


def test_coordinator_creates_a_location_prints_the_poster_filters_and_exports(pages, live_server, make, app):
    partnership = make.partnership(name="Wijkverband Noord", slug="noord")
    coordinator = make.user(partnership, Role.COORDINATOR)
    make.signal(partnership, "Café ’t Hoekje zet de terrasstoelen op de stoep.", Source.HOST_CONVERSATION)
    make.signal(partnership, "Zwerfvuil bij de glasbak op het Mauritsplein.", Source.HOST_CONVERSATION)
    make.signal(partnership, "De lift in flat Zuidhoek is weer stuk.", Source.RESIDENT_QR)
    make.signal(partnership, "Eenzaamheid onder ouderen in de Prinsenbuurt.", Source.PROFESSIONAL_MICRO,
                micro_question=1, micro_question_text="Wat hoor je vaak?")

    page = pages.open("desktop")
    login(page, live_server, coordinator)
    page.get_by_role("navigation").get_by_role("link", name="Locaties").click()
    page.get_by_label("Naam van de locatie").fill("Bibliotheek Noord")
    page.get_by_label("Korte beschrijving (mag je overslaan)").fill("Bij de leestafel.")
    page.get_by_role("button", name="Locatie aanmaken").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Bibliotheek Noord"
    with app.app_context():
        location = db.session.scalar(db.select(Location).where(Location.name == "Bibliotheek Noord"))
        assert (location.partnership_id, location.description, location.is_active) == (
            partnership.id, "Bij de leestafel.", True)
    public_url = live_server(f"/s/{location.code}")

    page.get_by_role("link", name="Poster (A4) om te printen").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Wat vind jij van je buurt?"
    assert public_url.split("://")[1] in page.locator(".url").inner_text()
    poster_qr = page.locator("img.qr")
    poster_qr.scroll_into_view_if_needed()
    scanned = zxingcpp.read_barcodes(Image.open(io.BytesIO(poster_qr.screenshot())))
    assert [code.text for code in scanned] == [public_url], "the QR code on the poster does not scan to the form"

    page.get_by_role("link", name="Terug").click()
    page.get_by_role("navigation").get_by_role("link", name="Signalen").click()
    assert "4 signalen" in page.locator("main").inner_text()
    page.get_by_label("Bron", exact=True).select_option(label="Buurtgesprek")
    page.get_by_role("button", name="Filter").click()
    assert "source=host_conversation" in page.url
    rows = page.locator("table tbody tr")
    assert rows.count() == 2
    assert "Café ’t Hoekje" in rows.all_inner_texts()[0] + rows.all_inner_texts()[1]

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download als CSV (Excel)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("signalen-noord-")
    raw = open(download.path(), "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 BOM"
    table = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert sorted(row["Signaal"] for row in table) == [
        "Café ’t Hoekje zet de terrasstoelen op de stoep.", "Zwerfvuil bij de glasbak op het Mauritsplein."]
    assert {row["Bron"] for row in table} == {"Buurtgesprek"}
