"""The coordinator writes, checks and publishes; the ervaringsdeskundige reviews."""
from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
import zxingcpp
from PIL import Image

from tests.conftest import count
from tests.feedback_helpers import build_round, feedback_form
from wijkapp.extensions import db
from wijkapp.models import Action, AuditEvent, Feedback, PlainWord, Role


@pytest.fixture
def world(coordinator_setup, make):
    partnership, coordinator, location = coordinator_setup
    scenario = build_round(make, partnership, coordinator, location)
    return partnership, coordinator, location, scenario


def edit_url(scenario):
    return f"/p/noord/coordinator/rounds/{scenario.round_id}/feedback"


def test_edit_page_opens_with_a_prefilled_draft_and_the_check(client, app, world):
    *_, scenario = world
    html = client.get(edit_url(scenario)).get_data(as_text=True)
    assert "Te hard rijden in de Kerkstraat (3 signalen)" in html
    assert "Drempels in de Kerkstraat" in html
    assert "Leesbaarheid" in html and "Flesch-Douma" in html
    with app.app_context():
        assert count(Feedback, Feedback.version == 0) == 1


def test_saving_shows_officialese_and_long_sentences(client, world):
    *_, scenario = world
    long = "Wij " + " ".join(["gaan"] * 24) + " door."
    response = client.post(edit_url(scenario), data=feedback_form(heard=f"Inzake de straat. {long}", save="1"))
    assert response.status_code == 302
    html = client.get(response.location).get_data(as_text=True)
    assert "<mark" in html and "→ over" in html
    assert "lange zin: 26 woorden" in html


def test_publishing_with_an_empty_part_keeps_what_was_typed(client, app, world):
    *_, scenario = world
    response = client.post(edit_url(scenario), data=feedback_form(contact="", heard="Mijn eigen tekst blijft staan.",
                                                                  publish="1", confirm_unreviewed="y"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Vul deel 5 in: waar kunnen bewoners reageren of meedoen?" in html
    assert "Mijn eigen tekst blijft staan." in html
    with app.app_context():
        assert count(Feedback, Feedback.version > 0) == 0
        assert db.session.scalar(db.select(Feedback.heard).where(Feedback.version == 0)) == "Mijn eigen tekst blijft staan."


def test_publishing_without_review_asks_for_confirmation(client, app, world):
    *_, scenario = world
    response = client.post(edit_url(scenario), data=feedback_form(publish="1"))
    assert response.status_code == 422
    assert "nog niet goedgekeurd" in response.get_data(as_text=True)
    with app.app_context():
        assert count(Feedback, Feedback.version > 0) == 0
    confirmed = client.post(edit_url(scenario), data=feedback_form(publish="1", confirm_unreviewed="y"))
    assert confirmed.status_code == 302
    with app.app_context():
        version = db.session.scalar(db.select(Feedback).where(Feedback.version == 1))
        assert not version.was_reviewed
        assert count(AuditEvent, AuditEvent.action == "feedback_published") == 1


def test_review_then_publish_without_confirmation(client, app, auth, make, world):
    partnership, coordinator, _, scenario = world
    client.post(edit_url(scenario), data=feedback_form(save="1"))
    expert = make.user(partnership, Role.ERVARINGSDESKUNDIGE)
    auth.logout()
    auth.login(expert)
    with app.app_context():
        draft_id = db.session.scalar(db.select(Feedback.id).where(Feedback.version == 0))
    assert "nog niet nagekeken" in client.get("/p/noord/expert/feedback").get_data(as_text=True)
    page = client.get(f"/p/noord/expert/feedback/{draft_id}")
    assert page.status_code == 200 and "Leesbaarheid" in page.get_data(as_text=True)
    missing = client.post(f"/p/noord/expert/feedback/{draft_id}", data={"decision": "return", "comment": ""})
    assert missing.status_code == 422 and "Schrijf wat er beter kan" in missing.get_data(as_text=True)
    client.post(f"/p/noord/expert/feedback/{draft_id}", data={"decision": "return", "comment": "Zin 2 is te lang."})
    auth.logout()
    auth.login(coordinator)
    assert "Zin 2 is te lang." in client.get(edit_url(scenario)).get_data(as_text=True)
    auth.logout()
    auth.login(expert)
    client.post(f"/p/noord/expert/feedback/{draft_id}", data={"decision": "approve", "comment": ""})
    auth.logout()
    auth.login(coordinator)
    assert client.post(edit_url(scenario), data=feedback_form(publish="1")).status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(Feedback).where(Feedback.version == 1)).was_reviewed


def test_updates_add_versions(client, app, world):
    *_, scenario = world
    client.post(edit_url(scenario), data=feedback_form(publish="1", confirm_unreviewed="y"))
    client.post(edit_url(scenario), data=feedback_form(done="De drempels liggen er.", publish="1",
                                                       confirm_unreviewed="y"))
    with app.app_context():
        assert [v for (v,) in db.session.execute(
            db.select(Feedback.version).where(Feedback.version > 0).order_by(Feedback.version))] == [1, 2]
    html = client.get(edit_url(scenario)).get_data(as_text=True)
    assert "Publiceer een update" in html


def test_overdue_feedback_shows_on_home_and_overview(client, app, world):
    *_, scenario = world
    with app.app_context():
        action = db.session.get(Action, scenario.action_id)
        action.next_update_on = date.today() - timedelta(days=2)
        db.session.commit()
    home = client.get("/p/noord/coordinator/").get_data(as_text=True)
    assert "Terugkoppeling te doen" in home and "Te laat" in home and "Drempels in de Kerkstraat" in home
    assert "Terugkoppeling Ronde 1" in client.get("/p/noord/coordinator/feedback").get_data(as_text=True)


def test_plain_word_list_can_be_extended(client, app, world):
    response = client.post("/p/noord/coordinator/plain-words", data={"word": "Wijkteam", "alternative": "de hulpverleners"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(PlainWord.word)) == "wijkteam"
    bad = client.post("/p/noord/coordinator/plain-words", data={"word": "iets", "alternative": ""})
    assert bad.status_code == 422 and "Vul een gewoner woord in." in bad.get_data(as_text=True)


def test_loop_dashboard_draws_svg_charts(client, world):
    *_, scenario = world
    client.post(edit_url(scenario), data=feedback_form(publish="1", confirm_unreviewed="y"))
    html = client.get("/p/noord/coordinator/loop").get_data(as_text=True)
    assert html.count("<svg") == 4
    assert "100% (4 van 4)" in html and "op tijd" in html


def test_feedback_poster_has_a_qr_code_to_the_location_page(client, app, world):
    _, _, location, scenario = world
    client.post(edit_url(scenario), data=feedback_form(publish="1", confirm_unreviewed="y"))
    html = client.get(f"/p/noord/coordinator/locations/{location.id}/feedback-poster").get_data(as_text=True)
    assert "Dit hoorden we" in html and "Dit doen we" in html
    assert "Te hard rijden in de Kerkstraat" in html and "Drempels in de Kerkstraat" in html
    assert html.index("Te hard rijden") < html.index("Zwerfafval")  # most heard first, not alphabetical
    assert f"wijk.example.nl/w/noord/{location.code}" in html
    png = client.get(f"/p/noord/coordinator/locations/{location.id}/feedback-qr.png")
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.data)))
    assert [d.text for d in decoded] == [f"https://wijk.example.nl/w/noord/{location.code}"]
    assert client.get(f"/p/noord/coordinator/locations/{location.id}/feedback-qr.svg").mimetype == "image/svg+xml"


def test_other_partnerships_rounds_are_not_found(client, make, world):
    other = make.partnership(slug="elders")
    other_coordinator = make.user(other)
    other_scenario = build_round(make, other, other_coordinator, make.location(other))
    assert client.get(f"/p/noord/coordinator/rounds/{other_scenario.round_id}/feedback").status_code == 404
    assert client.get(f"/p/noord/coordinator/rounds/{other_scenario.round_id}/folder.pdf").status_code == 404


@pytest.mark.parametrize("path", ["feedback", "loop", "outbox", "plain-words"])
def test_pages_need_a_coordinator(client, make, auth, path):
    partnership = make.partnership(slug="noord")
    auth.login(make.user(partnership, Role.HOST))
    assert client.get(f"/p/noord/coordinator/{path}").status_code == 403


def test_practice_page_and_meeting_show_what_residents_could_read(client, world):
    *_, scenario = world
    practice = f"/p/noord/coordinator/actions/{scenario.action_id}/practice"
    meeting = f"/p/noord/coordinator/rounds/{scenario.round_id}/meeting"
    assert "nog geen terugkoppeling aan bewoners gepubliceerd" in client.get(practice).get_data(as_text=True)
    assert "Nog geen terugkoppeling voor deze ronde." in client.get(meeting).get_data(as_text=True)
    client.post(edit_url(scenario), data=feedback_form(publish="1", confirm_unreviewed="y"))
    html = client.get(practice).get_data(as_text=True)
    assert "Terugkoppeling ronde 1, versie 1, gepubliceerd op" in html
    assert "niet nagekeken door een ervaringsdeskundige" in html
    assert "Gepubliceerd: versie 1" in client.get(meeting).get_data(as_text=True)
