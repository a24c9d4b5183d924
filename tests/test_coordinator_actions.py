"""Choosing and following actions through the coordinator's pages, and the owner's own page."""
from __future__ import annotations

import re
from datetime import date, timedelta

from tests.conftest import count
from tests.rounds_helpers import action_form, add_action, bundled_round, days
from wijkapp.extensions import db
from wijkapp.models import Action, ActionUpdate, ParticipationPlan, Role
from wijkapp.services import actions


def _new(client, round_id, data, bundle=None):
    url = f"/p/noord/coordinator/rounds/{round_id}/actions/new"
    return client.post(url, data=data)


def test_choosing_an_action_stores_every_field(client, app, make, coordinator_setup):
    partnership, coordinator, location = coordinator_setup
    round_id, ids = bundled_round(app, make, partnership, location)
    host = make.user(partnership, Role.HOST)
    bid = ids["Te hard rijden Kerkstraat"]
    form = client.get(f"/p/noord/coordinator/rounds/{round_id}/actions/new?bundle={bid}").get_data(as_text=True)
    assert "Te hard rijden Kerkstraat (7 signalen, 7 nieuw). Bijvoorbeeld: “Te hard rijden Kerkstraat signaal" in form
    first, check = actions.default_dates(date.today())
    assert f'value="{first.isoformat()}"' in form and f'value="{check.isoformat()}"' in form
    assert "Binnen 2 weken: uiterlijk" in form
    response = _new(client, round_id, action_form(host.id, bundle_id=str(bid), feedback_owner_id=str(coordinator.id),
                                                   next_update_on=days(30), description="Samen met de wijkagent"))
    assert response.status_code == 302
    with app.app_context():
        action = db.session.scalar(db.select(Action))
        assert (action.owner_id, action.bundle_id, action.round_id) == (host.id, bid, round_id)
        assert action.feedback_owner_id == coordinator.id and action.next_update_on == date.today() + timedelta(days=30)
        assert (action.feasibility, action.impact, action.partners) == (4, 5, "Gemeente")
        assert action.description == "Samen met de wijkagent"
        assert action.choice_reason == "Veel bewoners noemen het en de gemeente kan snel iets doen."
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Waarom gekozen" in page and "Veel bewoners noemen het" in page
    round_page = client.get(f"/p/noord/coordinator/rounds/{round_id}").get_data(as_text=True)
    assert "Waarom: Veel bewoners noemen het en de gemeente kan snel iets doen." in round_page


def test_owner_missing_keeps_what_was_typed(client, app, make, coordinator_setup):
    partnership, _, location = coordinator_setup
    round_id, _ = bundled_round(app, make, partnership, location)
    response = _new(client, round_id, action_form(None, title="Mijn getypte actie"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Kies een eigenaar. Elke actie heeft één eigenaar nodig." in page
    assert 'href="#owner_id"' in page  # in the error summary
    assert 'value="Mijn getypte actie"' in page
    with app.app_context():
        assert count(Action) == 0


def test_owner_from_another_partnership_is_refused(client, app, make, coordinator_setup):
    partnership, _, location = coordinator_setup
    round_id, _ = bundled_round(app, make, partnership, location)
    outsider = make.user(make.partnership(), Role.COORDINATOR)
    response = _new(client, round_id, action_form(outsider.id))
    assert response.status_code == 422
    assert "Kies een eigenaar uit de mensen en contactpersonen van dit wijkverband." in response.get_data(as_text=True)
    with app.app_context():
        assert count(Action) == 0


def test_first_step_in_the_past_needs_a_confirmation(client, app, make, coordinator_setup):
    partnership, coordinator, location = coordinator_setup
    round_id, _ = bundled_round(app, make, partnership, location)
    data = action_form(coordinator.id, first_step_on=days(-2))
    response = _new(client, round_id, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Let op: de eerste stap ligt in het verleden." in page
    assert 'name="confirm_dates"' in page
    with app.app_context():
        assert count(Action) == 0
    assert _new(client, round_id, data | {"confirm_dates": "y"}).status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(Action.first_step_on)) == date.today() - timedelta(days=2)


def test_first_step_more_than_two_weeks_out_needs_a_confirmation(client, app, make, coordinator_setup):
    partnership, coordinator, location = coordinator_setup
    round_id, _ = bundled_round(app, make, partnership, location)
    response = _new(client, round_id, action_form(coordinator.id, first_step_on=days(20)))
    assert response.status_code == 422
    assert "meer dan 2 weken na de keuze" in response.get_data(as_text=True)
    with app.app_context():
        assert count(Action) == 0


def test_check_moment_before_first_step_is_refused_even_when_confirmed(client, app, make, coordinator_setup):
    partnership, coordinator, location = coordinator_setup
    round_id, _ = bundled_round(app, make, partnership, location)
    response = _new(client, round_id, action_form(coordinator.id, first_step_on=days(10), check_on=days(5),
                                                  confirm_dates="y"))
    assert response.status_code == 422
    assert "Het checkmoment ligt voor de eerste stap." in response.get_data(as_text=True)
    with app.app_context():
        assert count(Action) == 0


def test_a_third_action_asks_for_a_reason(client, app, make, coordinator_setup):
    partnership, coordinator, location = coordinator_setup
    round_id, _ = bundled_round(app, make, partnership, location)
    add_action(app, partnership, round_id, coordinator.id, title="Een")
    add_action(app, partnership, round_id, coordinator.id, title="Twee")
    form = client.get(f"/p/noord/coordinator/rounds/{round_id}/actions/new").get_data(as_text=True)
    assert "Waarom een derde actie in deze ronde?" in form
    response = _new(client, round_id, action_form(coordinator.id, title="Drie"))
    assert response.status_code == 422
    assert "Deze ronde heeft al 2 acties." in response.get_data(as_text=True)
    with app.app_context():
        assert count(Action) == 2
    response = _new(client, round_id, action_form(coordinator.id, title="Drie", over_limit_reason="Subsidie loopt af."))
    assert response.status_code == 302
    assert "Subsidie loopt af." in client.get(response.headers["Location"]).get_data(as_text=True)


def test_missing_reason_for_the_choice_is_refused(client, app, make, coordinator_setup):
    partnership, coordinator, location = coordinator_setup
    round_id, _ = bundled_round(app, make, partnership, location)
    response = _new(client, round_id, action_form(coordinator.id, choice_reason=""))
    assert response.status_code == 422
    assert "Bewoners gaan ernaar vragen." in response.get_data(as_text=True)


def test_action_of_another_partnership_is_404(client, app, make, coordinator_setup):
    other = make.partnership()
    other_owner = make.user(other, Role.COORDINATOR)
    other_round, _ = bundled_round(app, make, other, bundles=("Elders",))
    foreign = add_action(app, other, other_round, other_owner.id)
    for url in (f"/actions/{foreign}", f"/actions/{foreign}/edit", f"/actions/{foreign}/practice"):
        assert client.get(f"/p/noord/coordinator{url}").status_code == 404
    response = client.post(f"/p/noord/coordinator/actions/{foreign}/edit", data=action_form(other_owner.id, version="1"))
    assert response.status_code == 404
    assert client.post(f"/p/noord/coordinator/actions/{foreign}", data={"status": "gestopt", "stop_reason": "x"}).status_code == 404
    with app.app_context():
        assert db.session.get(Action, foreign).status == "gepland"


def test_concurrent_edit_is_detected_and_nothing_typed_is_lost(client, app, make, coordinator_setup):
    partnership, coordinator, location = coordinator_setup
    round_id, _ = bundled_round(app, make, partnership, location)
    action_id = add_action(app, partnership, round_id, coordinator.id, title="Origineel")
    form = client.get(f"/p/noord/coordinator/actions/{action_id}/edit").get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="(\d+)"', form).group(1)
    assert version == "1"
    with app.app_context():  # a colleague saves first
        action = db.session.get(Action, action_id)
        data = actions.ActionFields(**{n: getattr(action, n) for n in actions.FIELD_NAMES})
        data.title = "Titel van de collega"
        actions.update_action(action, data, None, 1, date.today())
        db.session.commit()
    with app.app_context():
        action = db.session.get(Action, action_id)
        stored = {n: getattr(action, n) for n in actions.FIELD_NAMES}
    mine = action_form(coordinator.id, title="Mijn titel", version=version,
                       first_step_on=stored["first_step_on"].isoformat(), check_on=stored["check_on"].isoformat(),
                       feasibility="None", impact="None", partners="")
    response = client.post(f"/p/noord/coordinator/actions/{action_id}/edit", data=mine)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Iemand anders heeft deze actie net aangepast" in page
    assert "<td>Titel van de collega</td><td>Mijn titel</td>" in page
    assert 'value="Mijn titel"' in page
    assert re.search(r'name="version"[^>]*value="2"', page)
    with app.app_context():
        assert db.session.get(Action, action_id).title == "Titel van de collega"
    # saving again, now based on what they saw, goes through
    response = client.post(f"/p/noord/coordinator/actions/{action_id}/edit", data=mine | {"version": "2"})
    assert response.status_code == 302
    with app.app_context():
        assert (db.session.get(Action, action_id).title, db.session.get(Action, action_id).version) == ("Mijn titel", 3)


def test_stop_without_reason_is_refused_and_with_reason_logged(client, app, make, coordinator_setup):
    partnership, coordinator, location = coordinator_setup
    round_id, _ = bundled_round(app, make, partnership, location)
    action_id = add_action(app, partnership, round_id, coordinator.id)
    url = f"/p/noord/coordinator/actions/{action_id}"
    response = client.post(url, data={"text": "", "status": "gestopt", "stop_reason": ""})
    assert response.status_code == 422
    assert "Schrijf op waarom de actie stopt." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Action, action_id).status == "gepland"
        assert count(ActionUpdate, ActionUpdate.action_id == action_id) == 1
    assert client.post(url, data={"text": "", "status": "gestopt", "stop_reason": "Gemeente doet het zelf."}).status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Gestopt.</strong> Reden: Gemeente doet het zelf." in page
    assert "gepland → <strong>gestopt</strong>" in page


def test_owner_with_only_the_host_role_lands_on_their_actions(client, app, make, auth, coordinator_setup):
    partnership, coordinator, location = coordinator_setup
    round_id, _ = bundled_round(app, make, partnership, location)
    host = make.user(partnership, Role.HOST)
    action_id = add_action(app, partnership, round_id, host.id, title="Bankje plaatsen",
                           first_step_on=date.today() - timedelta(days=3))
    auth.logout()
    auth.login(host)
    response = client.get("/start")
    assert response.headers["Location"].endswith("/p/noord/mine/")
    page = client.get("/p/noord/mine/").get_data(as_text=True)
    assert "Bankje plaatsen" in page and "Eerste stap te laat" in page
    assert "/p/noord/host/" in page  # their usual work is one click away
    # the owner logs progress on their own page
    response = client.post(f"/p/noord/mine/actions/{action_id}", data={"text": "Gemeente gebeld", "status": "bezig"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Action, action_id).status == "bezig"


def test_overdue_shows_on_the_coordinators_round_page(client, app, make, coordinator_setup):
    partnership, coordinator, location = coordinator_setup
    round_id, _ = bundled_round(app, make, partnership, location)
    add_action(app, partnership, round_id, coordinator.id, title="Te laat",
               first_step_on=date.today() - timedelta(days=1))
    page = client.get(f"/p/noord/coordinator/rounds/{round_id}").get_data(as_text=True)
    assert "Eerste stap te laat" in page


def test_someone_elses_action_is_not_on_my_page(client, app, make, auth, coordinator_setup):
    partnership, coordinator, location = coordinator_setup
    round_id, _ = bundled_round(app, make, partnership, location)
    action_id = add_action(app, partnership, round_id, coordinator.id, title="Van de coördinator")
    host = make.user(partnership, Role.HOST)
    auth.logout()
    auth.login(host)
    assert client.get("/start").headers["Location"].endswith("/p/noord/host/")
    assert "Van de coördinator" not in client.get("/p/noord/mine/").get_data(as_text=True)
    assert client.get(f"/p/noord/mine/actions/{action_id}").status_code == 404


def test_practice_conversation_answers_the_four_questions(client, app, make, coordinator_setup):
    partnership, coordinator, location = coordinator_setup
    round_id, ids = bundled_round(app, make, partnership, location)
    bid = ids["Te hard rijden Kerkstraat"]
    action_id = add_action(app, partnership, round_id, coordinator.id, bundle_id=bid, partners="Gemeente, politie")
    with app.app_context():
        db.session.add(ParticipationPlan(partnership_id=partnership.id, version=1, question="Veilig verkeer",
                                         decider="Het kernteam van het wijkverband", feedback_what="Wat we doen",
                                         feedback_channel_when="Nieuwsbrief, elke 6 weken", feedback_owner="Sanne"))
        db.session.commit()
    for url in (f"/p/noord/coordinator/actions/{action_id}/practice", f"/p/noord/coordinator/bundles/{bid}/practice"):
        page = client.get(url).get_data(as_text=True)
        for question in ("1. Hoe is input opgehaald?", "2. Wat is er mee gedaan?",
                         "3. Waar zat eigenaarschap en mandaat?", "4. Hoe (en aan wie) is teruggekoppeld?"):
            assert question in page
        assert "<strong>7 signalen</strong>" in page
        assert "Bewoner via QR-code: <strong>3</strong>" in page and "Buurthuis De Schakel: <strong>7</strong>" in page
        assert "partners: Gemeente, politie" in page
        assert "Het kernteam van het wijkverband" in page
        assert "“We vragen een drempel aan.”" in page and "Nieuwsbrief, elke 6 weken" in page
        assert "nog geen terugkoppeling aan bewoners gepubliceerd" in page


def test_practice_page_without_plan_or_bundle_says_what_is_missing(client, app, make, coordinator_setup):
    partnership, coordinator, location = coordinator_setup
    round_id, _ = bundled_round(app, make, partnership, location)
    action_id = add_action(app, partnership, round_id, coordinator.id)
    page = client.get(f"/p/noord/coordinator/actions/{action_id}/practice").get_data(as_text=True)
    assert "hangt niet aan een bundel" in page
    assert "nog geen participatieafspraken" in page
