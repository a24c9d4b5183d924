"""The ranking cache behind the top-3 page gives exactly the plain aggregate, whatever changed.

The cache recounts only bundles whose version moved (services.ranking). These tests came out of a
review of that change: every ORM path that can move a bundle's figures, writes outside the ORM
with invalidate(), a ranking looked at inside a transaction that is rolled back, and two people
bundling the same signal at once on PostgreSQL.
"""
from __future__ import annotations

import threading
import time
from datetime import date, datetime

import pytest

from wijkapp.extensions import db
from wijkapp.models import Bundle, Partnership, Round, Signal
from wijkapp.services import bundling, ranking
from wijkapp.services.ranking import Window, bundle_stats, rank

WINDOW = Window.for_dates(date(2026, 10, 1), date(2026, 10, 31))


def _setup(app, make, sizes=(3, 2)):
    partnership = make.partnership()
    with app.app_context():
        db.session.add(Round(partnership_id=partnership.id, number=1, starts_on=date(2026, 10, 1)))
        bundles = [Bundle(partnership_id=partnership.id, name=f"Bundel {i}") for i in range(len(sizes))]
        db.session.add_all(bundles)
        db.session.commit()
        ids = [b.id for b in bundles]
    for bundle_id, n in zip(ids, sizes):
        for k in range(n):
            make.signal(partnership, f"signaal {bundle_id}.{k}", created_at=datetime(2026, 10, 2 + k),
                        bundle_id=bundle_id)
    return partnership, ids


def _check(app, partnership_id):
    """The cached ranking must equal the plain aggregate."""
    with app.app_context():
        p = db.session.get(Partnership, partnership_id)
        cached = ranking.ranked(p, WINDOW)
        plain = bundle_stats(p, WINDOW)
        assert [(r.stats.name, r.stats.signals, r.stats.new) for r in cached.ranked] == \
               [(r.stats.name, r.stats.signals, r.stats.new) for r in rank(plain, limit=ranking.CACHED_TOP)]
        assert cached.new == sum(s.new for s in plain)


def test_invalidate_survives_a_later_orm_change(app, make):
    """`invalidate()` is the way out for writes outside the ORM: the next view counts everything. A
    later ORM change of another bundle renews the token again, and must not turn that full count
    back into a recount of the changed bundles only (the token keeps the invalidation's generation)."""
    partnership, (a, b) = _setup(app, make)
    _check(app, partnership.id)  # cache filled

    with app.app_context():  # a write outside the ORM, as the docstring asks: invalidate()
        db.session.execute(db.update(Signal).where(Signal.bundle_id == a).values(bundle_id=None))
        ranking.invalidate(db.session.get(Partnership, partnership.id))
        db.session.commit()

    with app.app_context():  # later, an ordinary rename of the other bundle, before anyone views
        p = db.session.get(Partnership, partnership.id)
        bundling.edit_bundle(p, None, db.session.get(Bundle, b), name="Andere naam", theme_id=None,
                             description="")
        db.session.commit()

    _check(app, partnership.id)  # bundle a is no longer ranked with its 3 signals


def test_a_ranking_seen_in_a_rolled_back_transaction_is_not_kept(app, make):
    """`ranked()` sees the transaction's own uncommitted changes. Such a ranking may be shown but not
    cached: after a rollback the same bundle version can be handed out again by a real change."""
    partnership, (a, b) = _setup(app, make)
    _check(app, partnership.id)

    with app.app_context():  # rename a (version 1 -> 2), look at the ranking, then roll back
        p = db.session.get(Partnership, partnership.id)
        bundling.edit_bundle(p, None, db.session.get(Bundle, a), name="Nooit bewaard", theme_id=None,
                             description="")
        ranking.ranked(p, WINDOW)
        db.session.rollback()

    with app.app_context():  # a committed rename of a: version 1 -> 2 again
        p = db.session.get(Partnership, partnership.id)
        bundling.edit_bundle(p, None, db.session.get(Bundle, a), name="Echte naam", theme_id=None,
                             description="")
        db.session.commit()

    _check(app, partnership.id)  # 'Echte naam', never the rolled-back 'Nooit bewaard'


def test_two_people_bundling_one_signal_at_once_on_postgresql(app, make, monkeypatch):
    """PostgreSQL READ COMMITTED, two requests in two threads: A adds unbundled signal s to bundle X,
    B adds s to bundle W while A is between reading s and writing. The signals are read FOR UPDATE,
    so B waits for A, then sees s bundled and is refused as a stale form; nothing is counted twice.
    (SQLite serialises writers with BEGIN IMMEDIATE, so this cannot happen there.)"""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("READ COMMITTED race: SQLite serialises writers (BEGIN IMMEDIATE / busy snapshot)")
    partnership, (w, x) = _setup(app, make)
    s_id = make.signal(partnership, "los signaal", created_at=datetime(2026, 10, 20)).id
    _check(app, partnership.id)

    real_signals = bundling._signals
    a_selected = threading.Event()
    outcome = {}

    def signals_a_slowly(p, ids):
        found = real_signals(p, ids)
        if threading.current_thread().name == "A":
            a_selected.set()
            time.sleep(1.0)  # A is still validating / writing the audit text
        return found

    monkeypatch.setattr(bundling, "_signals", signals_a_slowly)

    def request(name, bundle_id):
        with app.app_context():
            try:
                p = db.session.get(Partnership, partnership.id)
                bundling.add_signals(p, None, db.session.get(Bundle, bundle_id), [s_id])
                db.session.commit()
                outcome[name] = "committed"
            except Exception as error:  # noqa: BLE001 - the fixed code refuses B as stale
                db.session.rollback()
                outcome[name] = type(error).__name__
            if name == "B":  # someone opens the top-3 page right after B
                ranking.ranked(db.session.get(Partnership, partnership.id), WINDOW)

    a = threading.Thread(target=request, args=("A", x), name="A")
    b = threading.Thread(target=lambda: (a_selected.wait(5), request("B", w)), name="B")
    a.start(); b.start(); a.join(20); b.join(20)
    assert outcome == {"A": "committed", "B": "StaleFormError"}  # B waited for A's lock, then saw s bundled
    _check(app, partnership.id)

def _first(bundle_id):
    return db.session.scalars(db.select(Signal).where(Signal.bundle_id == bundle_id).order_by(Signal.id)).first()


_KEPT = []


def _keep(obj):
    _KEPT.append(obj)
    return obj


OPS = {
    "relationship set (unloaded)": lambda a, b, o: setattr(_first(a), "bundle", db.session.get(Bundle, b)),
    "relationship to None": lambda a, b, o: setattr(_first(a), "bundle", None),
    "collection append": lambda a, b, o: _keep(db.session.get(Bundle, b)).signals.append(_first(a)),
    "collection remove": lambda a, b, o: _keep(db.session.get(Bundle, a)).signals.remove(_first(a)),
    "fk set, relationship loaded": lambda a, b, o: (lambda s: (s.bundle, setattr(s, "bundle_id", b)))(_first(a)),
    "delete signal": lambda a, b, o: db.session.delete(_first(a)),
    "delete bundle": lambda a, b, o: db.session.delete(db.session.get(Bundle, a)),
    "move partnership": lambda a, b, o: setattr(_first(a), "partnership_id", o),
    "redate out of window": lambda a, b, o: setattr(_first(a), "created_at", datetime(2026, 9, 1)),
    "source": lambda a, b, o: setattr(_first(b), "source", "professional_micro"),
    "merge": lambda a, b, o: bundling.merge_bundles(db.session.get(Partnership, _first(a).partnership_id), None,
                                                    db.session.get(Bundle, a), db.session.get(Bundle, b)),
    "split": lambda a, b, o: bundling.split_bundle(db.session.get(Partnership, _first(a).partnership_id), None,
                                                   db.session.get(Bundle, a), [_first(a).id], name="Nieuw"),
}


@pytest.mark.parametrize("op", list(OPS))
def test_every_orm_path_that_moves_a_bundles_figures(app, make, op):
    partnership, (a, b) = _setup(app, make)
    other = make.partnership()
    _check(app, partnership.id)
    with app.app_context():
        OPS[op](a, b, other.id)
        db.session.commit()
    _check(app, partnership.id)
    _check(app, other.id)
