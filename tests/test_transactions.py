"""One transaction boundary per request (wijkapp.web.end_transaction, Indico's request handler).

A view only adds and flushes; the request commits when its answer is a success or a redirect and
rolls back when it is an error, a form shown again (422) included. The routes here are made for the
test on a fresh app, so each case is one clear request."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from flask import Blueprint, abort, redirect

from tests.conftest import count
from wijkapp.extensions import db
from wijkapp.models import Partnership, Theme

ROOT = Path(__file__).resolve().parent.parent


def _add_theme(partnership_id: int, name: str) -> None:
    db.session.add(Theme(partnership_id=partnership_id, name=name, position=1))
    db.session.flush()  # written to the database, but not committed


@pytest.fixture
def probe_client(app, make):
    partnership = make.partnership()
    bp = Blueprint("probe", __name__)

    @bp.post("/probe/<outcome>")
    def probe(outcome: str):
        _add_theme(partnership.id, outcome)
        if outcome == "page":
            return "ok"
        if outcome == "redirect":
            return redirect("/")
        if outcome == "form-again":
            return "fout", 422
        if outcome == "not-found":
            abort(404)
        raise RuntimeError("a bug half-way")

    app.register_blueprint(bp)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a bug becomes the 500 page, as in production
    return app.test_client()


@pytest.mark.parametrize("outcome, status, stored", [
    ("page", 200, True),
    ("redirect", 302, True),
    ("form-again", 422, False),
    ("not-found", 404, False),
    ("bug", 500, False),
])
def test_request_commits_success_and_rolls_back_errors(app, probe_client, outcome, status, stored):
    response = probe_client.post(f"/probe/{outcome}")
    assert response.status_code == status
    with app.app_context():
        assert count(Theme, Theme.name == outcome) == (1 if stored else 0)


def test_a_failed_commit_is_the_error_page_and_stores_nothing(app, make):
    make.partnership(slug="bezet")
    bp = Blueprint("clash", __name__)

    @bp.post("/clash")
    def clash():
        # A second partnership with a slug that is taken: the clash shows only at the commit.
        db.session.add(Theme(partnership_id=1, name="Mee met de fout", position=1))
        db.session.add(Partnership(slug="bezet", name="Dubbel"))
        return "ok"

    app.register_blueprint(bp)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().post("/clash")
    assert response.status_code == 500
    assert "Er ging bij ons iets mis" in response.get_data(as_text=True)
    with app.app_context():
        assert count(Partnership) == 1
        assert count(Theme, Theme.name == "Mee met de fout") == 0


def test_views_leave_committing_to_the_request():
    """Only the views that must commit at a moment of their own do (each says why in a comment)."""
    found = subprocess.run(["git", "grep", "-n", r"db\.session\.commit", "wijkapp/audiences"], cwd=ROOT,
                           capture_output=True, text=True).stdout.splitlines()
    assert len(found) <= 5, "\n".join(found)
    for line in found:
        assert re.search(r"#|Commits itself", line) or "public.py" in line, line
