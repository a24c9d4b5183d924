"""First start in the browser (issue 11, item 5): the setup link, the wizard after it, and the
beheerder's page for more partnerships."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.conftest import PASSWORD, count
from wijkapp.extensions import db
from wijkapp.models import Invitation, Location, Membership, ParticipationPlan, Partnership, Role, Round, Theme, User
from wijkapp.services import accounts, first_start
from wijkapp.services.setup_wizard import STEPS

ERROR_SUMMARY = "Er gaat iets mis"
FIRST = {"partnership_name": "Hecht wijkverband Noord", "neighbourhood": "Noord", "name": "Sanne de Vries",
         "email": "sanne@example.org", "password": "een-lang-wachtwoord", "password_again": "een-lang-wachtwoord"}
BASE = "/p/hecht-wijkverband-noord/coordinator/setup"
MEETING = (date.today() + timedelta(days=20)).isoformat()


def setup_token(client, app) -> str:
    client.get("/")  # the start page makes (and prints) the one-time link
    with app.app_context():
        return first_start.setup_token()


@pytest.fixture
def started(client, app):
    """Step 1 done: the first account and partnership, logged in."""
    response = client.post(f"/setup/{setup_token(client, app)}", data=FIRST)
    assert response.status_code == 302 and response.location.endswith(f"{BASE}/locations")
    return client


def partnership(app) -> Partnership:
    return db.session.scalar(db.select(Partnership))


def test_the_whole_wizard_stores_what_was_typed(app, client):
    token = setup_token(client, app)
    response = client.post(f"/setup/{token}", data=FIRST)
    assert response.status_code == 302
    assert client.get(f"/setup/{token}").status_code == 404  # the token is spent
    with app.app_context():
        assert not first_start.token_matches(token)
    page = client.get(f"{BASE}/locations").get_data(as_text=True)
    assert "stap 2 van 6" in page and "Sla deze stap over" in page

    steps = [
        ("locations", {"names-0": "Buurthuis De Schakel", "names-1": "", "names-2": "Bibliotheek Noord"}),
        ("themes", {"names-0": "Verkeer en parkeren", "names-1": "Veiligheid", "names-2": "", "names-3": "Speeltuin"}),
        ("questions", {"question_1": "Wat hoor je vaak?", "question_2": "Wat zou helpen?"}),
        ("round", {"cadence": "4w", "meeting_on": MEETING}),
        ("plan", {"question": "Hoe wordt de wijk veiliger?", "feedback_what": "Wat we hoorden en deden",
                  "feedback_channel_when": "Nieuwsbrief, elke 4 weken", "feedback_owner": "Sanne"}),
    ]
    for number, (key, data) in enumerate(steps):
        response = client.post(f"{BASE}/{key}", data=data)
        assert response.status_code == 302, (key, response.get_data(as_text=True)[:2000])
        following = steps[number + 1][0] if number + 1 < len(steps) else "done"
        assert response.location.endswith(f"{BASE}/{following}")
    done = client.get(f"{BASE}/done").get_data(as_text=True)
    assert "Nodig je team uit" in done and "/p/hecht-wijkverband-noord/coordinator/team" in done

    with app.app_context():
        p = partnership(app)
        user = db.session.scalar(db.select(User))
        assert (p.name, p.neighbourhood, p.setup_step) == ("Hecht wijkverband Noord", "Noord", "")
        assert user.is_instance_admin and user.name == "Sanne de Vries" and user.check_password(FIRST["password"])
        assert user.roles_in(p.id) == {Role.COORDINATOR}
        assert sorted(db.session.scalars(db.select(Location.name))) == ["Bibliotheek Noord", "Buurthuis De Schakel"]
        themes = db.session.scalars(db.select(Theme).order_by(Theme.position)).all()
        assert [t.name for t in themes] == ["Verkeer en parkeren", "Veiligheid", "Speeltuin"]
        assert (p.micro_question_1, p.micro_question_2, p.cadence) == ("Wat hoor je vaak?", "Wat zou helpen?", "4w")
        round_ = db.session.scalar(db.select(Round))
        assert (round_.number, round_.starts_on, round_.meeting_on.isoformat()) == (1, date.today(), MEETING)
        plan = db.session.scalar(db.select(ParticipationPlan))
        assert (plan.version, plan.question, plan.feedback_what, plan.feedback_channel_when, plan.feedback_owner) == (
            1, "Hoe wordt de wijk veiliger?", "Wat we hoorden en deden", "Nieuwsbrief, elke 4 weken", "Sanne")
        assert plan.created_by_id == user.id

