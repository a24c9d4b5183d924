"""Resident-facing pages are plain Dutch (B1): the app's own readability check, the one the
ervaringsdeskundige uses on feedback, run over the text a resident sees on each page."""
from __future__ import annotations

import pytest

from wijkapp.services import plain_language

pytestmark = pytest.mark.browser

# Flesch-Douma 60 and up reads easily for most adults (about B1); see services/plain_language.py.
FLOOR = plain_language.EASY_SCORE


def _send_a_signal(page, live, world):
    page.goto(live(f"/s/{world.location.code}"))
    page.get_by_label("Jouw signaal").fill("Meer groen op het plein.")
    with page.expect_navigation():
        page.get_by_role("button", name="Verstuur").click()


def _withdraw(page, live, world):
    page.goto(live(f"/privacy/withdraw/{world.round.withdraw_token}"))
    with page.expect_navigation():
        page.get_by_role("button", name="Ja, wis mijn e-mailadres").click()


def _unknown_receipt(page, live, world):
    page.goto(live("/r"))
    page.get_by_label("Je code").fill("ZZZZ-ZZZZ")
    with page.expect_navigation():
        page.get_by_role("button", name="Bekijk").click()


RESIDENT_PAGES = {
    "resident form": lambda page, live, world: page.goto(live(f"/s/{world.location.code}")),
    "thank-you page": _send_a_signal,
    "inactive location": lambda page, live, world: page.goto(live(f"/s/{world.inactive_location.code}")),
    "unknown location": lambda page, live, world: page.goto(live("/s/onbekend")),
    "receipt look-up": lambda page, live, world: page.goto(live("/r")),
    "receipt look-up, unknown code": _unknown_receipt,
    "receipt: chosen": lambda page, live, world: page.goto(live(f"/r/{world.round.receipt_code}")),
    "feedback page": lambda page, live, world: page.goto(live("/w/noord")),
    "feedback page of a location": lambda page, live, world: page.goto(live(f"/w/noord/{world.location.code}")),
    "privacy statement": lambda page, live, world: page.goto(live("/privacy/noord")),
    "withdraw: confirm": lambda page, live, world: page.goto(live(f"/privacy/withdraw/{world.round.withdraw_token}")),
    "withdraw: done": _withdraw,
    "withdraw: link not valid": lambda page, live, world: page.goto(live("/privacy/withdraw/klopt-niet")),
}


def test_resident_pages_are_plain_dutch(pages, live_server, world):
    words = plain_language.shipped_words()
    page = pages.open("phone")
    report, problems = [], []
    for name, steps in RESIDENT_PAGES.items():
        steps(page, live_server, world)
        text = page.locator("main").inner_text()
        result = plain_language.check(text, words)
        report.append(f"{result.score!s:>5}  {name}")
        if result.score is not None and result.score < FLOOR:
            problems.append(f"{name}: Flesch-Douma {result.score} (floor {FLOOR})")
        if result.findings:
            problems.append(f"{name}: officialese {result.findings}")
        long = [" ".join(seg.text for seg in s.segments) for s in result.long_sentences]
        if long:
            problems.append(f"{name}: sentences over {plain_language.LONG_SENTENCE_WORDS} words: {long}")
    print("\n".join(report))
    assert not problems, "\n".join(problems)
