"""Journey 3: a professional answers the two micro-survey questions between appointments, with the
keyboard alone."""
from __future__ import annotations

import pytest

from tests.browser.helpers import focused, has_focus, tab_to
from tests.conftest import PASSWORD
from wijkapp.extensions import db
from wijkapp.models import Partnership, Role, Signal

pytestmark = pytest.mark.browser


def test_professional_answers_both_questions_and_each_becomes_a_tagged_signal(pages, live_server, make, app):
    partnership = make.partnership(name="Wijkverband Noord", slug="noord")
    professional = make.user(partnership, Role.PROFESSIONAL)
    with app.app_context():
        question_1, question_2 = db.session.get(Partnership, partnership.id).micro_questions

    page = pages.open("desktop", "/login")
    tab_to(page, "input[name=email]")
    page.keyboard.type(professional.email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", level=1).inner_text() == "Micro-uitvraag"

    # A failed submit first: the error summary takes focus, so a keyboard user hears what to do.
    tab_to(page, page.get_by_role("button", name="Opslaan"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert has_focus(page, ".error-summary"), f"focus is on {focused(page)}"

    tab_to(page, page.get_by_label(question_1))
    page.keyboard.type("Veel mensen voelen zich alleen sinds de bieb dicht is.")
    tab_to(page, page.get_by_label(question_2))
    page.keyboard.type("Een koffieochtend in het buurthuis.")
    tab_to(page, page.get_by_role("button", name="Opslaan"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("status").inner_text() == "Dank je. 2 antwoorden opgeslagen."

    with app.app_context():
        stored = db.session.scalars(db.select(Signal).order_by(Signal.micro_question)).all()
        assert [(s.micro_question, s.micro_question_text, s.text) for s in stored] == [
            (1, question_1, "Veel mensen voelen zich alleen sinds de bieb dicht is."),
            (2, question_2, "Een koffieochtend in het buurthuis."),
        ]
        assert {(s.source, s.form, s.created_by_id) for s in stored} == {("professional_micro", "B", professional.id)}
