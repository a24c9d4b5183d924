"""Coordinator: locations with QR codes and posters, signals list, CSV export, themes, questions, panels."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime
from xml.etree import ElementTree

import pytest
import zxingcpp
from PIL import Image

from tests.conftest import PUBLIC_BASE_URL, count
from wijkapp.extensions import db
from wijkapp.models import AuditEvent, Location, PanelSession, Partnership, Signal, Source, Theme


def test_create_location_gives_a_stable_short_code(client, app, coordinator_setup):
    response = client.post("/p/noord/coordinator/locations", data={
        "name": "Bibliotheek Noord", "description": "Bij de leestafel", "is_active": "y"})
    assert response.status_code == 302
    with app.app_context():
        location = db.session.scalar(db.select(Location).where(Location.name == "Bibliotheek Noord"))
        code = location.code
        assert len(code) == 6 and code.islower() and location.is_active
    client.post(f"/p/noord/coordinator/locations/{location.id}", data={"name": "Bieb Noord", "description": ""})
    with app.app_context():
        renamed = db.session.get(Location, location.id)
        assert (renamed.name, renamed.code, renamed.is_active) == ("Bieb Noord", code, False)


def test_location_without_name_is_refused(client, app, coordinator_setup):
    response = client.post("/p/noord/coordinator/locations", data={"name": "", "description": "Iets"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert html.count("Vul de naam van de locatie in.") == 2 and "Iets" in html
    with app.app_context():
        assert count(Location) == 1


def test_qr_png_decodes_to_the_public_url(client, coordinator_setup):
    _, _, location = coordinator_setup
    response = client.get(f"/p/noord/coordinator/locations/{location.id}/qr.png")
    assert response.mimetype == "image/png"
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(response.data)))
    assert [b.text for b in decoded] == [f"{PUBLIC_BASE_URL}/s/{location.code}"]


def test_qr_svg_encodes_the_same_url(client, coordinator_setup):
    _, _, location = coordinator_setup
    response = client.get(f"/p/noord/coordinator/locations/{location.id}/qr.svg")
    assert response.mimetype == "image/svg+xml"
    root = ElementTree.fromstring(response.data)
    assert root.tag.endswith("svg")
    png = render_svg_path(root)
    assert [b.text for b in zxingcpp.read_barcodes(png)] == [f"{PUBLIC_BASE_URL}/s/{location.code}"]


def render_svg_path(root) -> Image.Image:
    """Rasterise qrcode's SVG (one path of filled squares) so the test can decode it."""
    import re
    scale = 10
    size = float(root.get("viewBox").split()[2])
    image = Image.new("L", (round(size * scale), round(size * scale)), 255)
    pixels = image.load()
    path = next(el for el in root.iter() if el.tag.endswith("path"))
    for x1, y1, x2, y2 in re.findall(r"M([\d.]+),([\d.]+)H([\d.]+)V([\d.]+)", path.get("d")):
        for px in range(round(float(x1) * scale), round(float(x2) * scale)):
            for py in range(round(float(y1) * scale), round(float(y2) * scale)):
                pixels[px, py] = 0
    return image


def test_poster_shows_qr_url_name_and_invitation(client, coordinator_setup):
    _, _, location = coordinator_setup
    html = client.get(f"/p/noord/coordinator/locations/{location.id}/poster").get_data(as_text=True)
    assert f"wijk.example.nl/s/{location.code}" in html
    assert location.name in html
    assert "Scan de code met je telefoon" in html
    assert f"/locations/{location.id}/qr.svg" in html


def test_location_of_another_partnership_is_404(client, make, coordinator_setup):
    foreign = make.location(make.partnership(slug="elders"), name="Geheim buurthuis")
    for suffix in ("", "/qr.png", "/qr.svg", "/poster"):
        response = client.get(f"/p/noord/coordinator/locations/{foreign.id}{suffix}")
        assert response.status_code == 404
        assert b"Geheim buurthuis" not in response.data


@pytest.fixture
def signals(make, coordinator_setup):
    partnership, _, location = coordinator_setup
    second = make.location(partnership, name="Huisartsenpraktijk")
    make.signal(partnership, "Ze scheuren door de Kerkstraat", Source.RESIDENT_QR, location_id=location.id,
                created_at=datetime(2026, 10, 5, 9))
    make.signal(partnership, "Afval naast de container", Source.HOST_CONVERSATION, location_id=second.id,
                created_at=datetime(2026, 10, 20, 9))
    make.signal(partnership, "Eenzaamheid bij ouderen", Source.PROFESSIONAL_MICRO,
                micro_question=1, micro_question_text="Wat hoor je vaak?", created_at=datetime(2026, 11, 2, 9))
    make.signal(make.partnership(slug="elders"), "Signaal van een ander wijkverband", Source.RESIDENT_QR)
    return partnership, location, second


def test_signal_list_shows_the_partnerships_signals_and_counts(client, signals):
    html = client.get("/p/noord/coordinator/signals").get_data(as_text=True)
    assert "Ze scheuren door de Kerkstraat" in html and "Eenzaamheid bij ouderen" in html
    assert "Signaal van een ander wijkverband" not in html
    assert "<strong>3</strong> signalen" in html
    assert "Bewoner via QR-code: 1" in html and "B · Micro-uitvraag via professionals: 1" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("source=host_conversation", ["Afval naast de container"]),
        ("form=B", ["Eenzaamheid bij ouderen"]),
        ("date_from=2026-10-15&date_to=2026-10-31", ["Afval naast de container"]),
    ],
)
def test_signal_filters(client, signals, query, expected):
    html = client.get(f"/p/noord/coordinator/signals?{query}").get_data(as_text=True)
    shown = [t for t in ("Ze scheuren door de Kerkstraat", "Afval naast de container", "Eenzaamheid bij ouderen") if t in html]
    assert shown == expected


def test_filter_by_location_and_theme(client, app, signals):
    partnership, location, _ = signals
    html = client.get(f"/p/noord/coordinator/signals?location={location.id}").get_data(as_text=True)
    assert "Ze scheuren door de Kerkstraat" in html and "Afval naast de container" not in html
    with app.app_context():
        theme_id = db.session.scalar(
            db.select(Theme.id).where(Theme.partnership_id == partnership.id, Theme.name == "Afval"))
        db.session.execute(db.update(Signal).where(Signal.text == "Afval naast de container").values(theme_id=theme_id))
        db.session.commit()
    html = client.get(f"/p/noord/coordinator/signals?theme={theme_id}").get_data(as_text=True)
    assert "Afval naast de container" in html and "Ze scheuren" not in html


def test_invalid_filter_says_why(client, signals):
    response = client.get("/p/noord/coordinator/signals?date_from=2026-11-01&date_to=2026-10-01")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "De einddatum ligt voor de begindatum." in html
    assert "Ze scheuren" not in html


def test_filter_with_another_partnerships_location_is_refused(client, make, signals):
    foreign = make.location(make.partnership(slug="derde"), name="Ver weg")
    html = client.get(f"/p/noord/coordinator/signals?location={foreign.id}").get_data(as_text=True)
    assert "Kies een van de opties uit de lijst." in html


def test_csv_opens_in_excel_with_dutch_characters(client, app, make, signals):
    partnership, _, _ = signals
    make.signal(partnership, "Café ‘De Brug’ — geen drempel; één trap", Source.RESIDENT_QR)
    make.signal(partnership, "=HYPERLINK(\"http://evil\")", Source.RESIDENT_QR)
    response = client.get("/p/noord/coordinator/signals.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    raw = response.data
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:5] == ["Nummer", "Datum", "Tijd", "Ronde", "Signaal"]
    texts = [row[4] for row in rows[1:]]
    assert "Café ‘De Brug’ — geen drempel; één trap" in texts
    assert "'=HYPERLINK(\"http://evil\")" in texts
    assert "Signaal van een ander wijkverband" not in texts
    assert len(rows) == 1 + 5
    with app.app_context():
        assert count(AuditEvent, AuditEvent.action == "export_signals_csv") == 1


def test_csv_follows_the_filters(client, signals):
    raw = client.get("/p/noord/coordinator/signals.csv?source=resident_qr").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(raw), delimiter=";"))
    assert [row[4] for row in rows[1:]] == ["Ze scheuren door de Kerkstraat"]


def test_home_counts_the_current_round_and_points_to_bundling(client, make, coordinator_setup):
    partnership, _, _ = coordinator_setup
    make.signal(partnership, "Nieuw signaal", Source.RESIDENT_QR)
    html = client.get("/p/noord/coordinator/").get_data(as_text=True)
    assert "Ronde 1" in html
    assert "Er is 1 signaal" in html and "waarvan 1 nog niet gebundeld" in html
    assert "Ga naar Bundelen" in html


def test_add_and_hide_a_theme(client, app, coordinator_setup):
    partnership, _, _ = coordinator_setup
    assert client.post("/p/noord/coordinator/themes", data={"name": "Parkeren"}).status_code == 302
    duplicate = client.post("/p/noord/coordinator/themes", data={"name": "parkeren"})
    assert duplicate.status_code == 422 and "Dit thema bestaat al." in duplicate.get_data(as_text=True)
    with app.app_context():
        theme = db.session.scalar(db.select(Theme).where(Theme.name == "Parkeren"))
        assert theme.partnership_id == partnership.id
    client.post(f"/p/noord/coordinator/themes/{theme.id}/toggle")
    with app.app_context():
        assert db.session.get(Theme, theme.id).is_active is False


def test_default_themes_exist(app, coordinator_setup):
    partnership, _, _ = coordinator_setup
    with app.app_context():
        names = db.session.scalars(db.select(Theme.name).where(Theme.partnership_id == partnership.id)).all()
    assert "Verkeer" in names and "Ontmoeting en eenzaamheid" in names and len(names) == 10


def test_micro_questions_can_be_changed(client, app, coordinator_setup):
    partnership, _, _ = coordinator_setup
    client.post("/p/noord/coordinator/micro-survey", data={"question_1": "Wat valt je op?", "question_2": "Wat helpt?"})
    with app.app_context():
        assert db.session.get(Partnership, partnership.id).micro_questions == ("Wat valt je op?", "Wat helpt?")
    empty = client.post("/p/noord/coordinator/micro-survey", data={"question_1": "", "question_2": "Wat helpt?"})
    assert empty.status_code == 422 and "Vul vraag 1 in." in empty.get_data(as_text=True)


def test_panel_session_with_counted_attendees_and_its_signals(client, app, coordinator_setup):
    response = client.post("/p/noord/coordinator/panel-sessions", data={
        "kind": "theme", "topic": "Veilig naar school", "theme": "0", "held_on": date.today().isoformat(),
        "core_attendees": "7", "extra_attendees": "4"})
    assert response.status_code == 302
    with app.app_context():
        session = db.session.scalar(db.select(PanelSession))
        assert (session.kind, session.core_attendees, session.extra_attendees) == ("theme", 7, 4)
    client.post(response.location, data={"text": "Oversteek bij school is onveilig", "theme": "0"})
    with app.app_context():
        signal = db.session.scalar(db.select(Signal))
        assert (signal.source, signal.form, signal.panel_session_id) == ("panel_session", "C", session.id)


def test_panel_session_bad_counts(client, app, coordinator_setup):
    response = client.post("/p/noord/coordinator/panel-sessions", data={
        "kind": "panel", "topic": "Wijkpanel", "theme": "0", "held_on": "", "core_attendees": "-1",
        "extra_attendees": "twee"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Vul de datum in." in html and "Vul een getal in tussen 0 en 500." in html
    with app.app_context():
        assert count(PanelSession) == 0


def test_signal_list_pages_through_a_large_round_keeping_filters(client, app, coordinator_setup):
    from wijkapp.services.intake import record_signal

    partnership, _, _ = coordinator_setup
    with app.app_context():
        p = db.session.get(Partnership, partnership.id)
        for n in range(105):
            record_signal(p, f"Signaal nummer {n:03d}", Source.RESIDENT_QR)
        db.session.commit()
    first = client.get("/p/noord/coordinator/signals?source=resident_qr").get_data(as_text=True)
    assert "Pagina 1 van 2" in first and "Signaal nummer 104" in first and "Signaal nummer 000" not in first
    assert "/signals?page=2&amp;source=resident_qr" in first
    second = client.get("/p/noord/coordinator/signals?page=2&source=resident_qr").get_data(as_text=True)
    assert "Pagina 2 van 2" in second and "Signaal nummer 000" in second
