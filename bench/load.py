"""Load test: many residents submit the QR form at once; nothing may get lost.

    python -m bench.load                       # SQLite, 10,000 submissions, 32 connections
    python -m bench.load --postgres            # PostgreSQL: creates and drops its own databases
    python -m bench.load --requests 2000 --concurrency 48

What it does, per database:
1. Builds three empty databases in a temporary place (`flask db upgrade`), and in each a
   partnership with one location through the services.
2. Serves Wijkapp with gunicorn (4 workers, CSRF on, rate limiting off) on 127.0.0.1, the
   yardstick `bench/bare_app.py` (a bare Flask endpoint inserting the same row with plain
   sqlite3/psycopg), and `bench/floor_app.py` (the project's fixed stack alone: a Flask-WTF form,
   a Jinja template, one ORM insert) the same way, each on its own database.
3. From this process (32+ threads, http.client) sends N submissions to each: GET the form (CSRF
   token, submission token, session cookie), then POST it with a unique marker in the text.
4. Checks the app: every 2xx/302 maps to exactly one stored signal, no 5xx, row count equals
   successes, `PRAGMA integrity_check` is ok (SQLite). Exit status 1 when a check fails.
5. Prints throughput (submissions/s and requests/s, a submission being GET + POST), the ratio
   app / bare, which should be at least 0.5, and floor / bare: the best ratio the fixed stack allows.

Bounded: only 127.0.0.1, a fixed number of requests, a time limit per phase (--time-limit).
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import signal as signals
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

PROJECT_ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
MARKER = re.compile(r"\[lt-([0-9a-f]{8})-(\d+)\]")
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
SUBMISSION = re.compile(r'name="submission_token"[^>]*value="([^"]+)"')


# --- Databases -------------------------------------------------------------------------------

@dataclass
class Database:
    url: str  # SQLAlchemy URL
    dropper: callable = None

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    @property
    def libpq(self) -> str:
        return self.url.replace("postgresql+psycopg://", "postgresql://")

    def connect(self):
        if self.is_sqlite:
            return sqlite3.connect(self.url[len("sqlite:///"):])
        import psycopg

        return psycopg.connect(self.libpq)

    def drop(self) -> None:
        if self.dropper:
            self.dropper()


def sqlite_database(directory: Path, name: str) -> Database:
    return Database(f"sqlite:///{directory / (name + '.sqlite')}")


def postgres_database(admin_url: str, name: str) -> Database:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    base = admin_url.rsplit("/", 1)[0]
    return Database(f"{base.replace('postgresql://', 'postgresql+psycopg://')}/{name}", drop)


def prepare(database: Database, instance: Path) -> dict:
    """Schema by migration, then a partnership with one location, made by the app's own services."""
    from datetime import date

    import flask_migrate

    from wijkapp import create_app
    from wijkapp.extensions import db
    from wijkapp.services import accounts, locations, rounds

    app = create_app({"SQLALCHEMY_DATABASE_URI": database.url, "INSTANCE_PATH": str(instance),
                      "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False})
    with app.app_context():
        flask_migrate.upgrade()
        partnership = accounts.create_partnership("Wijkverband Belasting (bench)", slug="bench")
        location = locations.add_location(partnership, "Buurthuis Bench")
        # The yardstick needs a round id; the app finds or makes its round itself on first use.
        current = rounds.round_for_date(partnership, date.today())
        db.session.commit()
        ids = {"partnership": partnership.id, "location": location.id, "round": current.id, "code": location.code}
        db.session.remove()
        db.engine.dispose()
    return ids


def stored_markers(database: Database, run_id: str) -> tuple[Counter, int]:
    with database.connect() as connection:
        texts = [row[0] for row in connection.execute("SELECT text FROM signal").fetchall()]
    markers = Counter(int(m.group(2)) for text in texts for m in MARKER.finditer(text) if m.group(1) == run_id)
    return markers, len(texts)


def integrity(database: Database) -> str:
    if not database.is_sqlite:
        return "n/a (PostgreSQL)"
    with database.connect() as connection:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]


# --- Servers ---------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, wsgi: str, env: dict, workers: int, log: Path):
        self.port = free_port()
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"{HOST}:{self.port}",
             "--timeout", "60", "--backlog", "2048", wsgi],
            cwd=PROJECT_ROOT, env={**os.environ, **env}, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._wait_ready()

    def _wait_ready(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start; see {self.log.name}")
            try:
                connection = http.client.HTTPConnection(HOST, self.port, timeout=2)
                connection.request("GET", "/healthz")
                connection.getresponse().read()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer within a minute")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signals.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signals.SIGKILL)
                self.process.wait()
        self.log.close()


# --- Client ----------------------------------------------------------------------------------

@dataclass
class Outcome:
    statuses: dict[int, int] = field(default_factory=dict)  # marker number -> final status (0: no answer)
    errors: Counter = field(default_factory=Counter)
    seconds: float = 0.0


def _request(port: int, method: str, path: str, body: str | None = None, headers: dict | None = None):
    # gunicorn's sync workers close after every response: one connection per request.
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheader("Set-Cookie") or "", response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def submit(port: int, code: str, text: str) -> tuple[int, str]:
    status, cookie, html = _request(port, "GET", f"/s/{code}")
    if status != 200:
        return status, "GET"
    fields = {"text": text, "theme": "0", "email": "", "website": ""}
    for name, pattern in (("csrf_token", CSRF), ("submission_token", SUBMISSION)):
        found = pattern.search(html)
        if found:
            fields[name] = found.group(1)
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if cookie:
        headers["Cookie"] = cookie.split(";", 1)[0]
    status, _cookie, _body = _request(port, "POST", f"/s/{code}", urlencode(fields), headers)
    return status, "POST"


def run_load(port: int, code: str, run_id: str, requests: int, concurrency: int, time_limit: float) -> Outcome:
    outcome = Outcome()
    next_number = iter(range(requests))
    lock = threading.Lock()
    deadline = time.monotonic() + time_limit

    def worker() -> None:
        while time.monotonic() < deadline:
            with lock:
                number = next(next_number, None)
            if number is None:
                return
            text = f"Bench-signaal: de stoep is kapot bij de bushalte [lt-{run_id}-{number}]"
            try:
                status, step = submit(port, code, text)
            except OSError as error:
                status, step = 0, type(error).__name__
            with lock:
                outcome.statuses[number] = status
                if status not in (200, 201, 302, 303):
                    outcome.errors[f"{step} {status}"] += 1

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    outcome.seconds = time.monotonic() - started
    return outcome


# --- One database, both servers ----------------------------------------------------------------

def run_backend(name: str, databases: dict[str, Database], args, workdir: Path) -> dict:
    """Serve each of bare, floor and app in turn on its own fresh database and load it."""
    run_id = secrets.token_hex(4)
    results = {}
    for label in ("bare", "floor", "app"):
        db = databases[label]
        ids = prepare(db, workdir / "instance")
        if label == "app":
            wsgi, env = "app:app", {"DATABASE_URL": db.url, "SECRET_KEY": secrets.token_hex(32),
                                    "RATELIMIT_ENABLED": "false", "PUBLIC_BASE_URL": f"http://{HOST}"}
        else:
            wsgi = "bench.bare_app:app" if label == "bare" else "bench.floor_app:app"
            env = {"BARE_DATABASE_URL": db.url, "BARE_PARTNERSHIP_ID": str(ids["partnership"]),
                   "BARE_ROUND_ID": str(ids["round"]), "BARE_LOCATION_ID": str(ids["location"]),
                   "SECRET_KEY": secrets.token_hex(32)}
        server = Server(wsgi, env, args.workers, workdir / f"{name}-{label}.log")
        try:
            outcome = run_load(server.port, ids["code"], run_id, args.requests, args.concurrency, args.time_limit)
        finally:
            server.stop()
        successes = {n for n, status in outcome.statuses.items() if 200 <= status < 400}
        markers, rows = stored_markers(db, run_id)
        results[label] = {
            "submissions": len(outcome.statuses),
            "successes": len(successes),
            "server_errors_5xx": sum(1 for s in outcome.statuses.values() if s >= 500),
            "other_failures": dict(outcome.errors),
            "lost": sum(1 for n in successes if markers[n] == 0),
            "duplicated": sum(1 for n in successes if markers[n] > 1),
            "stored_without_success": sum(1 for n in markers if n not in successes),
            "rows": rows,
            "integrity_check": integrity(db),
            "seconds": round(outcome.seconds, 2),
            "submissions_per_s": round(len(outcome.statuses) / outcome.seconds, 1),
            "requests_per_s": round(2 * len(outcome.statuses) / outcome.seconds, 1),
        }
    app = results["app"]
    app["passed"] = (
        app["submissions"] == args.requests and app["successes"] == args.requests
        and app["server_errors_5xx"] == 0 and app["lost"] == 0 and app["duplicated"] == 0
        and app["rows"] == app["successes"] and app["stored_without_success"] == 0
        and app["integrity_check"] in ("ok", "n/a (PostgreSQL)")
    )
    bare_rate = results["bare"]["requests_per_s"]
    results["ratio"] = round(app["requests_per_s"] / bare_rate, 2)
    results["floor_ratio"] = round(results["floor"]["requests_per_s"] / bare_rate, 2)
    results["app_of_floor"] = round(app["requests_per_s"] / results["floor"]["requests_per_s"], 2)
    return results


def report(name: str, results: dict, args) -> None:
    app, bare = results["app"], results["bare"]
    print(f"\n== {name}: {args.requests} submissions, {args.concurrency} connections, {args.workers} gunicorn workers ==")
    for label, r in (("Wijkapp", app), ("floor", results["floor"]), ("bare Flask", bare)):
        print(f"{label:>11}: {r['requests_per_s']:7.1f} req/s ({r['submissions_per_s']:.1f} submissions/s, "
              f"{r['seconds']} s) successes {r['successes']}/{r['submissions']}, 5xx {r['server_errors_5xx']}, "
              f"lost {r['lost']}, duplicated {r['duplicated']}, rows {r['rows']}, integrity {r['integrity_check']}"
              + (f", failures {r['other_failures']}" if r["other_failures"] else ""))
    print(f"      ratio: {results['ratio']} (target >= 0.5)   checks: {'PASS' if app['passed'] else 'FAIL'}")
    print(f"      floor: {results['floor_ratio']} of bare (the fixed stack's best: Flask-WTF form + Jinja + "
          f"SQLAlchemy ORM insert); Wijkapp is {results['app_of_floor']} of the floor")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=10_000, help="submissions per server (default 10000)")
    parser.add_argument("--concurrency", type=int, default=32, help="concurrent connections (default 32)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--pg-admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres",
                        help="where to create (and drop) the temporary databases")
    parser.add_argument("--pg-prefix", default="wijk_load", help="name prefix of the temporary PostgreSQL databases")
    parser.add_argument("--time-limit", type=float, default=1800, help="seconds per phase before giving up")
    parser.add_argument("--json", action="store_true", help="also print the results as one JSON line")
    args = parser.parse_args(argv)
    if args.concurrency < 1 or args.requests < 1:
        parser.error("--requests and --concurrency must be at least 1")

    workdir = Path(tempfile.mkdtemp(prefix="wijk-load-"))
    databases: list[Database] = []
    try:
        if args.postgres:
            suffix = secrets.token_hex(3)
            name = "PostgreSQL"
            for label in ("app", "floor", "bare"):
                database = postgres_database(args.pg_admin_url, f"{args.pg_prefix}_{label}_{suffix}")
                databases.append(database)
            chosen = dict(zip(("app", "floor", "bare"), databases))
        else:
            name = "SQLite"
            chosen = {label: sqlite_database(workdir, label) for label in ("app", "floor", "bare")}
        results = run_backend(name, chosen, args, workdir)
        results["machine"] = f"{os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}"
        report(name, results, args)
        if args.json:
            print(json.dumps({"database": name, **results}))
        return 0 if results["app"]["passed"] else 1
    finally:
        for database in databases:
            database.drop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
