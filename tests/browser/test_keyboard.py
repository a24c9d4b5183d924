"""Keyboard only: every control can be reached with Tab, and you can always see where focus is."""
from __future__ import annotations

import pytest

from tests.browser.helpers import focus_indicator, focused, sign_in
from wijkapp.models import Role

pytestmark = pytest.mark.browser

PAGES = {
    "resident form": (None, "phone", lambda w: f"/s/{w.location.code}"),
    "login": (None, "desktop", lambda w: "/login"),
    "host conversation": (Role.HOST, "tablet", lambda w: f"/p/noord/host/conversations/{w.conversation_id}"),
    "micro-survey": (Role.PROFESSIONAL, "phone", lambda w: "/p/noord/professional/"),
    "coordinator signals": (Role.COORDINATOR, "desktop", lambda w: "/p/noord/coordinator/signals"),
    "bundling with suggestions": (Role.COORDINATOR, "desktop", lambda w: w.round and "/p/noord/coordinator/bundles"),
    "choose": (Role.COORDINATOR, "desktop", lambda w: f"/p/noord/coordinator/rounds/{w.round.round_id}/choose"),
    "meeting view": (Role.COORDINATOR, "desktop", lambda w: f"/p/noord/coordinator/rounds/{w.round.round_id}/meeting"),
    "feedback write": (Role.COORDINATOR, "desktop", lambda w: f"/p/noord/coordinator/rounds/{w.round.round_id}/feedback"),
    "feedback review": (Role.ERVARINGSDESKUNDIGE, "desktop", lambda w: f"/p/noord/expert/feedback/{w.round.draft_id}"),
    "receipt look-up": (None, "phone", lambda w: "/r"),
}


def _tab_through(page, limit: int = 80):
    """Focus each control in Tab order once; yields what has focus and how it is drawn."""
    page.locator("body").focus()
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if now["tag"] == "body" or now in seen:
            return
        seen.append(now)
        yield now, focus_indicator(page)


@pytest.mark.parametrize("name", list(PAGES))
def test_focus_is_visible_on_every_control(name, pages, live_server, world):
    role, device, path = PAGES[name]
    page = pages.open(device)
    if role is not None:
        sign_in(page, live_server, world.user(role))
    page.goto(live_server(path(world)))
    reached = 0
    for element, indicator in _tab_through(page):
        reached += 1
        assert indicator["outlineStyle"] != "none" and indicator["outlineWidth"] >= 2, \
            f"no visible focus on {element} ({indicator})"
    assert reached >= 2, f"Tab reached only {reached} controls on {name}"
