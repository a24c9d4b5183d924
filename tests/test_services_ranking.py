"""Ranking is a pure function; bundle_stats gathers its input in one query."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from wijkapp.extensions import db
from wijkapp.models import Bundle, Partnership, Round, Signal, Source
from wijkapp.services.ranking import BundleStats, Window, bundle_stats, rank, score, top_bundles


def stats(bundle_id, signals=1, new=None, sources=1, forms=1, locations=1, last=None, name=None):
    return BundleStats(bundle_id=bundle_id, name=name or f"Bundel {bundle_id}", signals=signals,
                       new=signals if new is None else new, sources=sources, forms=forms,
                       locations=locations, last_signal_at=last)


def test_score_follows_the_sentence_shown_to_coordinators():
    # 5 new (10) + 7 earlier (7) + 2 extra forms (6) + 2 extra sources (2) + 3 extra locations (3)
    assert score(stats(1, signals=12, new=5, sources=3, forms=3, locations=4)) == 28


def test_empty_round_gives_an_empty_ranking():
    assert rank([]) == []


def test_bundles_without_new_signals_are_left_out():
    assert rank([stats(1, signals=9, new=0)]) == []


def test_many_channels_beat_one_loud_channel():
    loud = stats(1, signals=6, sources=1, forms=1, locations=1)
    broad = stats(2, signals=4, sources=3, forms=3, locations=3)
    assert [r.bundle_id for r in rank([loud, broad])] == [2, 1]


def test_one_huge_bundle_comes_first_and_the_rest_keep_their_order():
    huge = stats(9, signals=500)
    others = [stats(i, signals=3) for i in range(1, 5)]
    ranked = rank(others + [huge], limit=3)
    assert [r.bundle_id for r in ranked] == [9, 1, 2]
    assert [r.position for r in ranked] == [1, 2, 3]


def test_ties_are_broken_deterministically():
    now = datetime(2026, 11, 1, 12)
    a = stats(1, signals=4, new=4)
    b = stats(2, signals=4, new=4, last=now)
    c = stats(3, signals=4, new=4, last=now)
    assert [r.bundle_id for r in rank([c, a, b])] == [2, 3, 1]
    assert [r.bundle_id for r in rank([b, c, a])] == [2, 3, 1]


def test_new_signals_weigh_more_than_old_ones():
    returning = stats(1, signals=4, new=1)   # 2 + 3 = 5
    fresh = stats(2, signals=3, new=3)       # 6
    assert [r.bundle_id for r in rank([returning, fresh])] == [2, 1]


def test_summary_reads_as_in_the_meeting():
    ranked = rank([stats(1, signals=12, new=5, sources=3, forms=2, locations=4)])[0]
    assert ranked.summary == "12 signalen · 3 bronnen · 2 vormen · 4 locaties · 5 nieuw"


def test_bundle_stats_aggregates_over_rounds(app, make):
    partnership = make.partnership()
    loc_a = make.location(partnership, "Bieb")
    loc_b = make.location(partnership, "Buurthuis")
    with app.app_context():
        first = Round(partnership_id=partnership.id, number=1, starts_on=date(2026, 9, 1))
        second = Round(partnership_id=partnership.id, number=2, starts_on=date(2026, 10, 6))
        speed = Bundle(partnership_id=partnership.id, name="Te hard rijden Kerkstraat")
        trash = Bundle(partnership_id=partnership.id, name="Afval bij de flat")
        old_only = Bundle(partnership_id=partnership.id, name="Alleen vorige ronde")
        db.session.add_all([first, second, speed, trash, old_only])
        db.session.commit()
        ids = {b.name: b.id for b in (speed, trash, old_only)}
        first_id, second_id = first.id, second.id
    in_first = datetime(2026, 9, 10, 10)
    in_second = datetime(2026, 10, 10, 10)
    make.signal(partnership, "scheuren", Source.RESIDENT_QR, in_first, bundle_id=ids["Te hard rijden Kerkstraat"],
                location_id=loc_a.id)
    make.signal(partnership, "te snel", Source.HOST_CONVERSATION, in_second,
                bundle_id=ids["Te hard rijden Kerkstraat"], location_id=loc_b.id)
    make.signal(partnership, "drempel", Source.PROFESSIONAL_MICRO, in_second + timedelta(days=1),
                bundle_id=ids["Te hard rijden Kerkstraat"])
    make.signal(partnership, "vuilnis", Source.RESIDENT_QR, in_second, bundle_id=ids["Afval bij de flat"],
                location_id=loc_a.id)
    make.signal(partnership, "oud", Source.RESIDENT_QR, in_first, bundle_id=ids["Alleen vorige ronde"])
    make.signal(partnership, "los", Source.RESIDENT_QR, in_second)  # unbundled: not ranked
    other = make.partnership()
    make.signal(other, "elders", Source.RESIDENT_QR, in_second)
    with app.app_context():
        second = db.session.get(Round, second_id)
        window = Window.for_round(second)
        by_name = {s.name: s for s in bundle_stats(db.session.merge(partnership), window)}
        assert set(by_name) == {"Te hard rijden Kerkstraat", "Afval bij de flat"}
        speed_stats = by_name["Te hard rijden Kerkstraat"]
        assert (speed_stats.signals, speed_stats.new, speed_stats.sources, speed_stats.forms,
                speed_stats.locations) == (3, 2, 3, 2, 2)
        top = top_bundles(db.session.merge(partnership), window, limit=3)
        assert [r.stats.name for r in top] == ["Te hard rijden Kerkstraat", "Afval bij de flat"]
        first_window = Window.for_round(db.session.get(Round, first_id))
        assert first_window.ends_at == datetime(2026, 10, 6)
        names_first = {s.name for s in bundle_stats(db.session.merge(partnership), first_window)}
        assert names_first == {"Te hard rijden Kerkstraat", "Alleen vorige ronde"}


def test_summary_names_the_period():
    ranked = rank([stats(1, signals=12, new=5, sources=3, forms=2, locations=4)])[0]
    assert ranked.summary_in("deze ronde") == "12 signalen · 3 bronnen · 2 vormen · 4 locaties · 5 nieuw deze ronde"
    single = rank([stats(2, signals=1, sources=1, forms=1, locations=1)])[0]
    assert single.summary_in("in deze periode") == "1 signaal · 1 bron · 1 vorm · 1 locatie · 1 nieuw in deze periode"


def test_rounds_per_bundle_and_top_page_counts(app, make):
    from wijkapp.services.ranking import rounds_per_bundle, top_page

    partnership = make.partnership()
    with app.app_context():
        db.session.add_all([Round(partnership_id=partnership.id, number=1, starts_on=date(2026, 9, 1)),
                            Round(partnership_id=partnership.id, number=2, starts_on=date(2026, 10, 6))])
        bundle = Bundle(partnership_id=partnership.id, name="Terug van weggeweest")
        db.session.add(bundle)
        db.session.commit()
        bundle_id = bundle.id
    for day in (datetime(2026, 9, 2), datetime(2026, 9, 3), datetime(2026, 10, 7)):
        make.signal(partnership, "weer", created_at=day, bundle_id=bundle_id)
    make.signal(partnership, "los", created_at=datetime(2026, 10, 8))
    with app.app_context():
        p = db.session.merge(partnership)
        assert rounds_per_bundle(p, [bundle_id]) == {bundle_id: [(1, 2), (2, 1)]}
        assert rounds_per_bundle(p, []) == {}
        october = top_page(p, Window.for_dates(date(2026, 10, 1), date(2026, 10, 31)), limit=3)
        assert (october.signals, october.unbundled, len(october.top)) == (2, 1, 1)
        assert october.top[0].stats.last_signal_at == datetime(2026, 10, 7)
        empty = top_page(p, Window.for_dates(date(2027, 1, 1), date(2027, 1, 31)), limit=3)
        assert (empty.signals, empty.unbundled, empty.top) == (0, 0, [])


def test_cached_ranking_equals_the_plain_aggregate_after_random_changes(app, make):
    """The cache behind the top-3 page (`ranked`) must give exactly `rank(bundle_stats(...))` after
    any change: bundling services, direct writes like the test factory's, rollbacks, renames, merges."""
    import random

    from wijkapp.services import bundling
    from wijkapp.services.intake import record_signal
    from wijkapp.services.ranking import CACHED_TOP, ranked

    rng = random.Random(20261128)
    partnership = make.partnership()
    other = make.partnership()
    locations = [make.location(partnership, f"Plek {i}").id for i in range(3)]
    starts = [date(2026, 8, 1), date(2026, 9, 12), date(2026, 10, 24)]
    with app.app_context():
        db.session.add_all([Round(partnership_id=partnership.id, number=i + 1, starts_on=d)
                            for i, d in enumerate(starts)])
        db.session.commit()
        p = db.session.merge(partnership)
        windows = [Window.for_round(r) for r in db.session.scalars(
            db.select(Round).where(Round.partnership_id == p.id))]
        windows.append(Window.for_dates(date(2026, 9, 1), date(2026, 10, 30)))

        def moment():
            return datetime(2026, 8, 1, 9) + timedelta(days=rng.randrange(120), minutes=rng.randrange(600))

        def new_signal(bundle_id=None, owner=None):
            signal = record_signal(owner or p, f"signaal {rng.random()}", rng.choice(list(Source)),
                                   location_id=rng.choice(locations + [None]), created_at=moment())
            signal.bundle_id = bundle_id
            return signal

        def live():
            return db.session.scalars(db.select(Bundle).where(Bundle.partnership_id == p.id,
                                                              Bundle.merged_into_id.is_(None))).all()

        def signals(bundled):
            query = db.select(Signal).where(Signal.partnership_id == p.id)
            query = query.where(Signal.bundle_id.is_not(None) if bundled else Signal.bundle_id.is_(None))
            return db.session.scalars(query.order_by(Signal.id)).all()

        def pick(items, most=4):
            return rng.sample(items, min(len(items), rng.randint(1, most)))

        for _ in range(40):
            new_signal()
        db.session.commit()
        names = iter(f"Bundel {i}" for i in range(1000))
        operations = {
            "intake": lambda: new_signal(),
            "intake elsewhere": lambda: new_signal(owner=db.session.merge(other)),
            "factory into a bundle": lambda: live() and new_signal(rng.choice(live()).id),
            "create": lambda: signals(False) and bundling.create_bundle(
                p, None, next(names), signal_ids=[s.id for s in pick(signals(False))]),
            "add": lambda: live() and signals(False) and bundling.add_signals(
                p, None, rng.choice(live()), [s.id for s in pick(signals(False))]),
            "remove": lambda: signals(True) and _remove_one(bundling, p, rng.choice(signals(True))),
            "move": lambda: len(live()) > 1 and signals(True) and _move_one(bundling, p, rng, live()),
            "merge": lambda: len(live()) > 1 and bundling.merge_bundles(p, None, *rng.sample(live(), 2)),
            "rename": lambda: live() and bundling.edit_bundle(p, None, rng.choice(live()), name=next(names),
                                                              theme_id=None, description=""),
            "direct move": lambda: signals(True) and live() and setattr(
                rng.choice(signals(True)), "bundle_id", rng.choice(live()).id),
            "redate": lambda: signals(True) and setattr(rng.choice(signals(True)), "created_at", moment()),
            "relocate": lambda: signals(True) and setattr(rng.choice(signals(True)), "location_id",
                                                          rng.choice(locations + [None])),
        }
        hits = 0
        for step in range(120):
            for window in windows:
                ranked(p, window)  # fill the cache, so a stale entry would be found
            name = rng.choice(list(operations))
            operations[name]()
            if rng.random() < 0.2:
                db.session.rollback()
            else:
                db.session.commit()
            p = db.session.merge(p)
            for window in windows:
                cached = ranked(p, window)
                hits += ranked(p, window) is cached
                plain = bundle_stats(p, window)
                assert list(cached.ranked) == rank(plain, limit=CACHED_TOP), (step, name, window)
                assert cached.new == sum(s.new for s in plain), (step, name, window)
        assert hits == 120 * len(windows)  # unchanged state: served from the cache
        assert any(r.ranked for r in (ranked(p, w) for w in windows))


def _remove_one(bundling, partnership, signal):
    return bundling.remove_signals(partnership, None, db.session.get(Bundle, signal.bundle_id), [signal.id])


def _move_one(bundling, partnership, rng, live):
    source = rng.choice([b for b in live if b.signals] or live)
    target = rng.choice([b for b in live if b.id != source.id])
    if not source.signals:
        return None
    return bundling.move_signals(partnership, None, source, [rng.choice(source.signals).id], target)


def test_after_a_change_only_the_bundles_it_touches_are_counted_again(app, make, monkeypatch):
    """The cache recounts what a change can alter, and nothing else: a rename or a move recounts
    the bundles involved, a host's correction of a bundled signal recounts its bundle, new resident
    signals recount nothing, and `invalidate` (for writes outside the ORM) recounts everything."""
    from wijkapp.services import bundling, ranking

    partnership = make.partnership()
    place = make.location(partnership, "Bieb")

    def fresh():  # not merge(): that would copy the detached object's old ranking token back
        return db.session.get(Partnership, partnership.id)

    with app.app_context():
        db.session.add(Round(partnership_id=partnership.id, number=1, starts_on=date(2026, 10, 1)))
        bundles = [Bundle(partnership_id=partnership.id, name=f"Bundel {i}") for i in range(5)]
        db.session.add_all(bundles)
        db.session.commit()
        ids = [b.id for b in bundles]
    for i, bundle_id in enumerate(ids):
        for n in range(i + 1):
            make.signal(partnership, f"signaal {i}.{n}", created_at=datetime(2026, 10, 2 + n), bundle_id=bundle_id)

    counted: list[set[int] | None] = []
    real_bundle_stats = ranking.bundle_stats

    def spy(p, window, only=None):
        counted.append(None if only is None else set(only))
        return real_bundle_stats(p, window, only)

    monkeypatch.setattr(ranking, "bundle_stats", spy)
    window = Window.for_dates(date(2026, 10, 1), date(2026, 10, 31))

    def view():
        """What the top-3 page does; returns which bundles were counted (None: all)."""
        counted.clear()
        with app.app_context():
            p = fresh()
            cached = ranking.ranked(p, window)
            plain = real_bundle_stats(p, window)
            assert list(cached.ranked) == rank(plain, limit=ranking.CACHED_TOP)
            assert cached.new == sum(s.new for s in plain)
        return counted[:] if counted else []

    assert view() == [None]  # first view: everything
    assert view() == []      # unchanged: from the cache

    with app.app_context():
        p = fresh()
        bundling.edit_bundle(p, None, db.session.get(Bundle, ids[1]), name="Nieuwe naam", theme_id=None,
                             description="")
        db.session.commit()
    assert view() == [{ids[1]}]

    with app.app_context():
        p = fresh()
        moved = db.session.scalars(db.select(Signal).where(Signal.bundle_id == ids[4])).first()
        bundling.move_signals(p, None, db.session.get(Bundle, ids[4]), [moved.id], db.session.get(Bundle, ids[0]))
        db.session.commit()
    assert view() == [{ids[0], ids[4]}]

    with app.app_context():  # a same-day correction of a bundled signal's place, outside bundling
        signal = db.session.scalars(db.select(Signal).where(Signal.bundle_id == ids[2])).first()
        signal.location_id = place.id
        db.session.commit()
    assert view() == [{ids[2]}]

    make.signal(partnership, "nieuw van een bewoner", created_at=datetime(2026, 10, 20))  # unbundled
    assert view() == []

    with app.app_context():
        ranking.invalidate(fresh())
        db.session.commit()
    assert view() == [None]
