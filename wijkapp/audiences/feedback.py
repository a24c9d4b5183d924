"""What residents read about what happened with their signals (step 4). No login."""
from __future__ import annotations

from flask import Blueprint, abort, render_template

from wijkapp.extensions import db
from wijkapp.models import Round, Signal
from wijkapp.services import accounts

bp = Blueprint("feedback", __name__, url_prefix="/w")


@bp.get("/<slug>")
def partnership_feedback(slug: str):
    partnership = accounts.partnership_by_slug(slug)
    if partnership is None:
        abort(404)
    rounds = db.session.execute(
        db.select(Round, db.func.count(Signal.id))
        .outerjoin(Signal, Signal.round_id == Round.id)
        .where(Round.partnership_id == partnership.id)
        .group_by(Round.id)
        .order_by(Round.number.desc())
    ).all()
    return render_template("feedback/partnership.html", partnership=partnership, rounds=rounds)
