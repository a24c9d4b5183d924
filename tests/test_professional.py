"""Micro-survey (form B): two fixed questions, answered in seconds."""
from __future__ import annotations

import pytest

from tests.conftest import count
from wijkapp.extensions import db
from wijkapp.models import Partnership, Role, Signal


@pytest.fixture
def professional(make, auth):
    partnership = make.partnership(slug="noord")
    user = make.user(partnership, Role.PROFESSIONAL)
    auth.login(user)
    return partnership, user


def test_form_shows_the_partnerships_own_questions(client, app, professional):
    partnership, _ = professional
    with app.app_context():
        p = db.session.get(Partnership, partnership.id)
        p.micro_question_1 = "Waar maken bewoners zich zorgen over?"
        db.session.commit()
    html = client.get("/p/noord/professional/").get_data(as_text=True)
    assert "Waar maken bewoners zich zorgen over?" in html
    assert "Wat zou het leven in de wijk voor hen makkelijker maken?" in html


def test_both_answers_become_signals_tagged_with_their_question(client, app, professional):
    partnership, user = professional
    response = client.post("/p/noord/professional/", data={
        "answer_1": "Eenzaamheid bij ouderen", "answer_2": "Een koffieochtend", "location": "0", "theme": "0"})
    assert response.status_code == 302
    with app.app_context():
        signals = db.session.scalars(db.select(Signal).order_by(Signal.micro_question)).all()
        assert [(s.text, s.micro_question, s.source, s.form, s.created_by_id) for s in signals] == [
            ("Eenzaamheid bij ouderen", 1, "professional_micro", "B", user.id),
            ("Een koffieochtend", 2, "professional_micro", "B", user.id),
        ]
        assert signals[0].micro_question_text == "Wat hoor je deze maand vaak van bewoners?"
    assert "2 antwoorden opgeslagen" in client.get("/p/noord/professional/").get_data(as_text=True)


def test_one_answer_is_enough(client, app, professional):
    client.post("/p/noord/professional/", data={"answer_1": "", "answer_2": "Meer bankjes", "location": "0", "theme": "0"})
    with app.app_context():
        assert db.session.scalar(db.select(Signal.micro_question)) == 2


def test_no_answer_says_what_to_do(client, app, professional):
    response = client.post("/p/noord/professional/", data={"answer_1": " ", "answer_2": "", "location": "0", "theme": "0"})
    assert response.status_code == 422
    assert "Beantwoord minstens één van de twee vragen." in response.get_data(as_text=True)
    with app.app_context():
        assert count(Signal) == 0


def test_too_long_answer_is_kept_and_nothing_stored(client, app, professional):
    response = client.post("/p/noord/professional/", data={"answer_1": "ok", "answer_2": "y" * 501, "location": "0", "theme": "0"})
    assert response.status_code == 422
    assert "y" * 501 in response.get_data(as_text=True)
    with app.app_context():
        assert count(Signal) == 0
