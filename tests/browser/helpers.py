"""What browser tests do again and again: log in, run axe, move with the keyboard, take screenshots."""
from __future__ import annotations

from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

from tests.conftest import PASSWORD, csrf_token_from

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_axe = Axe()


def login(page, live_server, user, password: str = PASSWORD) -> None:
    page.goto(live_server("/login"))
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(lambda url: "/login" not in url)


def sign_in(page, live_server, user, password: str = PASSWORD) -> None:
    """Log in without the login form (its own tests use `login`): the session cookie lands in the
    page's context, so the next page opens logged in."""
    token = csrf_token_from(page.request.get(live_server("/login")).text())
    response = page.request.post(live_server("/login"),
                                 form={"csrf_token": token, "email": user.email, "password": password})
    assert response.ok and "/login" not in response.url, f"could not log in as {user.email}"


def axe_violations(page) -> list[str]:
    """Every WCAG 2.1 A/AA violation on the page, one line per element: rule, impact, element."""
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA},
                                       "resultTypes": ["violations"]})
    lines = []
    for violation in results.response["violations"]:
        for node in violation["nodes"]:
            lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}\n"
                         f"    element {node['target']}: {node['html'][:200]}\n"
                         f"    {node.get('failureSummary', '').strip()}")
    return lines


def assert_accessible(page, state: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"axe found {len(violations)} WCAG 2.1 AA violations on {state} ({page.url}):\n" + \
        "\n".join(violations)


def focused(page) -> dict:
    return page.evaluate("""() => {
        const el = document.activeElement;
        return {tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name') || '',
                cls: el.className || '', text: (el.innerText || el.value || '').slice(0, 60)};
    }""")


def has_focus(page, target) -> bool:
    """`target`: a CSS selector or a Playwright locator (get_by_role etc.)."""
    locator = page.locator(target) if isinstance(target, str) else target
    return locator.first.evaluate("el => el === document.activeElement")


def tab_to(page, target, max_presses: int = 30, key: str = "Tab") -> int:
    """Press Tab until `target` has focus; the number of presses it took."""
    for presses in range(1, max_presses + 1):
        page.keyboard.press(key)
        if has_focus(page, target):
            return presses
    raise AssertionError(f"{target} not reached with {max_presses}× {key}; focus is on {focused(page)}")


def focus_indicator(page) -> dict:
    """How the focused element is drawn, to tell whether focus is visible."""
    return page.evaluate("""() => {
        const style = getComputedStyle(document.activeElement);
        return {outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth) || 0,
                outlineColor: style.outlineColor, boxShadow: style.boxShadow};
    }""")


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than the window (0 or less: no horizontal scrolling)."""
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


def screenshot(page, name: str, device: str) -> Path:
    """The viewport as a small PNG under SCREENSHOTS: docs/screenshots/ (shown in the README) when
    the run asked for it (--screenshots), else a tmp dir (tests/browser/test_screenshots.py)."""
    from io import BytesIO

    from PIL import Image

    from PIL import ImageChops

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}-{device}.png"
    image = Image.open(BytesIO(page.screenshot(full_page=False)))
    # A 256-colour palette keeps interface screenshots sharp at a fraction of the size.
    image = image.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE)
    if path.exists():
        with Image.open(path) as old:
            if old.size == image.size and ImageChops.difference(old.convert("RGB"), image.convert("RGB")).getbbox() is None:
                return path  # the same pixels: leave the file (and git) alone
    image.save(path, optimize=True)
    return path
