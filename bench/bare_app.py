"""The yardstick for bench/load.py: the least a Flask app can do for one resident submission.

GET renders a tiny form with a token; POST inserts the same `signal` row as Wijkapp does, with
plain sqlite3 (WAL, busy timeout, BEGIN IMMEDIATE) or psycopg, and redirects. No ORM, no
WTForms, no CSRF, no templates. Served by gunicorn with the same workers as the app.

Settings come from the environment that bench/load.py sets: BARE_DATABASE_URL, BARE_PARTNERSHIP_ID,
BARE_ROUND_ID, BARE_LOCATION_ID.
"""
from __future__ import annotations

import os
import secrets
import sqlite3
import threading
from datetime import datetime, timezone
from html import escape

from flask import Flask, redirect, request

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
INSERT = (
    "INSERT INTO signal (partnership_id, round_id, text, source, form, location_id, micro_question_text, "
    "created_at, receipt_code, submission_token) VALUES ({p}, {p}, {p}, 'resident_qr', 'A', {p}, '', {p}, {p}, {p})"
)

app = Flask(__name__)
_local = threading.local()
DATABASE_URL = os.environ.get("BARE_DATABASE_URL", "")
PARTNERSHIP_ID = int(os.environ.get("BARE_PARTNERSHIP_ID", "1"))
ROUND_ID = int(os.environ.get("BARE_ROUND_ID", "1"))
LOCATION_ID = int(os.environ.get("BARE_LOCATION_ID", "1"))


def _connection():
    connection = getattr(_local, "connection", None)
    if connection is None:
        if DATABASE_URL.startswith("sqlite:///"):
            connection = sqlite3.connect(DATABASE_URL[len("sqlite:///"):], isolation_level=None)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA busy_timeout=15000")
            connection.execute("PRAGMA synchronous=NORMAL")
        else:
            import psycopg

            connection = psycopg.connect(DATABASE_URL.replace("postgresql+psycopg://", "postgresql://"))
        _local.connection = connection
    return connection


def _insert(values: tuple) -> None:
    connection = _connection()
    if isinstance(connection, sqlite3.Connection):
        connection.execute("BEGIN IMMEDIATE")
        try:
            connection.execute(INSERT.format(p="?"), values)
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
    else:
        with connection.transaction():
            connection.execute(INSERT.format(p="%s"), values)


@app.get("/s/<code>")
def form(code: str):
    token = secrets.token_urlsafe(24)
    return (f'<form method="post"><input type="hidden" name="submission_token" value="{token}">'
            f'<textarea name="text"></textarea><button>Verstuur</button></form><!-- {escape(code)} -->')


@app.post("/s/<code>")
def submit(code: str):
    text = request.form.get("text", "").strip()
    if not text:
        return "Vul het signaal in.", 422
    receipt_code = "".join(secrets.choice(ALPHABET) for _ in range(8))
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    _insert((PARTNERSHIP_ID, ROUND_ID, text, LOCATION_ID, now, receipt_code,
             request.form.get("submission_token", "")[:64] or None))
    return redirect(f"/s/{code}/bedankt")
