"""Rounds: which cycle a signal falls in."""
from __future__ import annotations

import calendar
from datetime import date, timedelta

from sqlalchemy import func

from sqlalchemy.exc import IntegrityError

from wijkapp.extensions import db
from wijkapp.models import Partnership, Round, Signal


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


# --- Cadence and opening the next round -------------------------------------------------------

CADENCES = {
    "4w": "Elke 4 weken",
    "5w": "Elke 5 weken",
    "6w": "Elke 6 weken",
    "monthly": "Elke maand",
}


class RoundError(ValueError):
    """A rule of rounds was broken; the message is Dutch and says what to do."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def add_cadence(day: date, cadence: str) -> date:
    """One cadence step after `day`. Monthly keeps the day of the month where it exists (31 jan → 28/29 feb)."""
    if cadence == "monthly":
        year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
        return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
    weeks = {"4w": 4, "5w": 5, "6w": 6}.get(cadence, 6)
    return day + timedelta(weeks=weeks)


def latest_round(partnership: Partnership) -> Round | None:
    return db.session.scalar(
        db.select(Round).where(Round.partnership_id == partnership.id).order_by(Round.number.desc()).limit(1)
    )


def proposed_meeting_date(partnership: Partnership, today: date) -> date:
    """The next meeting one cadence step after the last known meeting; never in the past."""
    last = db.session.scalar(
        db.select(func.max(Round.meeting_on)).where(Round.partnership_id == partnership.id)
    )
    proposal = add_cadence(last or today, partnership.cadence)
    while proposal <= today:
        proposal = add_cadence(proposal, partnership.cadence)
    return proposal


def open_next_round(partnership: Partnership, starts_on: date, meeting_on: date | None) -> Round:
    """A new round from `starts_on`: signals from that day on fall into it (round_for_date)."""
    last = latest_round(partnership)
    if last is not None and starts_on <= last.starts_on:
        raise RoundError("starts_on", f"{last.label} is op {last.starts_on:%d-%m-%Y} gestart. "
                                      "Kies een startdatum daarna.")
    if meeting_on is not None and meeting_on < starts_on:
        raise RoundError("meeting_on", "De overlegdatum ligt voor de start van de ronde. Kies een latere datum.")
    new = Round(partnership_id=partnership.id, number=(last.number + 1) if last else 1,
                starts_on=starts_on, meeting_on=meeting_on)
    db.session.add(new)
    db.session.flush()
    return new


def set_meeting_date(round_: Round, meeting_on: date | None) -> None:
    if meeting_on is not None and meeting_on < round_.starts_on:
        raise RoundError("meeting_on", "De overlegdatum ligt voor de start van de ronde. Kies een latere datum.")
    round_.meeting_on = meeting_on
    db.session.flush()


def next_round(round_: Round) -> Round | None:
    return db.session.scalar(
        db.select(Round).where(Round.partnership_id == round_.partnership_id, Round.number > round_.number)
        .order_by(Round.number).limit(1)
    )


def signal_count(round_: Round) -> int:
    return db.session.scalar(db.select(func.count(Signal.id)).where(Signal.round_id == round_.id)) or 0


def bundled_count(round_: Round) -> tuple[int, int]:
    """(signals of this round in a bundle, distinct bundles they are in)."""
    row = db.session.execute(
        db.select(func.count(Signal.id), func.count(func.distinct(Signal.bundle_id)))
        .where(Signal.round_id == round_.id, Signal.bundle_id.is_not(None))
    ).one()
    return row[0] or 0, row[1] or 0
