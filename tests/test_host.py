"""Host on a tablet: start a conversation, add signals one by one, close it, correct the same day."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.conftest import count
from wijkapp.extensions import db
from wijkapp.models import Conversation, Role, Signal, Source
from wijkapp.models.base import utcnow


@pytest.fixture
def host_setup(make, auth):
    partnership = make.partnership(name="Wijkverband Oost", slug="oost")
    host = make.user(partnership, Role.HOST, email="host@example.org")
    location = make.location(partnership, name="Buurthuis De Schakel")
    auth.login(host)
    return partnership, host, location


def start(client, location_id=0, place="", held_on=None):
    return client.post("/p/oost/host/conversations", data={
        "location": str(location_id), "place": place, "held_on": (held_on or date.today()).isoformat()})


def test_home_offers_the_locations(client, host_setup):
    html = client.get("/p/oost/host/").get_data(as_text=True)
    assert "Buurthuis De Schakel" in html and "Start gesprek" in html


def test_start_at_a_location_and_add_signals_one_after_another(client, app, host_setup):
    partnership, host, location = host_setup
    response = start(client, location.id)
    assert response.status_code == 302
    with app.app_context():
        conversation = db.session.scalar(db.select(Conversation))
        assert (conversation.location_id, conversation.host_id, conversation.held_on) == (location.id, host.id, date.today())
    url = response.location
    for text in ("Lantaarn kapot bij het pleintje", "Te weinig bankjes", "Buurvrouw is eenzaam"):
        saved = client.post(url, data={"text": text, "theme": "0"})
        # No #fragment: browsers skip autofocus on a URL with one, and the next signal needs focus.
        assert saved.status_code == 302 and saved.location == url
    page = client.get(url).get_data(as_text=True)
    assert "3 signalen opgeslagen" in page
    with app.app_context():
        signals = db.session.scalars(db.select(Signal).order_by(Signal.id)).all()
        assert [s.text for s in signals] == ["Lantaarn kapot bij het pleintje", "Te weinig bankjes", "Buurvrouw is eenzaam"]
        assert {(s.source, s.form, s.location_id, s.created_by_id, s.conversation_id) for s in signals} == {
            (Source.HOST_CONVERSATION.value, "A", location.id, host.id, conversation.id)}


def test_start_at_a_free_place(client, app, host_setup):
    start(client, place="Markt op het Dorpsplein")
    with app.app_context():
        conversation = db.session.scalar(db.select(Conversation))
        assert conversation.location_id is None and conversation.place == "Markt op het Dorpsplein"


def test_start_without_place_or_location_says_what_to_do(client, app, host_setup):
    response = start(client)
    assert response.status_code == 422
    assert "Kies een locatie of schrijf op waar het gesprek is." in response.get_data(as_text=True)
    with app.app_context():
        assert count(Conversation) == 0


def test_start_with_a_location_of_another_partnership_is_refused(client, app, host_setup, make):
    foreign = make.location(make.partnership(slug="elders"), name="Elders")
    response = start(client, foreign.id)
    assert response.status_code == 422
    with app.app_context():
        assert count(Conversation) == 0


def test_empty_signal_keeps_the_page_and_stores_nothing(client, app, host_setup):
    _, _, location = host_setup
    url = start(client, location.id).location
    response = client.post(url, data={"text": "  ", "theme": "0"})
    assert response.status_code == 422
    assert "Schrijf het signaal op" in response.get_data(as_text=True)
    too_long = client.post(url, data={"text": "x" * 501, "theme": "0"})
    assert too_long.status_code == 422 and "x" * 501 in too_long.get_data(as_text=True)
    with app.app_context():
        assert count(Signal) == 0


def test_close_records_people_spoken_and_stops_new_signals(client, app, host_setup):
    _, _, location = host_setup
    url = start(client, location.id).location
    client.post(url, data={"text": "Hondenpoep op het veld", "theme": "0"})
    closed = client.post(url + "/close", data={"people_spoken": "14"})
    assert closed.status_code == 302
    with app.app_context():
        conversation = db.session.scalar(db.select(Conversation))
        assert conversation.people_spoken == 14 and conversation.closed_at is not None
    client.post(url, data={"text": "Te laat", "theme": "0"})
    with app.app_context():
        assert count(Signal) == 1


@pytest.mark.parametrize("value", ["", "-3", "veel"])
def test_close_needs_a_number(client, app, host_setup, value):
    _, _, location = host_setup
    url = start(client, location.id).location
    response = client.post(url + "/close", data={"people_spoken": value})
    assert response.status_code == 422
    assert 'class="error-summary"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(Conversation)).closed_at is None


def test_edit_own_signal_the_same_day(client, app, host_setup):
    _, _, location = host_setup
    url = start(client, location.id).location
    client.post(url, data={"text": "Tpyfout", "theme": "0"})
    with app.app_context():
        signal_id = db.session.scalar(db.select(Signal.id))
    assert client.get(f"/p/oost/host/signals/{signal_id}/edit").status_code == 200
    response = client.post(f"/p/oost/host/signals/{signal_id}/edit", data={"text": "Typfout", "theme": "0"})
    assert response.status_code == 302
    with app.app_context():
        signal = db.session.get(Signal, signal_id)
        assert signal.text == "Typfout" and signal.updated_at is not None


def test_yesterdays_signal_can_no_longer_be_edited(client, app, host_setup):
    partnership, host, location = host_setup
    yesterday = make_signal_yesterday(app, partnership, host)
    response = client.post(f"/p/oost/host/signals/{yesterday}/edit", data={"text": "Nieuw", "theme": "0"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Signal, yesterday).text == "Oud signaal"


def make_signal_yesterday(app, partnership, host):
    from wijkapp.services.intake import record_signal
    with app.app_context():
        signal = record_signal(db.session.merge(partnership), "Oud signaal", Source.HOST_CONVERSATION,
                               created_by=db.session.merge(host), created_at=utcnow() - timedelta(days=1))
        db.session.commit()
        return signal.id


def test_another_hosts_conversation_is_closed_to_me(client, app, host_setup, make, auth):
    partnership, _, location = host_setup
    url = start(client, location.id).location
    other = make.user(partnership, Role.HOST, email="ander@example.org")
    auth.logout()
    auth.login(other)
    assert client.get(url).status_code == 403
    assert client.post(url, data={"text": "Ingebroken", "theme": "0"}).status_code == 403
    with app.app_context():
        assert count(Signal) == 0


def test_a_professional_cannot_use_the_host_pages(client, make, auth):
    partnership = make.partnership(slug="oost")
    auth.login(make.user(partnership, Role.PROFESSIONAL))
    assert client.get("/p/oost/host/").status_code == 403
