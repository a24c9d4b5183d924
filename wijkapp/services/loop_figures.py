"""Loop figures: is step 4 happening? Per round and for the whole partnership.

Small enough to compute in Python from four narrow queries (a partnership has thousands of
signals, not millions), which keeps merges and "first feedback after the signal" easy to read.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime

from wijkapp.extensions import db
from wijkapp.models import Action, Bundle, Feedback, FeedbackBundle, Partnership, ReceiptLookup, Round, Signal
from wijkapp.services.feedback import due_date


@dataclass
class RoundFigures:
    round: Round
    signals: int = 0
    with_feedback: int = 0
    days: list[int] = field(default_factory=list)
    on_time: bool | None = None   # None: nothing was due yet
    lookups: int = 0

    @property
    def share(self) -> float | None:
        return self.with_feedback / self.signals if self.signals else None

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.days) if self.days else None


@dataclass
class LoopFigures:
    rounds: list[RoundFigures]

    @property
    def signals(self) -> int:
        return sum(r.signals for r in self.rounds)

    @property
    def with_feedback(self) -> int:
        return sum(r.with_feedback for r in self.rounds)

    @property
    def share(self) -> float | None:
        return self.with_feedback / self.signals if self.signals else None

    @property
    def median_days(self) -> float | None:
        days = [d for r in self.rounds for d in r.days]
        return statistics.median(days) if days else None

    @property
    def on_time(self) -> int:
        return sum(1 for r in self.rounds if r.on_time is True)

    @property
    def late(self) -> int:
        return sum(1 for r in self.rounds if r.on_time is False)

    @property
    def lookups(self) -> int:
        return sum(r.lookups for r in self.rounds)


def percent(share: float | None) -> str:
    return "–" if share is None else f"{round(share * 100)}%"


def nl_number(value: float | None) -> str:
    """Dutch decimal comma: 56,5."""
    if value is None:
        return "–"
    return f"{value:g}".replace(".", ",")


def _root(bundle_id: int, merged_into: dict[int, int | None]) -> int:
    seen = set()
    while merged_into.get(bundle_id) and bundle_id not in seen:
        seen.add(bundle_id)
        bundle_id = merged_into[bundle_id]
    return bundle_id


def loop_figures(partnership: Partnership, today: date) -> LoopFigures:
    pid = partnership.id
    rounds = list(db.session.scalars(db.select(Round).where(Round.partnership_id == pid).order_by(Round.number)))
    figures = {r.id: RoundFigures(r) for r in rounds}
    merged_into = dict(db.session.execute(
        db.select(Bundle.id, Bundle.merged_into_id).where(Bundle.partnership_id == pid)).all())

    # Every moment a bundle (by its surviving root) got published feedback, oldest first.
    published: dict[int, list[datetime]] = {}
    for bundle_id, published_at in db.session.execute(
        db.select(FeedbackBundle.bundle_id, Feedback.published_at)
        .join(Feedback, Feedback.id == FeedbackBundle.feedback_id)
        .where(Feedback.partnership_id == pid, Feedback.version > 0).order_by(Feedback.published_at)
    ):
        published.setdefault(_root(bundle_id, merged_into), []).append(published_at)

    for round_id, bundle_id, created_at in db.session.execute(
        db.select(Signal.round_id, Signal.bundle_id, Signal.created_at).where(Signal.partnership_id == pid)
    ):
        row = figures.get(round_id)
        if row is None:
            continue
        row.signals += 1
        moments = published.get(_root(bundle_id, merged_into), []) if bundle_id else []
        first = next((m for m in moments if m >= created_at), None)
        if first is not None:
            row.with_feedback += 1
            # Calendar days, as people count them: a signal on Monday answered on Tuesday is 1 day.
            row.days.append((first.date() - created_at.date()).days)

    first_publish = dict(db.session.execute(
        db.select(Feedback.round_id, db.func.min(Feedback.published_at))
        .where(Feedback.partnership_id == pid, Feedback.version > 0).group_by(Feedback.round_id)).all())
    with_actions = set(db.session.scalars(db.select(Action.round_id).where(Action.partnership_id == pid)))
    for row in figures.values():
        due = due_date(row.round)
        first = first_publish.get(row.round.id)
        if first is not None and due is not None:
            row.on_time = first.date() <= due
        elif first is None and due is not None and due < today and row.round.id in with_actions:
            row.on_time = False

    for round_id, n in db.session.execute(
        db.select(ReceiptLookup.round_id, db.func.count(ReceiptLookup.id))
        .where(ReceiptLookup.partnership_id == pid).group_by(ReceiptLookup.round_id)
    ):
        if round_id in figures:
            figures[round_id].lookups = n
    return LoopFigures([figures[r.id] for r in rounds])
