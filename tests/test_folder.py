"""The folder: one PDF and one Excel workbook per round, opened and read back."""
from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.conftest import count
from tests.feedback_helpers import build_round, feedback_form
from wijkapp.extensions import db
from wijkapp.models import Action, AuditEvent, ParticipationPlan, Partnership, Round
from wijkapp.services import folder


@pytest.fixture
def world(coordinator_setup, make, app):
    partnership, coordinator, location = coordinator_setup
    scenario = build_round(make, partnership, coordinator, location)
    with app.app_context():
        db.session.add(ParticipationPlan(
            partnership_id=partnership.id, version=2, question="Hoe maken we de Kerkstraat veiliger?",
            target_group="Ouders, kinderen en ouderen in Noord", intended_change="Minder hard rijden",
            noticeable_when="Na de zomer", base_form="A", where_when="Elke maand in de bibliotheek",
            organiser="Ahmed (opbouwwerk)", agenda_moment="Zesweekse overleg", decider="Kernteam",
            follow_up_actions="Drempels, handhaving", feedback_what="Wat we hoorden en doen",
            feedback_channel_when="Website en inloop, twee weken na het overleg", feedback_owner="Sanne",
        ))
        db.session.commit()
    return partnership, coordinator, location, scenario


def pdf_text(data: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def test_pdf_holds_the_three_templates_with_dutch_characters(client, app, world):
    *_, scenario = world
    client.post(f"/p/noord/coordinator/rounds/{scenario.round_id}/feedback",
                data=feedback_form(heard="Dit hoorden we: één café, ruïne, geïnteresseerd — “echt” ‘zo’… €5",
                                   publish="1", confirm_unreviewed="y"))
    response = client.get(f"/p/noord/coordinator/rounds/{scenario.round_id}/folder.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "mapje-noord-ronde-1.pdf" in response.headers["Content-Disposition"]
    text, pages = pdf_text(response.data)
    for expected in ("Template 1", "Hoe maken we de Kerkstraat veiliger?", "Wie is eigenaar van de terugkoppeling?",
                     "Template 2", "Drempels in de Kerkstraat", "Gemeente, school", "Eerste stap (binnen 2 weken)",
                     "Checkmoment / evaluatie", "Template 3", "Dit lukt (nog) niet - en waarom",
                     "één café, ruïne, geïnteresseerd - \"echt\" 'zo'... EUR5", "Alles past in één mapje"):
        assert expected in " ".join(text.split()), expected
    assert pages >= 3
    with app.app_context():
        assert count(AuditEvent, AuditEvent.action == "export_folder_pdf") == 1


def test_pdf_with_very_long_texts_and_many_actions_flows_over_pages(app, world):
    partnership, coordinator, _, scenario = world
    with app.app_context():
        for n in range(40):
            db.session.add(Action(
                partnership_id=partnership.id, round_id=scenario.round_id, title=f"Actie nummer {n} " + "lang " * 30,
                description="Een heel lange beschrijving. " * 200 + "https://" + "x" * 300,
                owner_id=coordinator.id, first_step="Bellen", first_step_on=date.today(),
                check_on=date.today() + timedelta(days=50), stop_reason="", status="bezig"))
        db.session.commit()
        data = folder.folder_pdf(db.session.get(Partnership, partnership.id), db.session.get(Round, scenario.round_id))
    text, pages = pdf_text(data)
    assert pages > 40
    assert "Actie nummer 39" in text
    assert "xxxxxxxx" in text  # a word longer than the line is broken, not dropped


def test_pdf_without_plan_actions_or_feedback_says_so(app, make):
    with app.app_context():
        partnership = make.partnership()
        round_ = Round(partnership_id=partnership.id, number=1, starts_on=date.today())
        db.session.add(round_)
        db.session.commit()
        text, _ = pdf_text(folder.folder_pdf(db.session.get(Partnership, partnership.id), round_))
    assert "Nog niet vastgelegd." in text and "(nog) geen acties" in text and "Nog niet gepubliceerd." in text


def test_workbook_has_sheets_for_signals_bundles_actions_and_feedback(client, app, world):
    *_, scenario = world
    client.post(f"/p/noord/coordinator/rounds/{scenario.round_id}/feedback",
                data=feedback_form(contact="=HYPERLINK(\"http://evil\") Kom naar café De Ruïne",
                                   publish="1", confirm_unreviewed="y"))
    response = client.get(f"/p/noord/coordinator/rounds/{scenario.round_id}/folder.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["Signalen", "Bundels", "Acties", "Terugkoppeling"]
    signals = list(workbook["Signalen"].values)
    assert signals[0][:3] == ("Nummer", "Datum", "Signaal") and len(signals) == 5
    assert "Auto's rijden te hard, deel 0" in [row[2] for row in signals]
    bundles = list(workbook["Bundels"].values)
    assert bundles[1][1] == "Te hard rijden in de Kerkstraat" and bundles[1][-1] == "ja"
    actions = list(workbook["Acties"].values)
    assert "3. Actie van het hechte wijkverband" in actions[0]
    assert "Drempels in de Kerkstraat\nTwee drempels bij de school." in actions[1]
    feedback = list(workbook["Terugkoppeling"].values)
    assert feedback[0][5] == "Dit lukt (nog) niet — en waarom"
    cell = workbook["Terugkoppeling"].cell(2, 9)
    assert cell.value.endswith("café De Ruïne") and cell.data_type == "s"  # text, never a formula
    with app.app_context():
        assert count(AuditEvent, AuditEvent.action == "export_folder_xlsx") == 1


def test_pdf_safe_maps_characters_outside_latin_1():
    assert folder.pdf_safe("a — b ‘c’ “d” … € ü ✓") == "a - b 'c' \"d\" ... EUR ü ?"
