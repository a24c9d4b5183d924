"""The coordinator's view of signals: one filter, used by the list page, the counts and the export."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, func
from sqlalchemy.orm import joinedload

from wijkapp.extensions import db
from wijkapp.models import Partnership, Signal


@dataclass(frozen=True)
class SignalFilter:
    round_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    location_id: int | None = None
    source: str | None = None
    form: str | None = None
    theme_id: int | None = None

    def where(self, partnership: Partnership) -> list:
        conditions = [Signal.partnership_id == partnership.id]
        if self.round_id:
            conditions.append(Signal.round_id == self.round_id)
        if self.date_from:
            conditions.append(Signal.created_at >= datetime.combine(self.date_from, time.min))
        if self.date_to:
            conditions.append(Signal.created_at < datetime.combine(self.date_to + timedelta(days=1), time.min))
        if self.location_id:
            conditions.append(Signal.location_id == self.location_id)
        if self.source:
            conditions.append(Signal.source == self.source)
        if self.form:
            conditions.append(Signal.form == self.form)
        if self.theme_id:
            conditions.append(Signal.theme_id == self.theme_id)
        return conditions


def signals_query(partnership: Partnership, signal_filter: SignalFilter) -> Select:
    return (
        db.select(Signal)
        .where(*signal_filter.where(partnership))
        .options(joinedload(Signal.location), joinedload(Signal.theme), joinedload(Signal.round),
                 joinedload(Signal.bundle))
        .order_by(Signal.created_at.desc(), Signal.id.desc())
    )


def page_of_signals(partnership: Partnership, signal_filter: SignalFilter, page: int, per_page: int = 100):
    return db.paginate(signals_query(partnership, signal_filter), page=page, per_page=per_page,
                       error_out=False, count=True)


def counts(partnership: Partnership, signal_filter: SignalFilter) -> dict[str, dict[str, int]]:
    """Counts per source and per form, aggregated in SQL."""
    where = signal_filter.where(partnership)
    result = {}
    for name, column in (("source", Signal.source), ("form", Signal.form)):
        rows = db.session.execute(
            db.select(column, func.count(Signal.id)).where(*where).group_by(column)
        ).all()
        result[name] = {key: count for key, count in rows}
    return result


def iter_signals(partnership: Partnership, signal_filter: SignalFilter, batch_size: int = 1000):
    """All matching signals, streamed in batches so a large export does not fill memory.

    The query is built now, not when the stream starts: a streamed body is read after the request
    committed, when `partnership` is no longer loaded."""
    query = signals_query(partnership, signal_filter).execution_options(yield_per=batch_size)
    return _stream(query)


def _stream(query):
    yield from db.session.scalars(query)
