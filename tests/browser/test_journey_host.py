"""Journey 2: a host on a tablet notes a buurtgesprek with the keyboard alone."""
from __future__ import annotations

import pytest

from tests.browser.helpers import focused, has_focus, tab_to
from wijkapp.extensions import db
from wijkapp.models import Conversation, Role, Signal

pytestmark = pytest.mark.browser

SIGNALS = (
    "De lantaarnpaal bij de speeltuin is al weken kapot.",
    "Er is te weinig te doen voor jongeren in de avond.",
    "Ouderen durven 's avonds niet over het pleintje.",
    "De bus naar het ziekenhuis rijdt te weinig.",
    "Fijn dat het buurthuis weer open is op zaterdag.",
)
QUICK_ENTRY = "textarea[name=text]"


def _type_signal_and_press_enter(page, text: str) -> None:
    if not has_focus(page, QUICK_ENTRY):
        tab_to(page, QUICK_ENTRY, max_presses=3)
    page.keyboard.type(text)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_host_enters_a_conversation_with_the_keyboard_alone_and_loses_nothing_on_reload(pages, live_server, make, app):
    partnership = make.partnership(name="Wijkverband Noord", slug="noord")
    host = make.user(partnership, Role.HOST, email="host@example.org")
    location = make.location(partnership, name="Buurthuis De Schakel")

    tablet = pages.open("tablet", "/login")
    tab_to(tablet, "input[name=email]")
    tablet.keyboard.type(host.email)
    tablet.keyboard.press("Tab")
    tablet.keyboard.type("correct-horse-battery")
    with tablet.expect_navigation():
        tablet.keyboard.press("Enter")
    assert tablet.url.endswith("/p/noord/host/")

    tab_to(tablet, "select[name=location]")
    tablet.keyboard.type("Buurthuis")  # a focused select picks the option that starts with what you type
    tab_to(tablet, tablet.get_by_role("button", name="Start gesprek"))
    with tablet.expect_navigation():
        tablet.keyboard.press("Enter")
    assert "Gesprek: Buurthuis De Schakel" in tablet.get_by_role("heading", level=1).inner_text()
    assert focused(tablet)["name"] == "text", "the quick-entry field should have focus when the page opens"

    for text in SIGNALS[:3]:
        _type_signal_and_press_enter(tablet, text)
        assert tablet.get_by_role("status").first.inner_text().startswith("Opgeslagen")
        assert focused(tablet)["name"] == "text", "after saving, focus should be back in the quick-entry field"

    # Half-way: a signal typed but not yet saved when the tablet reloads the page.
    tablet.keyboard.type(SIGNALS[3])
    tablet.reload()
    assert tablet.locator(QUICK_ENTRY).input_value() == SIGNALS[3], "the typed draft was lost on reload"
    for text in SIGNALS[:3]:
        assert tablet.get_by_text(text).is_visible()
    tablet.locator(QUICK_ENTRY).focus()
    tablet.keyboard.press("End")
    with tablet.expect_navigation():
        tablet.keyboard.press("Enter")
    _type_signal_and_press_enter(tablet, SIGNALS[4])
    assert "5 signalen opgeslagen" in tablet.locator("main").inner_text()

    tab_to(tablet, "input[name=people_spoken]")
    tablet.keyboard.type("12")
    with tablet.expect_navigation():
        tablet.keyboard.press("Enter")
    assert "Gesprek afgesloten: 5 signalen, 12 mensen gesproken" in tablet.get_by_role("status").inner_text()

    with app.app_context():
        conversation = db.session.scalar(db.select(Conversation))
        assert conversation.host_id == host.id and conversation.location_id == location.id
        assert conversation.closed_at is not None and conversation.people_spoken == 12
        stored = db.session.scalars(db.select(Signal).order_by(Signal.id)).all()
        assert [s.text for s in stored] == list(SIGNALS)
        assert {(s.source, s.form, s.conversation_id, s.created_by_id, s.location_id) for s in stored} == {
            ("host_conversation", "A", conversation.id, host.id, location.id)}
