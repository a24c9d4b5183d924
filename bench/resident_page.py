"""Resident form in Chromium: bytes transferred and first contentful paint under "Slow 4G".

Run: python -m bench.resident_page   (needs /usr/bin/chromium; prints the figures for docs/performance.md)

Serves the real app (temporary SQLite, one location) on 127.0.0.1 and loads /s/<code> in a fresh
browser context per run (cold cache), with DevTools' "Slow 4G" preset applied through CDP.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

# DevTools' "Slow 4G" preset (front_end/core/sdk/NetworkManager.ts): 1.6 Mbit/s down and
# 750 kbit/s up, each × 0.9, and 150 ms × 3.75 latency. Network only: no CPU throttling.
SLOW_4G = {
    "offline": False,
    "latency": 562.5,                          # ms, added to every request
    "downloadThroughput": 1.6e6 / 8 * 0.9,     # 180 000 bytes/s
    "uploadThroughput": 750e3 / 8 * 0.9,       # 84 375 bytes/s
}
RUNS = 5


def _app(tmp: Path):
    from wijkapp import create_app
    from wijkapp.extensions import db
    from wijkapp.services import accounts, locations

    app = create_app({
        "INSTANCE_PATH": str(tmp / "instance"), "SECRET_KEY": "bench",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.sqlite'}", "RATELIMIT_ENABLED": False,
    })
    with app.app_context():
        db.create_all()
        partnership = accounts.create_partnership("Wijkverband Noord", slug="noord")
        code = locations.add_location(partnership, "Buurthuis De Schakel").code
        db.session.commit()
    return app, code


def _load(browser, url: str, throttle: bool) -> tuple[float, dict[str, int]]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    if throttle:
        cdp.send("Network.emulateNetworkConditions", SLOW_4G)
    urls, sizes = {}, {}
    cdp.on("Network.responseReceived", lambda e: urls.__setitem__(e["requestId"], e["response"]["url"]))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    fcp = page.evaluate("""() => {
        const entry = performance.getEntriesByName('first-contentful-paint')[0];
        return entry ? entry.startTime : null;
    }""")
    context.close()
    by_url = {urls.get(k, k).split("/", 3)[-1]: v for k, v in sizes.items()}
    return fcp, {u: v for u, v in by_url.items() if not u.endswith("favicon.ico")}


def main() -> int:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
    from tests.browser.server import LiveServer

    if not CHROMIUM.exists():
        print(f"Chromium not found at {CHROMIUM}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        app, code = _app(Path(tmp))
        with LiveServer(app) as server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            url = server(f"/s/{code}")
            _fcp, sizes = _load(browser, url, throttle=False)
            fcps = [_load(browser, url, throttle=True)[0] for _ in range(RUNS)]
            version = browser.version
            browser.close()
    print(f"Resident form /s/<code>, Chromium {version}")
    for name, size in sorted(sizes.items()):
        print(f"  /{name}: {size} bytes transferred (headers + body, uncompressed)")
    print(f"  total: {sum(sizes.values())} bytes (budget 14336)")
    print(f"Slow 4G: latency {SLOW_4G['latency']} ms, down {SLOW_4G['downloadThroughput']:.0f} B/s, "
          f"up {SLOW_4G['uploadThroughput']:.0f} B/s, no CPU throttling")
    print(f"  first contentful paint, {RUNS} cold loads: " + ", ".join(f"{f:.0f}" for f in fcps) + " ms")
    print(f"  median: {statistics.median(fcps):.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
