"""Journey 4: a coordinator at a desk, through the UI only.

First the set-up part: a location and its poster, the signal list and its export. Then a whole
round: bundle the signals with the app's suggestions, open the top 3, run the meeting view, score
the top 5 and choose two actions, write the feedback and check it, have it approved by the
ervaringsdeskundige (a second browser), publish it, and download the round's folder. The main steps
(bundling, choosing, publishing) are done with the keyboard alone.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pypdf
import pytest
import zxingcpp
from PIL import Image

from tests.browser.helpers import focus_indicator, focused, login, tab_to
from tests.conftest import PASSWORD
from wijkapp.extensions import db
from wijkapp.models import Action, Bundle, BundleAssessment, Feedback, Location, Role, Signal, Source

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
    raw = Path(download.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 BOM"
    table = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert sorted(row["Signaal"] for row in table) == [
        "Café ’t Hoekje zet de terrasstoelen op de stoep.", "Zwerfvuil bij de glasbak op het Mauritsplein."]
    assert {row["Bron"] for row in table} == {"Buurtgesprek"}


# --- a whole round ------------------------------------------------------------------------------

STOEP = ("De stoep in de Lindelaan ligt vol losse tegels.", "Stoeptegels liggen los bij de Lindelaan.")
STOEP_LATE = "Losse tegels op de stoep in de Lindelaan."  # the suggestion puts it in the stoep bundle
POEP = ("Veel hondenpoep in het park bij de vijver.", "Hondenpoep in het park, niemand ruimt het op.")
JONGEREN = "Jongeren hangen 's avonds bij de ingang van de flat."
ACTIONS = {
    "Losse stoeptegels": ("Stoep Lindelaan laten maken", "4", "5"),
    "Hondenpoep, park": ("Afvalbakken voor hondenpoep bij de vijver", "5", "3"),
}
NOT_POSSIBLE = "Jongeren op straat pakken we nu nog niet op. We praten eerst met het jongerenwerk."


def _enter(page, target) -> None:
    """Tab to `target`, see that focus shows, press Enter and wait for the next page."""
    tab_to(page, target, max_presses=120)
    outline = focus_indicator(page)
    assert outline["outlineStyle"] != "none" and outline["outlineWidth"] >= 2, \
        f"focus is not visible on {focused(page)}: {outline}"
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _type_into(page, target, text: str, max_presses: int = 60) -> None:
    tab_to(page, target, max_presses=max_presses)
    page.keyboard.type(text)


def _keyboard_login(page, live_server, email: str) -> None:
    page.goto(live_server("/login"))
    _type_into(page, "input[name=email]", email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _bundle(app, name: str) -> Bundle:
    with app.app_context():
        return db.session.scalar(db.select(Bundle).where(Bundle.name == name))


def test_coordinator_runs_a_round_from_bundling_to_published_feedback(pages, live_server, make, app):
    partnership = make.partnership(name="Wijkverband Noord", slug="noord")
    coordinator = make.user(partnership, Role.COORDINATOR, email="sanne@noord.example.org")
    expert = make.user(partnership, Role.ERVARINGSDESKUNDIGE, email="kees@noord.example.org")
    location = make.location(partnership, name="Buurthuis De Schakel")
    for text in (*STOEP, STOEP_LATE):
        make.signal(partnership, text, Source.RESIDENT_QR, location_id=location.id)
    for text in POEP:
        make.signal(partnership, text, Source.HOST_CONVERSATION)
    make.signal(partnership, JONGEREN, Source.PROFESSIONAL_MICRO, micro_question=1,
                micro_question_text="Wat hoor je vaak?")

    desk = pages.open("desktop")
    _keyboard_login(desk, live_server, coordinator.email)
    assert desk.get_by_role("heading", level=1).inner_text().startswith("Top 3")

    # Bundling, by keyboard: tick the two stoep signals (Space), name the bundle, press Enter.
    _enter(desk, desk.get_by_role("navigation").get_by_role("link", name="Bundelen"))
    for text in STOEP:
        tab_to(desk, desk.get_by_label(text, exact=True), max_presses=80)
        desk.keyboard.press("Space")
    _type_into(desk, desk.get_by_label("Naam nieuwe bundel"), "Losse stoeptegels")
    with desk.expect_navigation():
        desk.keyboard.press("Enter")
    assert "Losse stoeptegels" in desk.get_by_role("status").first.inner_text()
    stoep = _bundle(app, "Losse stoeptegels")
    assert stoep is not None

    # A suggestion: the third stoep signal belongs in that bundle. One click.
    late = desk.locator(".suggestion-list > li").filter(has_text=STOEP_LATE)
    with desk.expect_navigation():
        late.get_by_role("button", name="Voeg toe aan ‘Losse stoeptegels’").click()
    # A proposed group: the two dog-mess signals, under the proposed name, by keyboard.
    group_button = desk.locator(".suggestion-list form").filter(has_text=POEP[0]).get_by_role("button")
    assert group_button.inner_text() == "Maak deze bundel (2 signalen)"
    _enter(desk, group_button)
    # The last one by hand again.
    tab_to(desk, desk.get_by_label(JONGEREN, exact=True), max_presses=80)
    desk.keyboard.press("Space")
    _type_into(desk, desk.get_by_label("Naam nieuwe bundel"), "Jongeren op straat")
    with desk.expect_navigation():
        desk.keyboard.press("Enter")
    assert "Alles is gebundeld" in desk.locator("main").inner_text()
    with app.app_context():
        in_bundles = {text: bundle for text, bundle in db.session.execute(
            db.select(Signal.text, Bundle.name).join(Bundle, Signal.bundle_id == Bundle.id))}
    assert in_bundles == {STOEP[0]: "Losse stoeptegels", STOEP[1]: "Losse stoeptegels",
                          STOEP_LATE: "Losse stoeptegels", POEP[0]: "Hondenpoep, park",
                          POEP[1]: "Hondenpoep, park", JONGEREN: "Jongeren op straat"}

    # The top 3, in order of size.
    desk.get_by_role("navigation").get_by_role("link", name="Top 3").click()
    top = [name.strip() for name in desk.locator("main h2 a").all_inner_texts()]
    assert top[:3] == ["Losse stoeptegels", "Hondenpoep, park", "Jongeren op straat"], top

    # The meeting view: the timer runs in the browser, without asking the server anything.
    desk.get_by_role("link", name="Naar de ronde: acties, overleg en terugkoppeling").click()
    round_url = desk.url
    desk.get_by_role("link", name="Start het overleg (scherm)").click()
    clock = desk.locator(".timer-clock").first
    before = clock.inner_text()
    requests = []
    desk.on("request", lambda request: requests.append(request.url))
    desk.get_by_role("button", name="Start").first.click()
    desk.wait_for_function("before => document.querySelector('.timer-clock').textContent !== before", arg=before)
    assert clock.inner_text() < before, f"the clock should count down from {before}, shows {clock.inner_text()}"
    assert requests == [], f"the timer asked the server for {requests}"
    assert desk.get_by_role("button", name="Pauze").count() == 1

    # Choosing, by keyboard: score the top 5 (a focused select takes the typed digit) and save.
    desk.goto(round_url)
    _enter(desk, desk.get_by_role("link", name="Scoren en kiezen"))
    assert desk.locator("figure svg").is_visible()
    for name, (_title, feasibility, impact) in ACTIONS.items():
        tab_to(desk, desk.get_by_label(f"Haalbaarheid van {name}"), max_presses=60)
        desk.keyboard.type(feasibility)
        desk.keyboard.press("Tab")
        desk.keyboard.type(impact)
    _enter(desk, desk.get_by_role("button", name="Bewaar de scores"))
    assert "De scores zijn opgeslagen" in desk.get_by_role("status").first.inner_text()
    with app.app_context():
        scores = {(a.bundle_id, a.feasibility, a.impact) for a in db.session.scalars(db.select(BundleAssessment))}
    assert scores >= {(stoep.id, 4, 5), (_bundle(app, "Hondenpoep, park").id, 5, 3)}

    for name, (title, _feasibility, _impact) in ACTIONS.items():
        row = desk.locator("table tr").filter(has_text=name).filter(has=desk.get_by_role("link", name="Kies als actie"))
        _enter(desk, row.get_by_role("link", name="Kies als actie"))
        assert desk.get_by_label("Bundel waar deze actie op antwoordt").input_value() == str(_bundle(app, name).id)
        _type_into(desk, desk.get_by_label("2. Beoogde opbrengst voor inwoners"), "Bewoners lopen veilig en schoon.")
        _type_into(desk, desk.get_by_label("3. De actie"), title)
        tab_to(desk, desk.get_by_label("4. Eigenaar"))
        desk.keyboard.type("sanne")
        _type_into(desk, desk.get_by_label("5. Eerste stap"), "Bellen met de wijkmanager")
        _type_into(desk, desk.get_by_label("7. Terugkoppeling aan inwoners (1 zin)"), f"{title}: daar werken we aan.")
        _type_into(desk, desk.get_by_label("Waarom kiezen jullie deze actie?"), "Veel bewoners noemen het.")
        _enter(desk, desk.get_by_role("button", name="Kies deze actie"))
        assert desk.get_by_role("heading", level=1).inner_text().startswith(title), \
            desk.locator(".error-summary").all_inner_texts()
        desk.goto(round_url)
        desk.get_by_role("link", name="Scoren en kiezen").click()
    with app.app_context():
        chosen = {a.title: (a.owner_id, a.feasibility, a.impact, a.bundle_id) for a in db.session.scalars(db.select(Action))}
    assert chosen == {
        "Stoep Lindelaan laten maken": (coordinator.id, 4, 5, stoep.id),
        "Afvalbakken voor hondenpoep bij de vijver": (coordinator.id, 5, 3, _bundle(app, "Hondenpoep, park").id)}

    # Feedback: the draft is prefilled; write part 3, save and read the plain-language check.
    desk.goto(round_url)
    desk.get_by_role("link", name="Terugkoppeling schrijven").click()
    part_3 = desk.get_by_label("3. Dit lukt (nog) niet — en waarom")
    assert "Jongeren op straat" in part_3.input_value()
    part_3.fill(NOT_POSSIBLE)
    with desk.expect_navigation():
        desk.get_by_role("button", name="Bewaren en controleren").click()
    check = desk.locator("#check")
    assert check.count() == 1 and check.inner_text().strip(), "the plain-language check should show"

    # The ervaringsdeskundige reads it in a browser of their own and approves it.
    reviewer = pages.open("desktop")
    _keyboard_login(reviewer, live_server, expert.email)
    reviewer.get_by_role("navigation").get_by_role("link", name="Teksten nakijken").click()
    reviewer.get_by_role("link", name="Ronde 1").click()
    assert NOT_POSSIBLE in reviewer.locator("main").inner_text()
    reviewer.get_by_label("Goedkeuren").check()
    reviewer.get_by_label("Opmerking voor de schrijver").fill("Helder geschreven.")
    with reviewer.expect_navigation():
        reviewer.get_by_role("button", name="Versturen").click()

    # Publishing, by keyboard.
    desk.reload()
    assert "Goedgekeurd door kees" in desk.locator("main").inner_text()
    _enter(desk, desk.get_by_role("button", name="Publiceren"))
    assert "Versie 1 staat online." in desk.get_by_role("status").first.inner_text()
    with app.app_context():
        published = db.session.scalar(db.select(Feedback).where(Feedback.version == 1))
        assert (published.not_possible, published.was_reviewed) == (NOT_POSSIBLE, True)
        assert "Stoep Lindelaan laten maken" in published.done

    # The folder of the round: a PDF and a workbook.
    with desk.expect_download() as pdf_download:
        desk.get_by_role("link", name="PDF: afspraken, actielijst en terugkoppeling").click()
    pdf_text = "\n".join(page.extract_text() for page in pypdf.PdfReader(pdf_download.value.path()).pages)
    assert "Stoep Lindelaan laten maken" in pdf_text
    assert "Afvalbakken voor hondenpoep" in pdf_text
    with desk.expect_download() as xlsx_download:
        desk.get_by_role("link", name="Excel: signalen, bundels, acties en terugkoppeling").click()
    assert xlsx_download.value.suggested_filename == "mapje-noord-ronde-1.xlsx"
    workbook = openpyxl.load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes()), read_only=True)
    cells = {str(cell) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for cell in row}
    assert {"Stoep Lindelaan laten maken", STOEP_LATE} <= cells

    # What residents now read.
    phone = pages.open("phone", "/w/noord")
    public = phone.locator("main").inner_text()
    assert "Stoep Lindelaan laten maken" in public and NOT_POSSIBLE in public
