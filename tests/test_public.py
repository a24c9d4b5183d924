"""The resident's QR form: what is stored, what is shown, and every kind of bad input."""
from __future__ import annotations

import pytest

from tests.conftest import count, csrf_token_from
from wijkapp.extensions import db
from wijkapp.models import ResidentContact, Signal, Theme


@pytest.fixture
def location(make):
    partnership = make.partnership(name="Wijkverband Zuid", slug="zuid")
    return make.location(partnership, name="Bibliotheek Zuid")


def post_signal(client, location, **data):
    payload = {"text": "De stoep bij de bieb is kapot", "theme": "0", "submission_token": "tok-1"}
    payload.update(data)
    return client.post(f"/s/{location.code}", data=payload)


def test_form_shows_location_and_one_open_question(client, location):
    response = client.get(f"/s/{location.code}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Bibliotheek Zuid" in html
    assert "Wat wil je kwijt over je buurt?" in html
    assert 'name="submission_token"' in html
    assert "<script" not in html  # works without JavaScript


def test_form_page_weighs_at_most_14_kb_with_its_css(client, location):
    html = client.get(f"/s/{location.code}").data
    css = client.get("/static/css/public.css").data
    assert len(html) + len(css) <= 14 * 1024


def test_location_code_is_case_insensitive(client, location):
    assert client.get(f"/s/{location.code.upper()}").status_code == 200


def test_sending_stores_a_resident_signal_and_shows_the_receipt(client, app, location):
    response = post_signal(client, location)
    assert response.status_code == 302
    assert response.location.endswith(f"/s/{location.code}/bedankt")
    with app.app_context():
        signal = db.session.scalar(db.select(Signal))
        assert signal.text == "De stoep bij de bieb is kapot"
        assert (signal.source, signal.form) == ("resident_qr", "A")
        assert signal.location_id == location.id
        assert signal.partnership_id == location.partnership_id
        assert signal.round.number == 1
        assert signal.created_by_id is None
        assert signal.contact is None
        receipt = signal.receipt_code
    thanks = client.get(response.location).get_data(as_text=True)
    assert f"{receipt[:4]}-{receipt[4:]}" in thanks
    assert "/w/zuid" in thanks


def test_theme_choice_is_stored(client, app, location):
    with app.app_context():
        theme = db.session.scalar(db.select(Theme).where(Theme.name == "Verkeer"))
    post_signal(client, location, theme=str(theme.id))
    with app.app_context():
        assert db.session.scalar(db.select(Signal)).theme_id == theme.id


def test_theme_of_another_partnership_is_refused(client, app, make, location):
    other = make.partnership(slug="elders")
    with app.app_context():
        foreign = db.session.scalar(db.select(Theme).where(Theme.partnership_id == other.id))
    response = post_signal(client, location, theme=str(foreign.id))
    assert response.status_code == 422
    assert "Kies een van de opties uit de lijst." in response.get_data(as_text=True)
    with app.app_context():
        assert count(Signal) == 0


def test_contact_with_consent_is_stored_apart_from_the_text(client, app, location):
    post_signal(client, location, wants_update="y", email="bewoner@example.org")
    with app.app_context():
        signal = db.session.scalar(db.select(Signal))
        contact = db.session.scalar(db.select(ResidentContact))
        assert contact.signal_id == signal.id
        assert contact.email == "bewoner@example.org"
        assert contact.purpose and contact.consent_version
        assert "bewoner@example.org" not in signal.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": ""}, "Schrijf eerst wat je kwijt wilt"),
        ({"text": "   \n\t "}, "Schrijf eerst wat je kwijt wilt"),
        ({"text": "\x00\x01\x02"}, "Schrijf eerst wat je kwijt wilt"),
        ({"text": "a" * 501}, "Gebruik maximaal 500 tekens"),
        ({"wants_update": "y", "email": ""}, "Vul je e-mailadres in, of zet het vinkje uit."),
        ({"email": "bewoner@example.org"}, "Zet het vinkje aan"),
        ({"wants_update": "y", "email": "geen-adres"}, "Dit lijkt geen e-mailadres"),
    ],
)
def test_bad_input_shows_a_dutch_message_keeps_the_text_and_stores_nothing(client, app, location, data, message):
    response = post_signal(client, location, **data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'class="error-summary"' in html
    assert html.count(message) >= 2  # in the summary and next to the field
    typed = data.get("text", "De stoep bij de bieb is kapot")
    if typed.strip() and len(typed) <= 501 and "\x00" not in typed:
        assert typed[:50] in html
    with app.app_context():
        assert count(Signal) == 0
        assert count(ResidentContact) == 0


def test_control_and_bidi_characters_are_removed_but_the_words_kept(client, app, location):
    post_signal(client, location, text="Lamp\x00 kapot\u202e bij\r\nde brug")
    with app.app_context():
        assert db.session.scalar(db.select(Signal.text)) == "Lamp kapot bij\nde brug"


def test_500_characters_is_allowed(client, app, location):
    post_signal(client, location, text="é" * 500)
    with app.app_context():
        assert db.session.scalar(db.select(Signal.text)) == "é" * 500


def test_double_tap_creates_one_signal(client, app, location):
    first = post_signal(client, location, submission_token="same")
    second = post_signal(client, location, submission_token="same")
    assert first.status_code == second.status_code == 302
    with app.app_context():
        assert count(Signal) == 1


def test_two_different_forms_create_two_signals(client, app, location):
    """Same words from one browser would be a resend after Back (tests/test_resends.py): these differ."""
    post_signal(client, location, submission_token="one")
    post_signal(client, location, submission_token="two", text="Er staat al weken een kapotte fiets")
    with app.app_context():
        assert count(Signal) == 2


def test_honeypot_filled_stores_nothing_but_looks_like_success(client, app, location):
    response = post_signal(client, location, website="http://spam.example")
    assert response.status_code == 302
    with app.app_context():
        assert count(Signal) == 0


def test_unknown_code_gets_a_friendly_page(client):
    response = client.get("/s/bestaatniet")
    assert response.status_code == 404
    assert "Deze code kennen we niet" in response.get_data(as_text=True)


def test_inactive_location_answers_kindly_with_the_feedback_link(client, app, make):
    partnership = make.partnership(slug="west")
    location = make.location(partnership, name="Oud buurthuis", active=False)
    response = client.get(f"/s/{location.code}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Oud buurthuis" in html and "/w/west" in html
    post = post_signal(client, location)
    assert post.status_code == 200
    with app.app_context():
        assert count(Signal) == 0


def test_thanks_without_a_session_still_answers(client, location):
    response = client.get(f"/s/{location.code}/bedankt")
    assert response.status_code == 200
    assert "Bedankt" in response.get_data(as_text=True)


class TestWithCsrf:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_missing_token_is_refused_kindly_and_keeps_the_text(self, client, app, location):
        response = post_signal(client, location, text="Mijn tekst die niet verloren mag gaan")
        html = response.get_data(as_text=True)
        assert response.status_code == 400
        assert "Je formulier was verlopen" in html
        assert "Mijn tekst die niet verloren mag gaan" in html
        with app.app_context():
            assert count(Signal) == 0

    def test_tampered_token_is_refused(self, client, app, location):
        client.get(f"/s/{location.code}")
        response = post_signal(client, location, csrf_token="tampered")
        assert response.status_code == 400
        with app.app_context():
            assert count(Signal) == 0

    def test_valid_token_works(self, client, app, location):
        token = csrf_token_from(client.get(f"/s/{location.code}").data)
        assert post_signal(client, location, csrf_token=token).status_code == 302
        with app.app_context():
            assert count(Signal) == 1

    def test_token_stays_valid_for_at_least_20_hours(self, app):
        assert app.config["WTF_CSRF_TIME_LIMIT"] >= 20 * 3600


class TestRateLimit:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True}

    def test_a_burst_from_one_address_is_slowed_down(self, client, app, location):
        statuses = [post_signal(client, location, submission_token=f"t{i}", text=f"Signaal nummer {i}").status_code
                    for i in range(14)]
        assert statuses[:10] == [302] * 10
        assert 429 in statuses[10:]
        limited = post_signal(client, location, submission_token="late")
        assert "Even rustig aan" in limited.get_data(as_text=True)
        with app.app_context():
            assert count(Signal) == 10

    def test_reading_the_form_is_not_limited(self, client, location):
        assert all(client.get(f"/s/{location.code}").status_code == 200 for _ in range(15))


def test_sending_takes_the_write_lock_for_the_insert_only(client, app, location):
    """On SQLite the form's reads run before the write transaction, which starts with BEGIN
    IMMEDIATE: a submission does not hold the only write lock while its form is checked."""
    from sqlalchemy import event

    with app.app_context():
        engine = db.engine
        if engine.dialect.name != "sqlite":
            pytest.skip("SQLite's write lock; PostgreSQL locks rows")
    statements = []
    listen = lambda conn, cursor, statement, *args: statements.append(statement.split()[0].upper())  # noqa: E731
    event.listen(engine, "before_cursor_execute", listen)
    try:
        assert post_signal(client, location).status_code == 302
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    begin = statements.index("BEGIN")
    assert statements[:begin] == ["SELECT", "SELECT"]  # the location with its partnership, the themes
    assert "INSERT" in statements[begin:]
    with app.app_context():
        assert count(Signal) == 1


def test_a_receipt_code_clash_is_retried_with_a_new_code(client, app, make, location, monkeypatch):
    from wijkapp.services import intake

    first = make.signal(make.partnership(), "Een ouder signaal")
    codes = iter([first.receipt_code, "ABCDEFGH"])
    monkeypatch.setattr(intake, "new_receipt_code", lambda: next(codes))
    assert post_signal(client, location).status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(Signal.receipt_code).where(Signal.location_id == location.id)) == "ABCDEFGH"
        assert count(Signal) == 2
