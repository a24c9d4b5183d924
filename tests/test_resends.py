"""A resend is not a second signal (issue 13, item 3): a resident who presses Back and sends again,
and a host whose tap on Opslaan arrives twice."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests.conftest import count
from wijkapp.extensions import db
from wijkapp.models import Role, Signal

TEXT = "De lantaarn bij het speeltuintje doet het niet"


def rendered_token(html: str) -> str:
    match = re.search(r'name="submission_token"[^>]*value="([^"]*)"', html) or re.search(
        r'value="([^"]*)"[^>]*name="submission_token"', html)
    assert match, "the form carries a submission token"
    return match.group(1)


@pytest.fixture
def partnership(make):
    return make.partnership(name="Wijkverband Zuid", slug="zuid")


@pytest.fixture
def location(make, partnership):
    return make.location(partnership, name="Bibliotheek Zuid")


def send_from_a_fresh_form(client, location, text=TEXT):
    """What Back then Send does: the form is fetched again (no-store), so it has a new token."""
    token = rendered_token(client.get(f"/s/{location.code}").get_data(as_text=True))
    return client.post(f"/s/{location.code}", data={"text": text, "theme": "0", "submission_token": token})


def shown_receipt(client, response) -> str:
    html = client.get(response.location).get_data(as_text=True)
    return re.search(r"\b([A-Z0-9]{4}-[A-Z0-9]{4})\b", html).group(1)


def test_back_and_send_again_stores_one_signal_and_shows_the_first_receipt(client, app, location):
    first = send_from_a_fresh_form(client, location)
    first_receipt = shown_receipt(client, first)
    again = send_from_a_fresh_form(client, location, text="  de lantaarn bij het speeltuintje  doet het niet ")
    assert again.status_code == 302 and again.location.endswith(f"/s/{location.code}/bedankt")
    assert shown_receipt(client, again) == first_receipt
    with app.app_context():
        assert count(Signal) == 1
        assert db.session.scalar(db.select(Signal.receipt_code)) == first_receipt.replace("-", "")


@pytest.mark.parametrize("case", ["other text", "other location", "after 30 minutes", "other browser"])
def test_what_is_not_a_resend_is_stored(client, app, make, partnership, location, case):
    send_from_a_fresh_form(client, location)
    place = location
    if case == "other location":
        place = make.location(partnership, name="Buurthuis")
    if case == "after 30 minutes":
        with app.app_context():
            signal = db.session.scalar(db.select(Signal))
            signal.created_at -= timedelta(minutes=31)
            db.session.commit()
    sender = app.test_client() if case == "other browser" else client
    send_from_a_fresh_form(sender, place, text="Te weinig bankjes" if case == "other text" else TEXT)
    with app.app_context():
        assert count(Signal) == 2


def test_a_resend_of_a_signal_taken_back_is_stored_again(client, app, location):
    """Nothing to show once the first one is gone (erased on request): the resend is a new signal."""
    send_from_a_fresh_form(client, location)
    with app.app_context():
        db.session.delete(db.session.scalar(db.select(Signal)))
        db.session.commit()
    send_from_a_fresh_form(client, location)
    with app.app_context():
        assert count(Signal) == 1


@pytest.fixture
def conversation_url(client, make, auth):
    partnership = make.partnership(name="Wijkverband Oost", slug="oost")
    host = make.user(partnership, Role.HOST, email="host@example.org")
    place = make.location(partnership, name="Buurthuis De Schakel")
    auth.login(host)
    started = client.post("/p/oost/host/conversations", data={
        "location": str(place.id), "place": "", "held_on": date.today().isoformat()})
    return started.location


def test_a_host_tap_that_arrives_five_times_stores_one_signal(client, app, conversation_url):
    token = rendered_token(client.get(conversation_url).get_data(as_text=True))
    answers = [client.post(conversation_url, data={"text": TEXT, "theme": "0", "submission_token": token})
               for _ in range(5)]
    assert {a.status_code for a in answers} == {302}
    with app.app_context():
        assert [s.text for s in db.session.scalars(db.select(Signal))] == [TEXT]


def test_the_host_can_note_the_same_words_twice_from_two_renders(client, app, conversation_url):
    """Two people at the table can say the same thing: each render of the form is its own signal."""
    for _ in range(2):
        token = rendered_token(client.get(conversation_url).get_data(as_text=True))
        client.post(conversation_url, data={"text": TEXT, "theme": "0", "submission_token": token})
    with app.app_context():
        assert count(Signal) == 2


@pytest.mark.parametrize("posted", [{}, {"submission_token": ""}], ids=["no token", "empty token"])
def test_a_host_page_rendered_before_the_token_existed_still_saves(client, app, conversation_url, posted):
    for _ in range(2):
        assert client.post(conversation_url, data={"text": TEXT, "theme": "0", **posted}).status_code == 302
    with app.app_context():
        assert count(Signal) == 2  # without a token two posts are two signals, as before
