"""Suggest bundles for signals, and new groups of similar signals, with the reason shown.

Pure functions on plain data: no request, no database. A coordinator decides; this only proposes.

How a match is scored (see docs/bundling.md for the plain-words version):
- Text is lower-cased, accents folded, stop words dropped, words stemmed (snowball Dutch).
- Words from the shipped concept list add a concept ("scheuren", "te hard" -> snelheid).
- Two TF-IDF views: stems + concepts, and character 3-5-grams (catch misspellings and compounds:
  "hondepoep"/"hondenpoep", "straatverlichting"/"verlichting").
- A signal is compared with each bundle's centre and with its closest member; theme and location
  shared with the bundle add a small bonus. Weights were tuned on bench/data/eval_signals.csv.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np
import snowballstemmer
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

DATA_DIR = Path(__file__).parent / "data"


@dataclass(frozen=True)
class SignalText:
    """What the engine needs to know of one signal."""

    id: int
    text: str
    theme_id: int | None = None
    location_id: int | None = None


@dataclass(frozen=True)
class BundleSuggestion:
    bundle_id: int
    score: float
    shared_terms: tuple[str, ...]
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class ProposedGroup:
    signal_ids: tuple[int, ...]
    name: str
    shared_terms: tuple[str, ...]
    score: float


@dataclass(frozen=True)
class Weights:
    """Tuned with `python -m bench.suggestions --tune` (tuning half, checked on the held-out half)."""

    char: float = 0.5  # share of the character view in text similarity
    concept: float = 0.3  # share of the concept view; the rest (1 - char - concept) is the word view
    centroid: float = 0.7  # bundle centre vs closest member
    theme: float = 0.05  # bonus at full theme agreement with the bundle
    location: float = 0.05  # bonus at full location agreement with the bundle
    group_threshold: float = 0.80  # propose_groups: average-linkage distance at which groups stop merging
    min_score: float = 0.05  # below this text similarity only a shared theme or location lets a bundle through


DEFAULT_WEIGHTS = Weights()
MAX_SHARED_TERMS = 5
THEME_REASON = "zelfde thema"
# A concept word matches the end of a longer word only from this many letters (of its stem) on:
# 4-letter ends turn up inside unrelated words ("langslopen" ends in "sloop"). Measured in
# docs/bundling.md (fourth round): the same on the evaluation set, better on two held-out sets.
MIN_HEAD = 5
_ROW_CHUNK = 2000  # bounds memory of the dense signal x member similarity block


# ---------------------------------------------------------------------------- text preparation

_WORD = re.compile(r"[a-z0-9]+")
_STEMMER = snowballstemmer.stemmer("dutch")


def fold(text: str) -> str:
    """Lower-case and strip accents: "één" and "een", "geïsoleerd" and "geisoleerd" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_DOUBLE_VOWEL = re.compile(r"([aeou])\1")


@lru_cache(maxsize=None)
def _stem(word: str) -> str:
    # Snowball keeps "parkeer" (geparkeerd) apart from "parker" (parkeren); single vowels join them.
    return _DOUBLE_VOWEL.sub(r"\1", _STEMMER.stemWord(word))


def _data_lines(name: str) -> list[str]:
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    words: set[str] = set()
    for line in _data_lines("dutch_stopwords.txt"):
        words.update(_WORD.findall(fold(line)))
        words.add(fold(line))
    return frozenset(words)


@dataclass(frozen=True)
class _Concepts:
    phrases: dict[tuple[str, ...], str]  # multi-word stem tuple -> label
    words: dict[str, str]  # single stem -> label
    heads: dict[str, list[tuple[str, str]]]  # last 4 letters -> [(stem, label)] for compound heads
    modifiers: dict[str, list[tuple[str, str]]]  # first 4 letters -> [(word, label)] for compound starts
    max_len: int


@lru_cache(maxsize=1)
def concepts() -> _Concepts:
    phrases: dict[tuple[str, ...], str] = {}
    words: dict[str, str] = {}
    heads: dict[str, list[tuple[str, str]]] = defaultdict(list)
    modifiers: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for line in _data_lines("concepts.txt"):
        label, _, rest = line.partition(":")
        label = label.strip()
        for phrase in [label, *rest.split(",")]:  # the label is a word of its own concept too
            folded = _WORD.findall(fold(phrase))
            stems = tuple(_stem(w) for w in folded)
            if not stems:
                continue
            if len(stems) == 1:
                words[stems[0]] = label
                if len(stems[0]) >= MIN_HEAD:
                    heads[stems[0][-4:]].append((stems[0], label))
                if len(folded[0]) >= 4:
                    modifiers[folded[0][:4]].append((folded[0], label))
            else:
                phrases[stems] = label
    max_len = max((len(p) for p in phrases), default=1)
    return _Concepts(phrases, words, dict(heads), dict(modifiers), max_len)


@dataclass(frozen=True)
class _Prepared:
    surfaces: tuple[str, ...]  # folded words without stop words, in order
    stems: tuple[str, ...]
    concepts: dict[str, str]  # label -> the signal's own words that triggered it

    @property
    def is_empty(self) -> bool:
        return not self.stems


def _concept_of_word(word: str, stem: str, table: _Concepts) -> str | None:
    """A concept word itself, or a Dutch compound that ends or starts with one
    ("fietslantaarn" ends with "lantaarn", "drugsgebruik" starts with "drugs")."""
    label = table.words.get(stem)
    if label is not None:
        return label
    for head, head_label in table.heads.get(stem[-4:], ()):
        if len(stem) > len(head) and stem.endswith(head):
            return head_label
    for modifier, modifier_label in table.modifiers.get(word[:4], ()):
        if len(word) >= len(modifier) + 3 and word.startswith(modifier):
            return modifier_label
    return None


@lru_cache(maxsize=65536)
def _prepare(text: str) -> _Prepared:
    stops = stop_words()
    words = _WORD.findall(fold(text))
    all_stems = [_stem(w) for w in words]
    table = concepts()
    # Concepts first, on all words: "te hard" is a phrase although "te" alone is a stop word.
    found: dict[str, str] = {}
    i = 0
    while i < len(words):
        for n in range(min(table.max_len, len(words) - i), 1, -1):
            label = table.phrases.get(tuple(all_stems[i:i + n]))
            if label is not None:
                found.setdefault(label, " ".join(words[i:i + n]))
                i += n
                break
        else:
            if words[i] not in stops:
                label = _concept_of_word(words[i], all_stems[i], table)
                if label is not None:
                    found.setdefault(label, words[i])
            i += 1
    # Bare numbers are house numbers and times; they only count inside a phrase such as "30 km".
    kept = [k for k, w in enumerate(words) if w not in stops and len(w) > 1 and not w.isdigit()]
    return _Prepared(tuple(words[k] for k in kept), tuple(all_stems[k] for k in kept), found)


def _identity(tokens):
    return tokens


class _Space:
    """Three views of a set of signals, fitted on those signals only: word stems (TF-IDF),
    character 3-5-grams (TF-IDF) and concepts (present or not; every concept counts the same)."""

    def __init__(self, preps: Sequence[_Prepared], weights: Weights):
        word = _fit(TfidfVectorizer(analyzer=_identity, sublinear_tf=True), [list(p.stems) for p in preps])
        char = _fit(TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True),
                    [" ".join(p.surfaces) for p in preps])
        concept = _fit(TfidfVectorizer(analyzer=_identity, use_idf=False, binary=True),
                       [list(p.concepts) for p in preps])
        shares = (max(0.0, 1.0 - weights.char - weights.concept), weights.char, weights.concept)
        # One stacked matrix whose dot product is the weighted mean of the three cosines.
        self.matrix = sparse.hstack([np.sqrt(w) * m for w, m in zip(shares, (word, char, concept))]).tocsr()


def _fit(vectorizer: TfidfVectorizer, docs: list) -> sparse.csr_matrix:
    if not any(docs):
        return sparse.csr_matrix((len(docs), 1), dtype=np.float32)
    try:
        return vectorizer.fit_transform(docs).astype(np.float32).tocsr()
    except ValueError:  # empty vocabulary: every document was stop words only
        return sparse.csr_matrix((len(docs), 1), dtype=np.float32)


# ---------------------------------------------------------------------------- suggest_bundles

def suggest_bundles(unbundled: Sequence[SignalText], bundles: Mapping[int, Sequence[SignalText]],
                    top_n: int = 3, weights: Weights = DEFAULT_WEIGHTS) -> dict[int, list[BundleSuggestion]]:
    """For each unbundled signal id: the best `top_n` existing bundles, best first.

    Every suggestion can be checked by the coordinator: it shares words or concepts with the bundle,
    or the theme the person picked (the reasons then say so). A shared location adds to the score
    and lets a weak word match through, but never suggests a bundle on its own. Ties go to the
    lower bundle id, so output is stable.
    """
    result: dict[int, list[BundleSuggestion]] = {s.id: [] for s in unbundled}
    bundle_ids = sorted(b for b, members in bundles.items() if members)
    if not unbundled or not bundle_ids or top_n <= 0:
        return result

    members = [m for b in bundle_ids for m in bundles[b]]
    sizes = np.array([len(bundles[b]) for b in bundle_ids])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    member_bundle = np.repeat(np.arange(len(bundle_ids)), sizes)

    preps = [_prepare(s.text) for s in (*unbundled, *members)]
    space = _Space(preps, weights)
    signal_vecs = space.matrix[: len(unbundled)]
    member_vecs = space.matrix[len(unbundled):]

    # Bundle centre: mean of its member vectors, re-normalised; a sparse averaging matrix keeps it vectorised.
    averaging = sparse.csr_matrix((1.0 / sizes[member_bundle], (member_bundle, np.arange(len(members)))),
                                  shape=(len(bundle_ids), len(members)), dtype=np.float32)
    centres = normalize(averaging @ member_vecs)
    centres_t = centres.T.tocsc()
    members_t = member_vecs.T.tocsc()

    theme_frac = _agreement(unbundled, members, member_bundle, len(bundle_ids), "theme_id")
    location_frac = _agreement(unbundled, members, member_bundle, len(bundle_ids), "location_id")

    bundle_terms = [_BundleTerms([preps[len(unbundled) + j] for j in range(starts[k], starts[k] + sizes[k])])
                    for k in range(len(bundle_ids))]
    take = min(top_n, len(bundle_ids))
    for lo in range(0, len(unbundled), _ROW_CHUNK):
        hi = min(lo + _ROW_CHUNK, len(unbundled))
        block = signal_vecs[lo:hi]
        centre_sim = (block @ centres_t).toarray()
        closest = np.maximum.reduceat((block @ members_t).toarray(), starts, axis=1)
        text = weights.centroid * centre_sim + (1 - weights.centroid) * closest
        score = text + weights.theme * theme_frac[lo:hi] + weights.location * location_frac[lo:hi]
        evidence = (text >= weights.min_score) | (theme_frac[lo:hi] > 0) | (location_frac[lo:hi] > 0)
        score = np.where(evidence & (score > 0), score, -np.inf)
        # Stable sort on -score over bundles in id order: equal scores keep the lower id first.
        order = np.argsort(-score, axis=1, kind="stable")
        for row in range(hi - lo):
            i = lo + row
            signal = unbundled[i]
            picks = []
            for k in order[row]:
                if len(picks) == take or not np.isfinite(score[row, k]):
                    break
                shared = bundle_terms[k].shared_with(preps[i])
                reasons = _reasons(theme_frac[i, k], location_frac[i, k], signal)
                # Only what a coordinator can check: shared words, or the theme the person picked.
                # A shared location alone still adds to the score, but is too thin to suggest.
                if shared or THEME_REASON in reasons:
                    picks.append(BundleSuggestion(bundle_ids[k], round(float(score[row, k]), 3), shared, reasons))
            result[signal.id] = picks
    return result


def _agreement(unbundled: Sequence[SignalText], members: Sequence[SignalText], member_bundle: np.ndarray,
               n_bundles: int, attribute: str) -> np.ndarray:
    """Share of each bundle's members with the same theme (or location) as each signal; 0 when unset."""
    values = sorted({getattr(s, attribute) for s in (*unbundled, *members)} - {None})
    out = np.zeros((len(unbundled), n_bundles), dtype=np.float32)
    if not values:
        return out
    column = {v: c for c, v in enumerate(values)}
    counts = np.zeros((n_bundles, len(values)), dtype=np.float32)
    for j, m in enumerate(members):
        value = getattr(m, attribute)
        if value is not None:
            counts[member_bundle[j], column[value]] += 1
    fracs = counts / np.bincount(member_bundle, minlength=n_bundles)[:, None]
    rows = [i for i, s in enumerate(unbundled) if getattr(s, attribute) is not None]
    if rows:
        out[rows] = fracs[:, [column[getattr(unbundled[i], attribute)] for i in rows]].T
    return out


def _reasons(theme_frac: float, location_frac: float, signal: SignalText) -> tuple[str, ...]:
    reasons = []
    if signal.theme_id is not None and theme_frac > 0:
        reasons.append(THEME_REASON)
    if signal.location_id is not None and location_frac > 0:
        reasons.append("zelfde locatie")
    return tuple(reasons)


class _BundleTerms:
    """The words and concepts of a bundle, to explain a match in the signal's own words."""

    def __init__(self, preps: Sequence[_Prepared]):
        self.surface_of: dict[str, Counter] = defaultdict(Counter)
        self.doc_freq: Counter = Counter()
        for p in preps:
            for stem, surface in zip(p.stems, p.surfaces):
                self.surface_of[stem][surface] += 1
            self.doc_freq.update(set(p.stems))
        self.concept_words: dict[str, Counter] = defaultdict(Counter)
        for p in preps:
            for label, words in p.concepts.items():
                self.concept_words[label][words] += 1
        self.by_ending: dict[str, list[str]] = defaultdict(list)
        for stem in self.surface_of:
            if len(stem) >= 4:
                self.by_ending[stem[-4:]].append(stem)

    def _surface(self, stem: str) -> str:
        return self.surface_of[stem].most_common(1)[0][0]

    def shared_with(self, prep: _Prepared) -> tuple[str, ...]:
        """Signal words that also occur in the bundle (same stem), then near-spellings and compounds
        ("hondepoep ≈ hondenpoep"), then concepts ("scheuren ≈ te hard (snelheid)"). Most telling first."""
        exact: list[tuple[int, str]] = []
        near: list[str] = []
        used: set[str] = set()
        for stem, surface in dict(zip(prep.stems, prep.surfaces)).items():
            if stem in self.surface_of:
                exact.append((-self.doc_freq[stem], surface))
                used.add(surface)
                continue
            other = self._near(stem)
            if other is not None:
                near.append(f"{surface} ≈ {self._surface(other)}")
                used.add(surface)
        terms = [surface for _, surface in sorted(exact, key=lambda t: t[0])] + near
        for label, words in prep.concepts.items():
            theirs = self.concept_words.get(label)
            if not theirs or words in used:
                continue
            other = theirs.most_common(1)[0][0]
            terms.append(f"{words} ({label})" if other == words else f"{words} ≈ {other} ({label})")
        return tuple(terms[:MAX_SHARED_TERMS])

    def _near(self, stem: str) -> str | None:
        if len(stem) < 4:
            return None
        for other in self.by_ending.get(stem[-4:], ()):
            if other.endswith(stem) or stem.endswith(other):
                return other
            if abs(len(other) - len(stem)) <= 2 and SequenceMatcher(None, stem, other).ratio() >= 0.85:
                return other
        return None


# ---------------------------------------------------------------------------- propose_groups

def propose_groups(unbundled: Sequence[SignalText], min_size: int = 2,
                   weights: Weights = DEFAULT_WEIGHTS) -> list[ProposedGroup]:
    """Groups of similar unbundled signals, biggest and most coherent first; singletons left out.

    Average-linkage clustering on the same similarity as suggest_bundles (theme and location add
    their bonus when both signals have the same one). Quadratic in the number of signals: meant for
    one round's unbundled signals (hundreds, up to a few thousand).
    """
    from sklearn.cluster import AgglomerativeClustering

    preps = [_prepare(s.text) for s in unbundled]
    usable = [i for i, p in enumerate(preps) if not p.is_empty or p.concepts]
    if len(usable) < max(2, min_size):
        return []
    signals = [unbundled[i] for i in usable]
    preps = [preps[i] for i in usable]
    space = _Space(preps, weights)
    sim = (space.matrix @ space.matrix.T).toarray()
    sim += weights.theme * _same(signals, "theme_id") + weights.location * _same(signals, "location_id")
    distance = np.clip(1.0 - sim, 0.0, None)
    np.fill_diagonal(distance, 0.0)
    labels = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                     distance_threshold=weights.group_threshold).fit_predict(distance)

    groups: list[ProposedGroup] = []
    for label in np.unique(labels):
        idx = np.flatnonzero(labels == label)
        if len(idx) < min_size:
            continue
        inner = sim[np.ix_(idx, idx)]
        score = float((inner.sum() - np.trace(inner)) / (len(idx) * (len(idx) - 1)))
        counted = _group_terms([preps[i] for i in idx])
        ids = tuple(sorted(signals[i].id for i in idx))
        terms = tuple(term for term, _ in counted)
        groups.append(ProposedGroup(ids, _group_name(counted, len(idx)), terms, round(score, 3)))
    groups.sort(key=lambda g: (-len(g.signal_ids), -g.score, g.signal_ids[0]))
    return groups


def _same(signals: Sequence[SignalText], attribute: str) -> np.ndarray:
    values = np.array([getattr(s, attribute) if getattr(s, attribute) is not None else -1 for s in signals])
    return ((values[:, None] == values[None, :]) & (values[:, None] != -1)).astype(np.float32)


def _group_terms(preps: Sequence[_Prepared]) -> list[tuple[str, int]]:
    """Concepts and words that at least two signals of the group share, with how many share
    them, most shared first."""
    concept_count: Counter = Counter()
    stem_count: Counter = Counter()
    surface_of: dict[str, Counter] = defaultdict(Counter)
    for p in preps:
        concept_count.update(p.concepts.keys())
        stem_count.update(set(p.stems))
        for stem, surface in zip(p.stems, p.surfaces):
            surface_of[stem][surface] += 1
    ranked = [(-n, 0, label) for label, n in concept_count.items() if n >= 2]
    ranked += [(-n, 1, surface_of[stem].most_common(1)[0][0]) for stem, n in stem_count.items() if n >= 2]
    terms: list[tuple[str, int]] = []
    for minus_n, _, term in sorted(ranked):
        if term not in (t for t, _ in terms):
            terms.append((term, -minus_n))
    return terms[:MAX_SHARED_TERMS]


def _group_name(counted: Sequence[tuple[str, int]], size: int) -> str:
    """The most shared concept or word, plus a second term when half the group shares it and it
    adds something ("Snelheid, kerkstraat", not "Spelen, speeltuin")."""
    if not counted:
        return "Nieuwe groep"
    table = concepts()
    words = [counted[0][0]]
    for term, n in counted[1:]:
        if 2 * n >= size and _concept_of_word(term, _stem(term), table) not in words:
            words.append(term)
            break
    name = ", ".join(words)
    return name[0].upper() + name[1:]
