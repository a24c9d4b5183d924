"""What residents read: feedback pages, receipt look-up and withdrawing consent. No login."""
from __future__ import annotations


import pytest

from tests.conftest import count
from tests.feedback_helpers import build_round, feedback_form
from wijkapp.extensions import db
from wijkapp.models import Action, OutboxMessage, ReceiptLookup, ResidentContact, Role, Round, Signal
from wijkapp.services import feedback as feedback_service, notify


@pytest.fixture
def world(make):
    partnership = make.partnership(name="Wijkverband Noord", slug="noord")
    coordinator = make.user(partnership, Role.COORDINATOR)
    location = make.location(partnership, name="Bibliotheek Noord")
    other_location = make.location(partnership, name="Huisartsenpraktijk")
    scenario = build_round(make, partnership, coordinator, location)
    return partnership, coordinator, location, other_location, scenario


def publish(app, scenario, **overrides):
    with app.app_context():
        draft = feedback_service.draft_for(db.session.get(Round, scenario.round_id))
        feedback_service.save_draft(draft, {k: v for k, v in feedback_form(**overrides).items()
                                            if k != "next_update_on"}, None)
        version = feedback_service.publish(draft, None)
        db.session.commit()
        return version.version


def test_public_page_shows_latest_version_on_top_with_action_status(client, app, world):
    *_, scenario = world
    publish(app, scenario, done="Eerste versie van wat we doen.")
    publish(app, scenario, done="We hebben de gemeente gesproken.")
    with app.app_context():
        action = db.session.get(Action, scenario.action_id)
        action.status, action.stop_reason = "gestopt", "De gemeente wil geen drempels in deze straat."
        db.session.commit()
    html = client.get("/w/noord").get_data(as_text=True)
    assert html.index("We hebben de gemeente gesproken.") < html.index("Eerdere versies")
    assert html.index("Eerdere versies") < html.index("Eerste versie van wat we doen.")
    assert "Gestopt — De gemeente wil geen drempels in deze straat." in html
    assert "niet nagekeken door een ervaringsdeskundige" in html
    assert "Inloop in het buurthuis" in html
    assert "<script" not in html and "bewoner@example.org" not in html


def test_rounds_without_feedback_say_so(client, world):
    html = client.get("/w/noord").get_data(as_text=True)
    assert "Ronde 1" in html and "zodra het wijkverband die heeft gepubliceerd" in html


def test_reviewed_feedback_has_no_warning(client, app, world, make):
    partnership, *_, scenario = world
    expert = make.user(partnership, Role.ERVARINGSDESKUNDIGE)
    with app.app_context():
        draft = feedback_service.draft_for(db.session.get(Round, scenario.round_id))
        draft.not_possible = "Afval pakken we niet op, omdat de gemeente al opruimt."
        feedback_service.review(draft, expert, True, "")
        feedback_service.publish(draft, None)
        db.session.commit()
    assert "niet nagekeken" not in client.get("/w/noord").get_data(as_text=True)


def test_location_page_shows_feedback_of_rounds_heard_there(client, app, world):
    _, _, location, other_location, scenario = world
    publish(app, scenario)
    here = client.get(f"/w/noord/{location.code}").get_data(as_text=True)
    assert "Bibliotheek Noord" in here and "We kregen veel signalen over te hard rijden." in here
    elsewhere = client.get(f"/w/noord/{other_location.code}").get_data(as_text=True)
    assert "We kregen veel signalen" not in elsewhere
    assert client.get(f"/w/andere-wijk/{location.code}").status_code == 404
    assert client.get("/w/bestaat-niet").status_code == 404


def test_receipt_link_shows_chosen_bundle_actions_and_feedback(client, app, world):
    *_, scenario = world
    publish(app, scenario)
    with app.app_context():
        code = db.session.get(Signal, scenario.chosen_signal_id).receipt_code
    html = client.get(f"/r/{code}").get_data(as_text=True)
    assert "Te hard rijden in de Kerkstraat" in html
    assert "Dit onderwerp is gekozen" in html and "Drempels in de Kerkstraat" in html and "Gepland" in html
    assert "We vragen de gemeente om drempels. Dat doen we in maart." in html
    assert "bewoner@example.org" not in html and "Auto's rijden te hard" not in html  # no personal data, no text
    with app.app_context():
        assert count(ReceiptLookup) == 1


def test_receipt_of_a_bundle_not_chosen_says_so_honestly_and_why(client, app, world):
    *_, scenario = world
    publish(app, scenario)
    with app.app_context():
        code = db.session.get(Signal, scenario.other_signal_id).receipt_code
    html = client.get(f"/r/{code}").get_data(as_text=True)
    assert "niet gekozen" in html
    assert "Haalbaar en veel genoemd." in html
    assert "Zwerfafval pakken we nu niet op. De gemeente ruimt al vaker op." in html


def test_receipt_form_accepts_what_people_type(client, app, world):
    *_, scenario = world
    with app.app_context():
        code = db.session.get(Signal, scenario.chosen_signal_id).receipt_code
    typed = f" {code[:4].lower()} - {code[4:].lower()} "
    response = client.post("/r", data={"code": typed})
    assert response.status_code == 302 and response.location.endswith(f"/r/{code}")
    lower = client.get(f"/r/{code[:4]}-{code[4:]}")
    assert lower.status_code == 302 and lower.location.endswith(f"/r/{code}")


@pytest.mark.parametrize("typed", ["ABCD-EFGH", "K7M2QX4P", "0O1I-LLLL", "kort", "x" * 39])
def test_unknown_or_mistyped_code_is_answered_kindly(client, world, typed):
    response = client.post("/r", data={"code": typed})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "We vinden deze code niet. Kijk nog eens goed" in html
    assert f'value="{typed}"' in html  # what was typed stays in the field


def test_unknown_code_link_is_a_kind_404_that_reveals_nothing(client, world):
    response = client.get("/r/ZZZZZZZZ")
    assert response.status_code == 404
    assert "We vinden deze code niet" in response.get_data(as_text=True)


def test_empty_code(client, world):
    response = client.post("/r", data={"code": "  "})
    assert response.status_code == 422
    assert "Vul de code in die je kreeg" in response.get_data(as_text=True)


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True}])
def test_guessing_codes_is_rate_limited(client, world):
    statuses = [client.post("/r", data={"code": f"ABCDEFG{c}"}).status_code for c in "ABCDEFGHJKMN"]
    assert statuses[:10] == [422] * 10
    assert statuses[10:] == [429, 429]
    assert client.get("/r/ABCDEFGH").status_code == 429  # the link shares the limit


def test_thanks_page_links_the_receipt_look_up(client, make):
    partnership = make.partnership(name="Wijkverband Zuid", slug="zuid")
    location = make.location(partnership)
    client.post(f"/s/{location.code}", data={"text": "Stoep kapot", "theme": "0", "submission_token": "tok-9"})
    html = client.get(f"/s/{location.code}/bedankt").get_data(as_text=True)
    assert "/r/" in html and "/w/zuid" in html


# ---------------------------------------------------------------- withdrawing consent


def test_withdraw_link_erases_the_contact_and_its_waiting_messages(client, app, world):
    *_, scenario = world
    publish(app, scenario)
    with app.app_context():
        url = notify.withdraw_url(db.session.get(ResidentContact, scenario.contact_id))
        assert count(OutboxMessage) == 1
    path = url.replace("https://wijk.example.nl", "")
    confirm = client.get(path)
    assert confirm.status_code == 200 and "wis mijn e-mailadres" in confirm.get_data(as_text=True)
    with app.app_context():
        assert count(ResidentContact) == 1  # a GET (link preview, virus scanner) changes nothing
    done = client.post(path, follow_redirects=True)
    assert "Je e-mailadres is gewist" in done.get_data(as_text=True)
    with app.app_context():
        assert count(ResidentContact) == 0 and count(OutboxMessage) == 0
        assert db.session.get(Signal, scenario.chosen_signal_id) is not None


def test_withdraw_link_used_twice_says_it_is_already_done(client, app, world):
    *_, scenario = world
    with app.app_context():
        path = notify.withdraw_url(db.session.get(ResidentContact, scenario.contact_id)).split(".nl", 1)[1]
    client.post(path, follow_redirects=True)
    again = client.get(path)
    assert again.status_code == 200 and "Dit is al geregeld" in again.get_data(as_text=True)
    again_post = client.post(path, follow_redirects=True)
    assert again_post.status_code == 200 and "Dit is al geregeld" in again_post.get_data(as_text=True)


def test_withdraw_link_that_was_changed(client, world):
    response = client.get("/privacy/withdraw/niet-echt")
    assert response.status_code == 404 and "Deze link werkt niet" in response.get_data(as_text=True)
