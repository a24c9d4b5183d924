"""Journey 3: a professional answers the two micro-survey questions between appointments."""
from __future__ import annotations

import pytest

from tests.browser.helpers import login
from wijkapp.extensions import db
from wijkapp.models import Partnership, Role, Signal

pytestmark = pytest.mark.browser


def test_professional_answers_both_questions_and_each_becomes_a_tagged_signal(pages, live_server, make, app):
    partnership = make.partnership(name="Wijkverband Noord", slug="noord")
    professional = make.user(partnership, Role.PROFESSIONAL)
    with app.app_context():
        question_1, question_2 = db.session.get(Partnership, partnership.id).micro_questions

    page = pages.open("desktop")
    login(page, live_server, professional)
    assert page.get_by_role("heading", level=1).inner_text() == "Micro-uitvraag"
    page.get_by_label(question_1).fill("Veel mensen voelen zich alleen sinds de bieb dicht is.")
    page.get_by_label(question_2).fill("Een koffieochtend in het buurthuis.")
    page.get_by_role("button", name="Opslaan").click()
    assert page.get_by_role("status").inner_text() == "Dank je. 2 antwoorden opgeslagen."

    with app.app_context():
        stored = db.session.scalars(db.select(Signal).order_by(Signal.micro_question)).all()
        assert [(s.micro_question, s.micro_question_text, s.text) for s in stored] == [
            (1, question_1, "Veel mensen voelen zich alleen sinds de bieb dicht is."),
            (2, question_2, "Een koffieochtend in het buurthuis."),
        ]
        assert {(s.source, s.form, s.created_by_id) for s in stored} == {("professional_micro", "B", professional.id)}
