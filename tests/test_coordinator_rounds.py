"""Rounds pages: cadence, opening a round, the round page, the meeting screen, agenda and choosing."""
from __future__ import annotations

import re
from datetime import date, timedelta

from tests.conftest import count
from tests.rounds_helpers import add_action, bundled_round
from wijkapp.extensions import db
from wijkapp.models import BundleAssessment, Partnership, Role, Round
from wijkapp.services import rounds


def test_cadence_is_stored_and_drives_the_proposed_meeting(client, app, coordinator_setup):
    partnership, _, _ = coordinator_setup
    response = client.post("/p/noord/coordinator/rounds/cadence", data={"cadence": "4w"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Partnership, partnership.id).cadence == "4w"
        r = rounds.round_for_date(db.session.get(Partnership, partnership.id), date.today())
        r.meeting_on = date.today() + timedelta(days=3)
        db.session.commit()
    page = client.get("/p/noord/coordinator/rounds").get_data(as_text=True)
    expected = (date.today() + timedelta(days=3 + 28)).isoformat()
    assert re.search(rf'id="meeting_on"[^>]*value="{expected}"', page)
    assert "Elke 4 weken" in page


def test_open_the_next_round_in_one_click(client, app, coordinator_setup):
    partnership, _, _ = coordinator_setup
    with app.app_context():
        db.session.add(Round(partnership_id=partnership.id, number=1, starts_on=date.today() - timedelta(days=30)))
        db.session.commit()
    page = client.get("/p/noord/coordinator/rounds").get_data(as_text=True)
    starts = re.search(r'id="starts_on"[^>]*value="([^"]+)"', page).group(1)
    meeting = re.search(r'id="meeting_on"[^>]*value="([^"]+)"', page).group(1)
    response = client.post("/p/noord/coordinator/rounds/open", data={"starts_on": starts, "meeting_on": meeting})
    assert response.status_code == 302
    with app.app_context():
        new = db.session.scalar(db.select(Round).where(Round.partnership_id == partnership.id, Round.number == 2))
        assert new.starts_on == date.today() and new.meeting_on.isoformat() == meeting
        assert rounds.round_for_date(db.session.get(Partnership, partnership.id), date.today()).id == new.id
    assert "Ronde 2 is geopend" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_opening_with_a_meeting_before_the_start_says_why(client, app, coordinator_setup):
    partnership, _, _ = coordinator_setup
    response = client.post("/p/noord/coordinator/rounds/open",
                           data={"starts_on": date.today().isoformat(),
                                 "meeting_on": (date.today() - timedelta(days=1)).isoformat()})
    assert response.status_code == 422
    assert "De overlegdatum ligt voor de start van de ronde" in response.get_data(as_text=True)
    with app.app_context():
        # The refused round is not stored (round 1, made on first use by the page, goes with the 422's rollback).
        assert count(Round, Round.partnership_id == partnership.id, Round.number > 1) == 0


def test_round_page_shows_signals_bundles_top5_actions_and_feedback(client, app, make, coordinator_setup):
    partnership, coordinator, location = coordinator_setup
    round_id, ids = bundled_round(app, make, partnership, location)
    add_action(app, partnership, round_id, coordinator.id, title="Drempel aanvragen",
               bundle_id=ids["Te hard rijden Kerkstraat"])
    page = client.get(f"/p/noord/coordinator/rounds/{round_id}").get_data(as_text=True)
    assert "Signalen binnen" in page and ">27<" in page
    top = re.search(r'<ol class="top-list">(.*?)</ol>', page, re.S).group(1)
    assert top.count("<li>") == 5 and "Parkeren bij school" not in top
    assert "Drempel aanvragen" in page and "Waarom: Veel genoemd." in page
    assert "We vragen een drempel aan." in page  # feedback due


def test_meeting_view_has_three_time_boxed_blocks_and_no_inline_script(client, app, make, coordinator_setup):
    partnership, _, location = coordinator_setup
    round_id, _ = bundled_round(app, make, partnership, location)
    response = client.get(f"/p/noord/coordinator/rounds/{round_id}/meeting")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for title, minutes in (("Top 5 signalen", 5), ("Top 1–2 acties", 10), ("Wat koppelen we terug?", 5)):
        assert re.search(rf'data-minutes="{minutes}" data-label="{re.escape(title)}"', page)
        assert f"{minutes} minuten" in page  # readable without JavaScript
    assert "/static/js/meeting.js" in page
    assert "<script>" not in page and " style=" not in page
    assert "Te hard rijden Kerkstraat" in page


def test_agenda_printable_and_as_text(client, app, make, coordinator_setup):
    partnership, _, location = coordinator_setup
    round_id, _ = bundled_round(app, make, partnership, location)
    page = client.get(f"/p/noord/coordinator/rounds/{round_id}/agenda").get_data(as_text=True)
    assert '<textarea id="agenda-tekst"' in page and "1. Top 5 signalen (5 min)" in page
    response = client.get(f"/p/noord/coordinator/rounds/{round_id}/agenda.txt")
    text = response.get_data(as_text=True)
    assert response.mimetype == "text/plain"
    assert "attachment" in response.headers["Content-Disposition"]
    assert text.splitlines()[1] == "Vast agendapunt wijkverband (20 minuten)"
    assert "2. Top 1–2 acties (10 min)" in text and "3. Wat koppelen we terug? (5 min)" in text
    assert "   1. Te hard rijden Kerkstraat" in text


def test_scores_are_stored_and_drawn_in_a_2x2_readable_without_colour(client, app, make, coordinator_setup):
    partnership, _, location = coordinator_setup
    round_id, ids = bundled_round(app, make, partnership, location)
    form = {f"feasibility_{bid}": "" for bid in ids.values()} | {f"impact_{bid}": "" for bid in ids.values()}
    speed, trash = ids["Te hard rijden Kerkstraat"], ids["Afval bij de flat"]
    form.update({f"feasibility_{speed}": "4", f"impact_{speed}": "5", f"feasibility_{trash}": "2", f"impact_{trash}": "1"})
    response = client.post(f"/p/noord/coordinator/rounds/{round_id}/choose", data=form)
    assert response.status_code == 302
    with app.app_context():
        stored = {a.bundle_id: (a.feasibility, a.impact) for a in db.session.scalars(db.select(BundleAssessment))}
    assert stored[speed] == (4, 5) and stored[trash] == (2, 1)
    page = client.get(f"/p/noord/coordinator/rounds/{round_id}/choose").get_data(as_text=True)
    svg = re.search(r"<svg.*?</svg>", page, re.S).group(0)
    assert 'role="img"' in svg and "<title" in svg
    assert "Te hard rijden Kerkstraat: haalbaarheid 4, impact 5 (Kansrijk: kies hieruit)" in svg
    assert "Afval bij de flat: haalbaarheid 2, impact 1 (Nu laten liggen)" in svg
    assert 'fill="url(#hatch)"' in svg and "Gearceerd = kansrijk" in svg
    assert f"bundle={speed}" in page  # "Kies als actie"


def test_a_score_outside_1_to_5_is_refused(client, app, make, coordinator_setup):
    partnership, _, location = coordinator_setup
    round_id, ids = bundled_round(app, make, partnership, location)
    bid = ids["Te hard rijden Kerkstraat"]
    response = client.post(f"/p/noord/coordinator/rounds/{round_id}/choose", data={f"feasibility_{bid}": "9"})
    assert response.status_code == 422
    assert "Kies een van de opties uit de lijst." in response.get_data(as_text=True)
    with app.app_context():
        assert count(BundleAssessment) == 0


def test_round_of_another_partnership_is_404(client, app, make, coordinator_setup):
    other = make.partnership()
    with app.app_context():
        foreign = rounds.round_for_date(db.session.get(Partnership, other.id), date.today())
        db.session.commit()
        foreign_id = foreign.id
    for path in ("", "/meeting", "/agenda", "/agenda.txt", "/choose"):
        assert client.get(f"/p/noord/coordinator/rounds/{foreign_id}{path}").status_code == 404


def test_only_coordinators_open_round_pages(client, app, make, auth):
    partnership = make.partnership(slug="zuid")
    host = make.user(partnership, Role.HOST)
    auth.login(host)
    assert client.get("/p/zuid/coordinator/rounds").status_code == 403
