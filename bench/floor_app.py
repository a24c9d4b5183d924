"""The floor for bench/load.py: the least the project's fixed stack can do for one submission.

Where `bench/bare_app.py` is Flask alone (no ORM, no WTForms, no CSRF, no templates), this app
uses exactly the pieces DESIGN.md and the README fix for Wijkapp, and nothing else:

- a Flask-WTF form (CSRF token in the signed session cookie, a hidden submission token, one
  required text field), validated on the server;
- a Jinja template that renders the form's fields through WTForms;
- Flask-SQLAlchemy with a typed model on the same `signal` table, one ORM insert per submission
  (`BEGIN IMMEDIATE` on SQLite, as Wijkapp does), then a redirect.

No location lookup, no themes, no rounds, no receipt-code retry, no security headers, no
Flask-Login, no limiter. Wijkapp cannot be cheaper per request than this while it keeps its fixed
choices, so `floor ÷ bare` is the best throughput ratio those choices allow on this machine.

Settings come from the environment that bench/load.py sets: BARE_DATABASE_URL, BARE_PARTNERSHIP_ID,
BARE_ROUND_ID, BARE_LOCATION_ID.
"""
from __future__ import annotations

import os
import secrets
from datetime import datetime, timezone

from flask import Flask, redirect
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import FlaskForm
from sqlalchemy import event
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
DATABASE_URL = os.environ.get("BARE_DATABASE_URL", "sqlite://")
PARTNERSHIP_ID = int(os.environ.get("BARE_PARTNERSHIP_ID", "1"))
ROUND_ID = int(os.environ.get("BARE_ROUND_ID", "1"))
LOCATION_ID = int(os.environ.get("BARE_LOCATION_ID", "1"))


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Signal(db.Model):
    """The columns of Wijkapp's `signal` that a resident submission fills."""

    __tablename__ = "signal"
    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int]
    round_id: Mapped[int]
    text: Mapped[str]
    source: Mapped[str]
    form: Mapped[str]
    location_id: Mapped[int]
    micro_question_text: Mapped[str]
    created_at: Mapped[datetime]
    receipt_code: Mapped[str]
    submission_token: Mapped[str | None]


class SignalForm(FlaskForm):
    text = TextAreaField("Wat wilt u kwijt?", validators=[DataRequired(), Length(max=2000)])
    submission_token = HiddenField()


PAGE = """<!doctype html><html lang="nl"><title>Signaal</title>
<form method="post">{{ form.csrf_token }}{{ form.submission_token }}
<label for="text">{{ form.text.label.text }}</label>{{ form.text(rows=4) }}
{% for error in form.text.errors %}<p>{{ error }}</p>{% endfor %}
<button>Verstuur</button></form></html>"""

app = Flask(__name__)
app.config.update(SECRET_KEY=os.environ.get("SECRET_KEY", secrets.token_hex(32)),
                  SQLALCHEMY_DATABASE_URI=DATABASE_URL)
db.init_app(app)

if DATABASE_URL.startswith("sqlite"):
    with app.app_context():
        @event.listens_for(db.engine, "connect")
        def _sqlite_pragmas(connection, _record):
            connection.isolation_level = None  # let BEGIN below start the transaction
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA busy_timeout=15000")
            connection.execute("PRAGMA synchronous=NORMAL")

        @event.listens_for(db.engine, "begin")
        def _begin_immediate(connection):
            connection.exec_driver_sql("BEGIN IMMEDIATE")

_page = app.jinja_env.from_string(PAGE)  # compiled once per worker, like a template file


@app.route("/s/<code>", methods=["GET", "POST"])
def form(code: str):
    signal_form = SignalForm()
    if not signal_form.is_submitted():
        signal_form.submission_token.data = secrets.token_urlsafe(24)
    if signal_form.validate_on_submit():
        db.session.add(Signal(
            partnership_id=PARTNERSHIP_ID, round_id=ROUND_ID, text=signal_form.text.data.strip(),
            source="resident_qr", form="A", location_id=LOCATION_ID, micro_question_text="",
            created_at=datetime.now(timezone.utc).replace(tzinfo=None),
            receipt_code="".join(secrets.choice(ALPHABET) for _ in range(8)),
            submission_token=(signal_form.submission_token.data or "")[:64] or None,
        ))
        db.session.commit()
        return redirect(f"/s/{code}/bedankt")
    return _page.render(form=signal_form), 422 if signal_form.is_submitted() else 200
