"""Rounds: which cycle a signal falls in."""
from __future__ import annotations

from datetime import date

from sqlalchemy.exc import IntegrityError

from wijkapp.extensions import db
from wijkapp.models import Partnership, Round


def round_for_date(partnership: Partnership, day: date) -> Round:
    """The round running on `day`: the latest round started on or before it.

    A partnership without rounds gets round 1 starting that day, so collecting never waits for
    setup. Signals older than the first round fall into the first round.
    """
    current = db.session.scalar(
        db.select(Round)
        .where(Round.partnership_id == partnership.id, Round.starts_on <= day)
        .order_by(Round.starts_on.desc(), Round.number.desc())
        .limit(1)
    )
    if current is not None:
        return current
    first = db.session.scalar(
        db.select(Round).where(Round.partnership_id == partnership.id).order_by(Round.number).limit(1)
    )
    if first is not None:
        return first
    # Two first signals at once (PostgreSQL runs them in parallel) both try to make round 1:
    # the loser takes the winner's round instead of failing the resident's request.
    try:
        with db.session.begin_nested():
            first = Round(partnership_id=partnership.id, number=1, starts_on=day)
            db.session.add(first)
    except IntegrityError:
        first = db.session.scalar(
            db.select(Round).where(Round.partnership_id == partnership.id, Round.number == 1)
        )
    return first


def rounds_of(partnership: Partnership) -> list[Round]:
    return list(
        db.session.scalars(
            db.select(Round).where(Round.partnership_id == partnership.id).order_by(Round.number.desc())
        )
    )
