"""Benchmark of the coordinator's top-3 page (not a test: it prints figures).

    python -m bench.top3                      # SQLite, 1k / 10k / 100k signals
    python -m bench.top3 --sizes 1000 10000   # fewer sizes
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/wijk_x python -m bench.top3

For each size it fills one partnership with signals in about one round (realistic bundle sizes:
a few big bundles, many small ones, a third of the signals still unbundled), logs in as the
coordinator and requests the top-3 page through the Flask test client. It reports the median and
p95 server time over the requests (the ranking then comes from its cache), the same for requests
that each follow a bundling change (a bundle renamed through services.bundling: the cache misses
and the full aggregate runs), the SQL statements per request, the memory (tracemalloc peak
of one request and the process's peak RSS), the query plan of the ranking query, and the ratio
between sizes to show the cost grows at most linearly.
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import tempfile
import time
import tracemalloc
from datetime import date, datetime, time as dtime, timedelta

from sqlalchemy import event, insert, text

from wijkapp import create_app
from wijkapp.extensions import db
from wijkapp.models import Bundle, FORM_OF_SOURCE, Location, Role, Round, Signal, Source
from wijkapp.services import accounts, bundling, ranking

PASSWORD = "bench-password-123"
REQUESTS = 30
CHANGED_REQUESTS = 10
SOURCES = [Source.RESIDENT_QR] * 40 + [Source.HOST_CONVERSATION] * 25 + [Source.PROFESSIONAL_MICRO] * 15 + \
          [Source.PANEL_SESSION] * 10 + [Source.ERVARINGSDESKUNDIGE] * 10


def bundle_sizes(total_bundled: int, rng: random.Random) -> list[int]:
    """Heavy-tailed sizes (Pareto): most bundles hold 2–10 signals, a few hold hundreds."""
    sizes, left = [], total_bundled
    while left > 0:
        size = min(left, max(2, int(rng.paretovariate(1.3) * 3)))
        sizes.append(size)
        left -= size
    return sizes


def fill(n_signals: int, seed: int = 7) -> tuple[str, int]:
    """One partnership, one coordinator, 12 locations, one round of 5 weeks holding n signals."""
    rng = random.Random(seed)
    partnership = accounts.create_partnership(f"Bench {n_signals}", slug=f"bench-{n_signals}")
    user = accounts.ensure_user(f"bench{n_signals}@example.org", PASSWORD, name="Bench")
    accounts.grant_role(user, partnership, Role.COORDINATOR)
    today = date.today()
    start = today - timedelta(days=34)
    # An earlier round with a few returning bundles' signals, then the current one.
    db.session.add(Round(partnership_id=partnership.id, number=1, starts_on=start - timedelta(days=35)))
    current = Round(partnership_id=partnership.id, number=2, starts_on=start)
    db.session.add(current)
    locations = [Location(partnership_id=partnership.id, code=f"b{n_signals}x{i}", name=f"Locatie {i}")
                 for i in range(12)]
    db.session.add_all(locations)
    db.session.flush()
    earlier_round = db.session.scalar(db.select(Round.id).where(Round.partnership_id == partnership.id,
                                                                Round.number == 1))

    bundled = n_signals * 2 // 3
    sizes = bundle_sizes(bundled, rng)
    first_bundle = (db.session.scalar(db.select(db.func.max(Bundle.id))) or 0) + 1
    db.session.execute(insert(Bundle), [
        {"id": first_bundle + i, "partnership_id": partnership.id, "name": f"Bundel {i}", "description": "",
         "created_by_id": user.id, "version": 1}
        for i in range(len(sizes))])
    bundle_of = [first_bundle + i for i, size in enumerate(sizes) for _ in range(size)]
    bundle_of += [None] * (n_signals - len(bundle_of))
    rng.shuffle(bundle_of)
    rows = []
    for i, bundle_id in enumerate(bundle_of):
        source = rng.choice(SOURCES)
        earlier = rng.random() < 0.1
        day = (start - timedelta(days=rng.randrange(1, 35))) if earlier else start + timedelta(days=rng.randrange(35))
        rows.append({
            "partnership_id": partnership.id, "round_id": earlier_round if earlier else current.id,
            "text": f"Signaal {i} over iets in de wijk", "source": source.value,
            "form": FORM_OF_SOURCE[source].value,
            "location_id": None if source is Source.PANEL_SESSION else rng.choice(locations).id,
            "bundle_id": bundle_id, "created_at": datetime.combine(day, dtime(rng.randrange(8, 21), rng.randrange(60))),
            "receipt_code": f"{partnership.id:03d}{i:09d}", "micro_question_text": "",
        })
    for chunk in range(0, len(rows), 5000):
        db.session.execute(insert(Signal), rows[chunk:chunk + 5000])
    db.session.commit()
    if db.engine.dialect.name == "sqlite":
        db.session.execute(text("ANALYZE"))
    else:
        db.session.execute(text("ANALYZE"))  # autovacuum does this in production
    db.session.commit()
    return partnership.slug, len(sizes)


def query_plan(slug: str) -> list[str]:
    partnership = accounts.partnership_by_slug(slug)
    current = db.session.scalar(db.select(Round).where(Round.partnership_id == partnership.id, Round.number == 2))
    window = ranking.Window.for_round(current)
    captured = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if "GROUP BY signal.bundle_id" in statement:
            captured.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        ranking.bundle_stats(partnership, window)
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
    statement, parameters = captured[0]
    raw = db.session.connection().connection.driver_connection
    cursor = raw.cursor()
    if db.engine.dialect.name == "sqlite":
        cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
        return [row[-1] for row in cursor.fetchall()]
    cursor.execute("EXPLAIN " + statement, parameters)
    return [row[0] for row in cursor.fetchall()]


def measure(app, slug: str) -> dict:
    client = app.test_client()
    response = client.post("/login", data={"email": f"bench{slug.split('-')[1]}@example.org", "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    url = f"/p/{slug}/coordinator/"
    for _ in range(3):  # warm-up: templates compiled, caches filled
        assert client.get(url).status_code == 200
    statements = []
    with app.app_context():
        engine = db.engine

    def count_statement(*_args):
        statements.append(1)

    event.listen(engine, "before_cursor_execute", count_statement)
    client.get(url)
    event.remove(engine, "before_cursor_execute", count_statement)
    timings = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200 and b"top-item" in response.data
    changed = []
    for i in range(CHANGED_REQUESTS):
        with app.app_context():
            partnership = accounts.partnership_by_slug(slug)
            bundle = db.session.scalar(db.select(Bundle).where(Bundle.partnership_id == partnership.id)
                                       .order_by(Bundle.id).limit(1))
            bundling.edit_bundle(partnership, None, bundle, name=f"Bundel hernoemd {i}", theme_id=None,
                                 description="")
            db.session.commit()
        started = time.perf_counter()
        response = client.get(url)
        changed.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200 and b"top-item" in response.data
    tracemalloc.start()
    client.get(url)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    timings.sort()
    changed.sort()
    return {
        "median_ms": statistics.median(timings),
        "p95_ms": timings[int(round(0.95 * (len(timings) - 1)))],
        "changed_median_ms": statistics.median(changed),
        "changed_max_ms": changed[-1],
        "queries": len(statements),
        "tracemalloc_peak_kib": peak / 1024,
        "rss_peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({
            "TESTING": True, "INSTANCE_PATH": tmp, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": url or f"sqlite:///{tmp}/bench.sqlite",
        })
        with app.app_context():
            db.drop_all()
            db.create_all()
            print(f"database: {db.engine.dialect.name}; {REQUESTS} requests per size after 3 warm-up requests")
        for n in args.sizes:
            with app.app_context():
                started = time.perf_counter()
                slug, bundles = fill(n)
                fill_s = time.perf_counter() - started
                plan = query_plan(slug)
            results[n] = measure(app, slug)
            r = results[n]
            print(f"\n{n:>7} signals, {bundles} bundles (filled in {fill_s:.1f} s)")
            print(f"  top-3 page: median {r['median_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms, "
                  f"{r['queries']} SQL statements per request")
            print(f"  after a bundling change (cache miss, {CHANGED_REQUESTS} requests): "
                  f"median {r['changed_median_ms']:.1f} ms, max {r['changed_max_ms']:.1f} ms")
            print(f"  memory: tracemalloc peak {r['tracemalloc_peak_kib']:.0f} KiB per request, "
                  f"process peak RSS {r['rss_peak_mib']:.0f} MiB")
            print("  ranking query plan:")
            for line in plan:
                print(f"    {line}")
        if url is None or "sqlite" in url:
            pass
        else:
            with app.app_context():
                db.drop_all()
    sizes = sorted(results)
    for small, large in zip(sizes, sizes[1:]):
        ratio = results[large]["median_ms"] / results[small]["median_ms"]
        changed = results[large]["changed_median_ms"] / results[small]["changed_median_ms"]
        print(f"\nratio {large // 1000}k/{small // 1000}k: median time x{ratio:.2f} (after a change x{changed:.2f}) "
              f"for x{large / small:.0f} signals")


if __name__ == "__main__":
    main()
