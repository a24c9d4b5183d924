"""Measure bundle suggestions: quality on the labelled set, speed and memory on synthetic load.

    python -m bench.suggestions            # quality + timings
    python -m bench.suggestions --quick    # quality only
    python -m bench.suggestions --tune     # weight grid on the tuning half, checked on the held-out half
    python -m bench.suggestions --no-concepts   # quality without the shipped concept list
"""
from __future__ import annotations

import argparse
import csv
import dataclasses
import itertools
import platform
import random
import statistics
import time
import tracemalloc
from collections import defaultdict
from pathlib import Path
from typing import Callable, Sequence

from sklearn.metrics import adjusted_rand_score

from wijkapp.services import suggestions as engine
from wijkapp.services.suggestions import DEFAULT_WEIGHTS, SignalText, Weights, propose_groups, suggest_bundles

EVAL_PATH = Path(__file__).parent / "data" / "eval_signals.csv"
# Written after the weights and the concept list were frozen; never used for tuning.
HOLDOUT_PATH = Path(__file__).parent / "data" / "holdout_signals.csv"
# Written before the second round of engine changes (kNN voting etc.) was measured; never used for tuning.
HOLDOUT2_PATH = Path(__file__).parent / "data" / "holdout2_signals.csv"
# Written in the third round, before the concept list was grown and before measuring it; never used for tuning.
HOLDOUT3_PATH = Path(__file__).parent / "data" / "holdout3_signals.csv"
# Written by a second author (a helper) who saw neither the engine's word lists nor any other set;
# never used for tuning.
HOLDOUT4_PATH = Path(__file__).parent / "data" / "holdout4_signals.csv"
HOLDOUT_PATHS = (HOLDOUT_PATH, HOLDOUT2_PATH, HOLDOUT3_PATH, HOLDOUT4_PATH)
SEEDS = (1, 2, 3, 4, 5)


@dataclasses.dataclass(frozen=True)
class Labelled:
    signal: SignalText
    bundle: str


_THEME_IDS: dict[str, int] = {}
_LOCATION_IDS: dict[str, int] = {}


def load_eval(path: Path = EVAL_PATH) -> list[Labelled]:
    """Rows of the CSV as signals; theme and location names become small ints, as ids would be
    (the same name gets the same id in every file)."""
    themes, locations = _THEME_IDS, _LOCATION_IDS
    rows = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            theme = themes.setdefault(row["theme"], len(themes) + 1) if row["theme"] else None
            location = locations.setdefault(row["location"], len(locations) + 1) if row["location"] else None
            rows.append(Labelled(SignalText(int(row["id"]), row["text"], theme, location), row["bundle"]))
    return rows


def half_split(rows: Sequence[Labelled], seed: int | None = None) -> tuple[dict[int, list[SignalText]], list[Labelled]]:
    """Half of each bundle already bundled, the rest to suggest. seed=None: alternate rows by id."""
    by_bundle: dict[str, list[Labelled]] = defaultdict(list)
    for r in sorted(rows, key=lambda r: r.signal.id):
        by_bundle[r.bundle].append(r)
    bundled: dict[int, list[SignalText]] = {}
    to_suggest: list[Labelled] = []
    for number, name in enumerate(sorted(by_bundle), start=1):
        members = list(by_bundle[name])
        if seed is None:
            known, rest = members[0::2], members[1::2]
        else:
            random.Random(f"{seed}-{name}").shuffle(members)
            half = (len(members) + 1) // 2
            known, rest = members[:half], members[half:]
        bundled[number] = [r.signal for r in known]
        to_suggest.extend(rest)
    return bundled, to_suggest


def bundle_number(rows: Sequence[Labelled]) -> dict[str, int]:
    return {name: number for number, name in enumerate(sorted({r.bundle for r in rows}), start=1)}


def accuracy(rows: Sequence[Labelled], seed: int | None = None, weights: Weights = DEFAULT_WEIGHTS) -> tuple[float, float]:
    """Top-1 and top-3 accuracy of suggest_bundles on one half split."""
    bundled, to_suggest = half_split(rows, seed)
    numbers = bundle_number(rows)
    got = suggest_bundles([r.signal for r in to_suggest], bundled, top_n=3, weights=weights)
    top1 = top3 = 0
    for r in to_suggest:
        ids = [s.bundle_id for s in got[r.signal.id]]
        top1 += bool(ids) and ids[0] == numbers[r.bundle]
        top3 += numbers[r.bundle] in ids
    return top1 / len(to_suggest), top3 / len(to_suggest)


def holdout_accuracy(known: Sequence[Labelled], new: Sequence[Labelled],
                     weights: Weights = DEFAULT_WEIGHTS) -> tuple[float, float]:
    """Top-1 and top-3 of the held-out signals against bundles made of all known signals."""
    numbers = bundle_number(known)
    bundled: dict[int, list[SignalText]] = defaultdict(list)
    for r in known:
        bundled[numbers[r.bundle]].append(r.signal)
    got = suggest_bundles([r.signal for r in new], bundled, top_n=3, weights=weights)
    top1 = sum(bool(got[r.signal.id]) and got[r.signal.id][0].bundle_id == numbers[r.bundle] for r in new)
    top3 = sum(numbers[r.bundle] in [s.bundle_id for s in got[r.signal.id]] for r in new)
    return top1 / len(new), top3 / len(new)


def mean_accuracy(rows: Sequence[Labelled], seeds: Sequence[int] = SEEDS, weights: Weights = DEFAULT_WEIGHTS) -> tuple[float, float]:
    pairs = [accuracy(rows, s, weights) for s in seeds]
    return statistics.fmean(p[0] for p in pairs), statistics.fmean(p[1] for p in pairs)


def group_ari(rows: Sequence[Labelled], weights: Weights = DEFAULT_WEIGHTS) -> tuple[float, int, int]:
    """ARI of propose_groups on all signals against the labels.

    A signal left out of every proposed group counts as a group of its own (that is what the
    coordinator sees: nothing to accept), so leaving signals out costs score, it is not ignored.
    Returns (ari, number of groups, number of signals left out).
    """
    groups = propose_groups([r.signal for r in rows], weights=weights)
    predicted = {}
    for number, g in enumerate(groups):
        for sid in g.signal_ids:
            predicted[sid] = number
    left_out = 0
    labels_true, labels_pred = [], []
    for r in rows:
        labels_true.append(r.bundle)
        if r.signal.id in predicted:
            labels_pred.append(predicted[r.signal.id])
        else:
            left_out += 1
            labels_pred.append(f"alone-{r.signal.id}")
    return adjusted_rand_score(labels_true, labels_pred), len(groups), left_out


# ---------------------------------------------------------------------------- synthetic load

_FILLERS = ("echt", "al weken", "graag", "heel erg", "bij ons", "in de straat", "sinds vorige maand", "!!", "aub")


def _perturb(text: str, rnd: random.Random) -> str:
    words = text.split()
    move = rnd.random()
    if move < 0.25 and len(words) > 3:
        del words[rnd.randrange(len(words))]
    elif move < 0.5:
        i = rnd.randrange(len(words))
        w = words[i]
        if len(w) > 4:
            j = rnd.randrange(1, len(w) - 2)
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2:]  # a typo: two letters swapped
    elif move < 0.75:
        words.insert(rnd.randrange(len(words) + 1), rnd.choice(_FILLERS))
    return " ".join(words) + f" {rnd.choice(['', 'nr ' + str(rnd.randrange(1, 200))])}".rstrip()


def synthetic(rows: Sequence[Labelled], n_unbundled: int, n_bundles: int = 50, per_bundle: int = 20,
              seed: int = 7) -> tuple[list[SignalText], dict[int, list[SignalText]]]:
    rnd = random.Random(seed)
    by_bundle: dict[str, list[Labelled]] = defaultdict(list)
    for r in rows:
        by_bundle[r.bundle].append(r)
    names = sorted(by_bundle)
    next_id = itertools.count(1)

    def fake(source: Labelled) -> SignalText:
        s = source.signal
        return SignalText(next(next_id), _perturb(s.text, rnd), s.theme_id, s.location_id)

    bundles = {b: [fake(rnd.choice(by_bundle[names[b % len(names)]])) for _ in range(per_bundle)]
               for b in range(1, n_bundles + 1)}
    unbundled = [fake(rnd.choice(rows)) for _ in range(n_unbundled)]
    return unbundled, bundles


def _clear_caches() -> None:
    engine._prepare.cache_clear()


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        _clear_caches()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times)


def peak_memory(fn: Callable[[], object]) -> float:
    _clear_caches()
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


# ---------------------------------------------------------------------------- tuning

def tune(rows: Sequence[Labelled]) -> None:
    """Grid over the weights on signals with odd ids; the chosen weights are checked on even ids."""
    tuning = [r for r in rows if r.signal.id % 2]
    held_out = [r for r in rows if not r.signal.id % 2]
    grid = [g for g in itertools.product((0.2, 0.3, 0.4, 0.5), (0.2, 0.3, 0.4, 0.5), (0.3, 0.5, 0.7),
                                       (0.0, 0.05, 0.1), (0.0, 0.05)) if g[0] + g[1] <= 0.9]
    scored = []
    for char, concept, centroid, theme, location in grid:
        w = dataclasses.replace(DEFAULT_WEIGHTS, char=char, concept=concept, centroid=centroid,
                                theme=theme, location=location)
        t1, t3 = mean_accuracy(tuning, weights=w)
        scored.append((t1 + t3, t1, t3, w))
    scored.sort(key=lambda s: -s[0])
    print("best on the tuning half (odd ids), mean of 5 seeded splits:")
    for _, t1, t3, w in scored[:8]:
        h1, h3 = mean_accuracy(held_out, weights=w)
        print(f"  char={w.char} concept={w.concept} centroid={w.centroid} theme={w.theme} location={w.location}: "
              f"tuning top1 {t1:.3f} top3 {t3:.3f} | held-out top1 {h1:.3f} top3 {h3:.3f}")
    d1, d3 = mean_accuracy(held_out)
    print(f"  current defaults on held-out: top1 {d1:.3f} top3 {d3:.3f}")
    print("group threshold (ARI tuning half / held-out half):")
    for threshold in (0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9):
        w = dataclasses.replace(DEFAULT_WEIGHTS, group_threshold=threshold)
        a, n, left = group_ari(tuning, w)
        b, m, left_b = group_ari(held_out, w)
        print(f"  {threshold}: {a:.3f} ({n} groups, {left} alone) / {b:.3f} ({m} groups, {left_b} alone)")


# ---------------------------------------------------------------------------- report

def quality(rows: Sequence[Labelled], source: Path = EVAL_PATH) -> None:
    t1, t3 = accuracy(rows)
    m1, m3 = mean_accuracy(rows)
    ari, n_groups, left_out = group_ari(rows)
    print(f"evaluation set: {len(rows)} signals in {len(bundle_number(rows))} bundles ({source.name})")
    print(f"suggest_bundles, half of each bundle known, deterministic split: top-1 {t1:.3f}  top-3 {t3:.3f}")
    print(f"suggest_bundles, mean of {len(SEEDS)} seeded random splits:       top-1 {m1:.3f}  top-3 {m3:.3f}")
    print(f"propose_groups on all signals: ARI {ari:.3f} ({n_groups} groups, {left_out} signals left alone, "
          f"each counted as its own group)")
    for path in HOLDOUT_PATHS if source == EVAL_PATH else ():
        if path.exists():
            new = load_eval(path)
            h1, h3 = holdout_accuracy(rows, new)
            print(f"held-out set ({len(new)} signals, {path.name}) against all "
                  f"{len(rows)} bundled: top-1 {h1:.3f}  top-3 {h3:.3f}")


def speed(rows: Sequence[Labelled]) -> None:
    print(f"timings on {platform.machine()} ({platform.python_version()}), caches cleared before each run:")
    for n, runs in ((1000, 7), (10000, 3)):
        unbundled, bundles = synthetic(rows, n)
        median, worst = timed(lambda: suggest_bundles(unbundled, bundles), runs)
        peak = peak_memory(lambda: suggest_bundles(unbundled, bundles))
        print(f"  suggest_bundles {n:>6} unbundled x 50 bundles (1,000 bundled): median {median:.3f} s, "
              f"max {worst:.3f} s of {runs} runs; peak memory {peak:.1f} MiB")
    for n, runs in ((300, 5), (1000, 5), (2000, 3)):
        unbundled, _ = synthetic(rows, n)
        median, worst = timed(lambda: propose_groups(unbundled), runs)
        peak = peak_memory(lambda: propose_groups(unbundled))
        print(f"  propose_groups  {n:>6} unbundled: median {median:.3f} s, max {worst:.3f} s of {runs} runs; "
              f"peak memory {peak:.1f} MiB")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="quality only, no timings")
    parser.add_argument("--tune", action="store_true", help="weight grid with a held-out check")
    parser.add_argument("--no-concepts", action="store_true", help="measure without the concept list")
    parser.add_argument("--eval", type=Path, default=EVAL_PATH, metavar="CSV",
                        help="labelled signals (id,bundle,text,theme,location), e.g. a real partnership's export")
    args = parser.parse_args(argv)
    rows = load_eval(args.eval)
    if args.no_concepts:
        engine.concepts.cache_clear()
        empty = engine._Concepts({}, {}, {}, {}, 1)
        engine.concepts = lambda: empty  # type: ignore[assignment]
        engine._prepare.cache_clear()
    if args.tune:
        tune(rows)
        return
    quality(rows, args.eval)
    if not args.quick:
        speed(rows)


if __name__ == "__main__":
    main()
