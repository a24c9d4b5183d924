"""The private .ics feeds, parsed with icalendar as a calendar app would."""
from __future__ import annotations

import re
from datetime import date, timedelta

from icalendar import Calendar

from tests.rounds_helpers import add_action, bundled_round
from wijkapp.extensions import db
from wijkapp.models import Action, CalendarFeed, Membership, Role, Round
from wijkapp.services import actions


def _events(response) -> dict[str, object]:
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    return {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


def _feed_path(page: str) -> str:
    return re.search(r'(/agenda/[A-Za-z0-9_-]+\.ics)', page).group(1)


def test_partnership_feed_has_meetings_first_steps_and_check_moments(client, app, make, auth, coordinator_setup):
    partnership, coordinator, location = coordinator_setup
    round_id, _ = bundled_round(app, make, partnership, location)
    meeting = date.today() + timedelta(days=10)
    with app.app_context():
        db.session.get(Round, round_id).meeting_on = meeting
        db.session.commit()
    host = make.user(partnership, Role.HOST)
    action_id = add_action(app, partnership, round_id, host.id, title="Bankje plaatsen")
    assert client.post("/p/noord/coordinator/calendar").status_code == 302
    path = _feed_path(client.get("/p/noord/coordinator/calendar").get_data(as_text=True))
    auth.logout()  # calendar apps do not log in
    events = _events(client.get(path))
    first, check = actions.default_dates(date.today())
    assert events["Overleg wijkverband: Ronde 1"]["DTSTART"].dt == meeting
    assert "Top 5 signalen (5 min)" in str(events["Overleg wijkverband: Ronde 1"]["DESCRIPTION"])
    assert events["Eerste stap: Bankje plaatsen"]["DTSTART"].dt == first
    assert events["Checkmoment: Bankje plaatsen"]["DTSTART"].dt == check
    assert str(events["Checkmoment: Bankje plaatsen"]["UID"]) == f"action-{action_id}-check@wijkapp"


def test_a_new_token_revokes_the_old_address(client, app, coordinator_setup):
    client.post("/p/noord/coordinator/calendar")
    old = _feed_path(client.get("/p/noord/coordinator/calendar").get_data(as_text=True))
    assert client.get(old).status_code == 200
    client.post("/p/noord/coordinator/calendar")
    new = _feed_path(client.get("/p/noord/coordinator/calendar").get_data(as_text=True))
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(CalendarFeed.id))) == 1


def test_person_feed_holds_only_their_own_open_actions(client, app, make, auth, coordinator_setup):
    partnership, coordinator, location = coordinator_setup
    round_id, _ = bundled_round(app, make, partnership, location)
    host = make.user(partnership, Role.HOST)
    add_action(app, partnership, round_id, host.id, title="Van de gastvrouw")
    add_action(app, partnership, round_id, coordinator.id, title="Van de coördinator")
    stopped = add_action(app, partnership, round_id, host.id, title="Gestopte actie",
                         over_limit_reason="Test")
    with app.app_context():
        actions.add_update(db.session.get(Action, stopped), None, "", "gestopt", "Niet meer nodig")
        db.session.commit()
    auth.logout()
    auth.login(host)
    client.post("/p/noord/mine/calendar")
    path = _feed_path(client.get("/p/noord/mine/").get_data(as_text=True))
    assert path.startswith("/agenda/")
    events = _events(client.get(path))
    assert "Eerste stap: Van de gastvrouw" in events
    assert "Eerste stap: Van de coördinator" not in events
    assert "Eerste stap: Gestopte actie" not in events
    # someone who leaves the partnership loses the feed
    with app.app_context():
        db.session.execute(db.delete(Membership).where(Membership.user_id == host.id))
        db.session.commit()
    assert client.get(path).status_code == 404


def test_unknown_token_is_404(client, app):
    assert client.get("/agenda/niet-bestaand.ics").status_code == 404
    assert client.get("/agenda/" + "x" * 80 + ".ics").status_code == 404
