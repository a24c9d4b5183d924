from __future__ import annotations

from datetime import date

from flask import g, render_template

from wijkapp.audiences.coordinator import bp
from wijkapp.extensions import db
from wijkapp.services import feedback, rounds, signal_list


@bp.get("/")
def home():
    current = rounds.round_for_date(g.partnership, date.today())
    db.session.commit()  # round 1 may just have been created
    counts = signal_list.counts(g.partnership, signal_list.SignalFilter(round_id=current.id))
    return render_template(
        "coordinator/home.html",
        current_round=current,
        counts=counts,
        total=sum(counts["source"].values()),
        locations=g.partnership.locations,
        due=feedback.due_items(g.partnership, date.today()),
    )
