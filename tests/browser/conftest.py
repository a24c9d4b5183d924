"""Browser fixtures: the real app on a live server, Debian's Chromium driven by Playwright.

One browser per session, a fresh context (cookies, storage, viewport) per test. The app is the
`app` fixture of tests/conftest.py with CSRF switched back on: a real browser must pass it.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.server import LiveServer

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
VIEWPORTS = {
    "phone": {"width": 390, "height": 844},
    "tablet": {"width": 820, "height": 1180},
    "desktop": {"width": 1366, "height": 900},
}


@pytest.fixture
def app_config(tmp_path) -> dict:
    return {"WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": False}


@pytest.fixture
def live_server(app):
    with LiveServer(app) as server:
        yield server
    assert not server.errors, f"the server raised during the test: {server.errors!r}"


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium); browser tests not run"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason + " — in CI this is a failure", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Pages:
    """Opens pages in fresh contexts and checks, at the end, that no page logged a JS or CSP error."""

    def __init__(self, browser, live_server):
        self._browser = browser
        self._live = live_server
        self._contexts = []
        self.console_errors: list[str] = []

    def open(self, device: str = "desktop", path: str | None = None, *, javascript: bool = True, **options):
        context = self._browser.new_context(
            viewport=options.pop("viewport", VIEWPORTS[device]),
            locale="nl-NL",
            java_script_enabled=javascript,
            accept_downloads=True,
            **options,
        )
        context.set_default_timeout(10_000)
        self._contexts.append(context)
        page = context.new_page()
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.console_errors.append(f"page error: {error}"))
        if path is not None:
            page.goto(self._live(path))
        return page

    def _on_console(self, message) -> None:
        # Chromium reports CSP violations (inline style or script) as console errors.
        if message.type == "error" and "favicon.ico" not in (message.location or {}).get("url", ""):
            self.console_errors.append(message.text)

    def close(self) -> None:
        for context in self._contexts:
            context.close()


@pytest.fixture
def pages(browser, live_server):
    pages = Pages(browser, live_server)
    yield pages
    pages.close()
    assert not pages.console_errors, f"the browser logged errors: {pages.console_errors}"
