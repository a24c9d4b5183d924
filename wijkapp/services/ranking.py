"""Top 3 / top 5: bundles ranked by a score a coordinator can explain in one sentence.

"Elk nieuw signaal telt 2 punten, elk eerder signaal 1 punt; elke extra participatievorm 3 punten,
elke extra bron en elke extra locatie 1 punt."

The same point heard through residents, hosts and professionals weighs more than one loud channel;
a bundle that keeps coming back keeps its earlier signals. `rank` is pure; `bundle_stats` gathers
the figures in one aggregate query.

The top-3 page, the meeting agenda and the feedback read the ranking from a small per-process
cache (see `ranked`): the aggregate reads every bundled signal of the partnership, which at 100k
signals costs more than the page may take. Each entry is checked against
`Partnership.ranking_token`, which the flush hook below renews in the same transaction as any change
that can alter the ranking; the same hook raises the `version` of every bundle whose figures can
change. So a stale ranking is never shown, no service has to remember to invalidate anything, and
after a change only the bundles whose version moved are counted again.
"""
from __future__ import annotations

import heapq
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Collection
from datetime import date, datetime, time
from uuid import uuid4

from flask import Flask, current_app
from sqlalchemy import case, event, func, inspect
from sqlalchemy.orm import Session

from wijkapp.extensions import db
from wijkapp.models import Bundle, Partnership, Round, Signal
from wijkapp.models.base import utcnow

POINTS_NEW = 2
POINTS_EARLIER = 1
POINTS_EXTRA_FORM = 3
POINTS_EXTRA_SOURCE = 1
POINTS_EXTRA_LOCATION = 1
SCORE_SENTENCE = (
    "Elk nieuw signaal telt 2 punten, elk eerder signaal 1 punt; elke extra participatievorm "
    "3 punten, elke extra bron en elke extra locatie 1 punt."
)


@dataclass(frozen=True)
class BundleStats:
    bundle_id: int
    name: str
    signals: int          # all signals of the bundle up to the end of the window
    new: int              # signals that arrived inside the window
    sources: int
    forms: int
    locations: int
    last_signal_at: datetime | None = None


@dataclass(frozen=True)
class RankedBundle:
    position: int
    stats: BundleStats
    score: int

    @property
    def bundle_id(self) -> int:
        return self.stats.bundle_id

    @property
    def summary(self) -> str:
        """"12 signalen · 3 bronnen · 2 vormen · 4 locaties · 5 nieuw"."""
        return self.summary_in("")

    def summary_in(self, period: str) -> str:
        """The summary with the period named: "… · 5 nieuw deze ronde"."""
        s = self.stats

        def plural(n: int, one: str, many: str) -> str:
            return f"{n} {one if n == 1 else many}"

        return " · ".join([
            plural(s.signals, "signaal", "signalen"),
            plural(s.sources, "bron", "bronnen"),
            plural(s.forms, "vorm", "vormen"),
            plural(s.locations, "locatie", "locaties"),
            f"{s.new} nieuw {period}".rstrip(),
        ])


def score(stats: BundleStats) -> int:
    earlier = stats.signals - stats.new
    return (
        POINTS_NEW * stats.new
        + POINTS_EARLIER * earlier
        + POINTS_EXTRA_FORM * max(stats.forms - 1, 0)
        + POINTS_EXTRA_SOURCE * max(stats.sources - 1, 0)
        + POINTS_EXTRA_LOCATION * max(stats.locations - 1, 0)
    )


def rank_key(s: BundleStats) -> tuple:
    """Sorts best first. Ties: more new signals, more forms, more sources, most recent signal, then
    the oldest bundle (lowest id, last in the key so a key also names its bundle)."""
    last = s.last_signal_at.timestamp() if s.last_signal_at else 0.0
    return (-score(s), -s.new, -s.forms, -s.sources, -last, s.bundle_id)


def rank(all_stats: list[BundleStats], limit: int | None = None) -> list[RankedBundle]:
    """Highest score first, ties broken by `rank_key`: the same input always gives the same order."""
    ordered = sorted((s for s in all_stats if s.new > 0), key=rank_key)
    if limit is not None:
        ordered = ordered[:limit]
    return [RankedBundle(position=i, stats=s, score=score(s)) for i, s in enumerate(ordered, start=1)]


@dataclass(frozen=True)
class Window:
    """The period whose signals count as new: a round, or dates a coordinator picks."""

    starts_at: datetime
    ends_at: datetime | None  # exclusive; None = still running

    @classmethod
    def for_round(cls, round_: Round) -> Window:
        next_start = db.session.scalar(
            db.select(func.min(Round.starts_on)).where(
                Round.partnership_id == round_.partnership_id, Round.starts_on > round_.starts_on)
        )
        return cls(datetime.combine(round_.starts_on, time.min),
                   datetime.combine(next_start, time.min) if next_start else None)

    @classmethod
    def for_dates(cls, first: date, last: date) -> Window:
        return cls(datetime.combine(first, time.min), datetime.combine(last, time.max))


def bundle_stats(partnership: Partnership, window: Window, only: Collection[int] | None = None) -> list[BundleStats]:
    """One aggregate query over the partnership's bundled signals; no query per bundle.

    The signals are grouped by bundle_id first, read from the covering index
    ix_signal_partnership_bundle_created alone, and only the groups are joined to `bundle` for the
    name: joining first would look up the bundle row once per signal. `only` limits it to the given
    bundles (a few queries of at most _IDS_PER_QUERY ids each).
    """
    if only is not None:
        ids = sorted(only)
        return [stats for start in range(0, len(ids), _IDS_PER_QUERY)
                for stats in _bundle_stats(partnership, window, ids[start:start + _IDS_PER_QUERY])]
    return _bundle_stats(partnership, window, None)


_IDS_PER_QUERY = 500  # well under SQLite's and PostgreSQL's limits on bound parameters


def _bundle_stats(partnership: Partnership, window: Window, ids: list[int] | None) -> list[BundleStats]:
    in_window = Signal.created_at >= window.starts_at
    new = func.sum(case((in_window, 1), else_=0))
    conditions = [Signal.partnership_id == partnership.id,
                  Signal.bundle_id.is_not(None) if ids is None else Signal.bundle_id.in_(ids)]
    if window.ends_at is not None:
        conditions.append(Signal.created_at < window.ends_at)
    grouped = (
        db.select(
            Signal.bundle_id.label("bundle_id"),
            func.count().label("signals"),
            new.label("new"),
            func.count(func.distinct(Signal.source)).label("sources"),
            func.count(func.distinct(Signal.form)).label("forms"),
            func.count(func.distinct(Signal.location_id)).label("locations"),
            func.max(Signal.created_at).label("last_signal_at"),
        )
        .where(*conditions)
        .group_by(Signal.bundle_id)
        .having(new > 0)
        .subquery()
    )
    rows = db.session.execute(
        db.select(Bundle.id, Bundle.name, grouped.c.signals, grouped.c.new, grouped.c.sources, grouped.c.forms,
                  grouped.c.locations, grouped.c.last_signal_at)
        .join(Bundle, Bundle.id == grouped.c.bundle_id)
        .where(Bundle.merged_into_id.is_(None))
    ).all()
    return [
        BundleStats(bundle_id=r[0], name=r[1], signals=r[2], new=int(r[3] or 0), sources=r[4], forms=r[5],
                    locations=r[6], last_signal_at=_as_datetime(r[7]))
        for r in rows
    ]


def _as_datetime(value):
    """max() over a subquery loses the column type on SQLite and comes back as text."""
    if isinstance(value, str):
        return datetime.fromisoformat(value)
    return value


def rounds_per_bundle(partnership: Partnership, bundle_ids: list[int]) -> dict[int, list[tuple[int, int]]]:
    """For the given bundles: (round number, signals) per round, in one query. Shows a bundle that
    keeps coming back."""
    if not bundle_ids:
        return {}
    rows = db.session.execute(
        db.select(Signal.bundle_id, Round.number, func.count(Signal.id))
        .join(Round, Round.id == Signal.round_id)
        .where(Signal.partnership_id == partnership.id, Signal.bundle_id.in_(bundle_ids))
        .group_by(Signal.bundle_id, Round.number)
        .order_by(Signal.bundle_id, Round.number)
    ).all()
    result: dict[int, list[tuple[int, int]]] = {bundle_id: [] for bundle_id in bundle_ids}
    for bundle_id, number, n in rows:
        result[bundle_id].append((number, n))
    return result


def unbundled_count(partnership: Partnership, window: Window) -> int:
    """Unbundled signals in the window: one range of the covering index (bundle_id IS NULL).

    Signals in the window are this plus the `new` of every bundle's stats (a merged bundle keeps no
    signals), so the top-3 page needs no count over all signals."""
    conditions = [Signal.partnership_id == partnership.id, Signal.bundle_id.is_(None),
                  Signal.created_at >= window.starts_at]
    if window.ends_at is not None:
        conditions.append(Signal.created_at < window.ends_at)
    return db.session.scalar(db.select(func.count()).select_from(Signal).where(*conditions)) or 0


# --- the cached ranking ---------------------------------------------------------------------------

CACHE_ENTRIES = 64  # (partnership, window) entries per process; an entry keeps one BundleStats per bundle
CACHED_TOP = 10     # bundles kept ranked per entry: the pages show 3 or 5; a longer list is computed afresh
# What a signal contributes to the ranking; a change to any of these in a bundled signal renews the token.
_RANKED_SIGNAL_FIELDS = ("bundle_id", "bundle", "partnership_id", "created_at", "source", "form", "location_id")


@dataclass(frozen=True)
class Ranking:
    ranked: tuple[RankedBundle, ...]   # the best CACHED_TOP bundles with new signals in the window
    new: int                           # bundled signals in the window


@dataclass(frozen=True)
class _Entry:
    token: str                   # the partnership's ranking_token this entry is valid for
    versions: dict[int, int]     # bundle id -> version, for every live bundle when it was counted
    stats: dict[int, BundleStats]  # bundles with new signals in the window
    keys: dict[int, tuple]       # their rank_key
    ranking: Ranking


def ranked(partnership: Partnership, window: Window) -> Ranking:
    """`rank(bundle_stats(...))`, from the cache when nothing that counts has changed since.

    Sound because (1) the token is read after a flush and before anything else, so an entry is
    never labelled with a state newer than the one it counted; (2) every ORM flush that changes a
    bundle or a bundled signal renews the token and raises the version of each bundle whose figures
    it can change, in the same transaction (`_renew_tokens`); intake adds only unbundled signals and
    leaves both alone; (3) nothing counted from uncommitted changes is cached. When the token moved,
    only bundles whose version moved (or that are new) are counted again. Writes that bypass the ORM
    (Core `insert`/`update` on `signal` or `bundle`) must call `invalidate(partnership)`, which makes
    the next view count everything. Bundling reads its signals FOR UPDATE, so on PostgreSQL two
    people cannot move one signal at once (one waits, then gets a stale-form message).
    """
    db.session.flush()
    token = partnership.ranking_token
    key = (partnership.id, window.starts_at, window.ends_at)
    cache, lock = current_app.extensions["ranking_cache"]
    with lock:
        entry = cache.get(key)
        if entry is not None:
            cache.move_to_end(key)
    if entry is not None and entry.token == token:
        return entry.ranking
    pending = partnership.id in db.session.info.get(_PENDING, ())

    versions = dict(db.session.execute(
        db.select(Bundle.id, Bundle.version)
        .where(Bundle.partnership_id == partnership.id, Bundle.merged_into_id.is_(None))
    ).all())
    if entry is None or not token.startswith(_INCREMENTAL) or _generation(entry.token) != _generation(token):
        fresh = bundle_stats(partnership, window)
        stats, keys = {}, {}
    else:
        changed = {b for b, version in versions.items() if entry.versions.get(b) != version}
        kept = [b for b in entry.stats if b in versions and b not in changed]
        stats = {b: entry.stats[b] for b in kept}
        keys = {b: entry.keys[b] for b in kept}
        fresh = bundle_stats(partnership, window, only=changed) if changed else []
    for s in fresh:
        if s.new > 0:
            stats[s.bundle_id], keys[s.bundle_id] = s, rank_key(s)
    # The same order as rank(), from keys kept between refreshes: a refresh sorts nothing.
    best = (stats[k[-1]] for k in heapq.nsmallest(CACHED_TOP, keys.values()))
    ranking = Ranking(tuple(RankedBundle(position=i, stats=s, score=score(s)) for i, s in enumerate(best, start=1)),
                      sum(s.new for s in stats.values()))
    if pending:  # counted with this transaction's own uncommitted changes: never keep it
        return ranking
    with lock:
        cache[key] = _Entry(token, versions, stats, keys, ranking)
        cache.move_to_end(key)
        while len(cache) > CACHE_ENTRIES:
            cache.popitem(last=False)
    return ranking


# The token (32 characters) says how the state changed since a cached entry was counted:
# - "v" + generation (8) + random: renewed by the flush hook, which also raised the versions of the
#   bundles it touched, so a view may recount only those;
# - 32 hex digits: set by `invalidate` for a write outside the ORM; its first 8 are a new generation.
# The hook carries the generation over, so an entry counted before the last invalidate() is counted
# afresh even when ORM changes came after it.
_INCREMENTAL = "v"
# session.info key: partnerships whose ranking this transaction changed but has not committed yet.
# A ranking counted then may be shown, never cached (a rollback can hand the same versions out again).
_PENDING = "ranking_pending"


def _generation(token: str) -> str:
    return token[1:9] if token.startswith(_INCREMENTAL) else token[:8]


def invalidate(partnership: Partnership) -> None:
    """For writes the flush hook cannot see: the next view counts every bundle again."""
    partnership.ranking_token = uuid4().hex  # hex digits only: never starts with _INCREMENTAL
    db.session.info.setdefault(_PENDING, set()).add(partnership.id)


def _renew_token(partnership: Partnership) -> None:
    """Keeps the generation of the last invalidate(), so a later ORM change cannot hide it."""
    generation = _generation(partnership.ranking_token or "").ljust(8, "0")
    partnership.ranking_token = _INCREMENTAL + generation + uuid4().hex[:23]


def _signal_counts(state) -> bool:
    attrs = state.attrs
    if attrs.bundle_id.history.has_changes() or attrs.bundle.history.has_changes():
        return True
    was_bundled = state.obj().bundle_id is not None
    return was_bundled and any(attrs[name].history.has_changes() for name in _RANKED_SIGNAL_FIELDS[2:])


def _bundles_of(signal: Signal) -> set:
    """The bundles a change to this signal can alter: the one it is in and the one it left."""
    state = inspect(signal)
    found = {signal.bundle_id, *state.attrs.bundle_id.history.deleted}
    related = state.attrs.bundle.history  # loads nothing that is not loaded yet
    found.update(b.id for b in (*related.added, *related.unchanged, *related.deleted) if b is not None)
    return found - {None}


def _renew_tokens(session: Session, _flush_context, _instances) -> None:
    """Before each flush: renew the ranking token of every partnership whose ranking may change, and
    raise the version of every existing bundle whose signals changed (a bundle row that changes
    itself gets its new version from the ORM)."""
    changed: set[int] = set()
    bundles: set[int] = set()
    for obj in session.new:
        if isinstance(obj, Bundle):
            changed.add(obj.partnership_id)
        elif isinstance(obj, Signal) and (obj.bundle_id is not None or obj.bundle):
            changed.add(obj.partnership_id)
            bundles |= _bundles_of(obj)
    for obj in session.dirty:
        if isinstance(obj, Bundle) and session.is_modified(obj):
            changed.add(obj.partnership_id)
        elif isinstance(obj, Signal) and _signal_counts(inspect(obj)):
            changed.add(obj.partnership_id)
            changed.update(_old_values(obj, "partnership_id"))
            bundles |= _bundles_of(obj)
    for obj in session.deleted:
        if isinstance(obj, Bundle):
            changed.add(obj.partnership_id)
        elif isinstance(obj, Signal) and (obj.bundle_id is not None or _old_values(obj, "bundle_id")):
            changed.add(obj.partnership_id)
            bundles |= _bundles_of(obj)
    for bundle_id in bundles:
        bundle = session.get(Bundle, bundle_id)
        if bundle is not None and bundle not in session.deleted:
            bundle.updated_at = utcnow()  # an UPDATE of the row raises its version (version_id_col)
    for partnership_id in changed - {None}:
        partnership = session.get(Partnership, partnership_id)
        if partnership is not None:
            _renew_token(partnership)
            session.info.setdefault(_PENDING, set()).add(partnership_id)


def _transaction_ended(session: Session, transaction) -> None:
    if transaction.parent is None:  # the outermost transaction: committed or rolled back
        session.info.pop(_PENDING, None)


def _old_values(obj, name: str) -> list:
    return [v for v in inspect(obj).attrs[name].history.deleted if v is not None]


def init_app(app: Flask) -> None:
    app.extensions["ranking_cache"] = (OrderedDict(), threading.Lock())
    if not event.contains(Session, "before_flush", _renew_tokens):
        event.listen(Session, "before_flush", _renew_tokens)
        event.listen(Session, "after_transaction_end", _transaction_ended)


def top_bundles(partnership: Partnership, window: Window, limit: int = 5) -> list[RankedBundle]:
    if limit > CACHED_TOP:
        return rank(bundle_stats(partnership, window), limit=limit)
    return list(ranked(partnership, window).ranked[:limit])


@dataclass(frozen=True)
class TopPage:
    top: list[RankedBundle]
    signals: int      # all signals in the window
    unbundled: int    # of which not yet in a bundle


def top_page(partnership: Partnership, window: Window, limit: int) -> TopPage:
    """Everything the top-3 page shows about the ranking, in at most two queries whatever the size.

    The unbundled count is read every time (new signals arrive unbundled and do not renew the
    ranking token); the ranking comes from the cache when it is still valid."""
    if limit > CACHED_TOP:
        raise ValueError(f"top_page shows at most {CACHED_TOP} bundles")
    ranking = ranked(partnership, window)
    unbundled = unbundled_count(partnership, window)
    return TopPage(list(ranking.ranked[:limit]), unbundled + ranking.new, unbundled)
