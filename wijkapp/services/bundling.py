"""Bundling: a coordinator groups signals into named bundles. Every change is checked first, then
applied and written to the audit log in words, so "how did we get this top 3?" has an answer.

Services validate everything before they change anything and only flush; the view commits once
per action, so an action happens whole or not at all. A `BundlingError` carries a Dutch message
for the coordinator; a `StaleFormError` (a subclass) means the form was built on an older state
(someone else merged, moved or changed the bundle meanwhile): the view shows the fresh state.
Moving signals raises the version of every bundle they leave or join without anything here: the
flush hook in services.ranking does it for every change to a bundled signal, from any service.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy.orm import joinedload

from wijkapp.extensions import db
from wijkapp.models import AuditEvent, Bundle, Partnership, Round, Signal, Theme, User
from wijkapp.services import audit, suggestions
from wijkapp.services.text import clean_text

NAME_MAX_LENGTH = 120
DESCRIPTION_MAX_LENGTH = 1000
QUOTE_PREVIEW = 60


class BundlingError(ValueError):
    """Bad input; `message` is what the coordinator reads, `field` which form field it is about."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class StaleFormError(Exception):
    """The form was built on a state that no longer holds; nothing was changed.

    Not a BundlingError: the answer is not a message next to a field but the fresh state (the
    coordinator blueprint's `stale_form` handler), so a view's `except BundlingError` lets it pass.
    """

    def __init__(self, message: str, fresh_bundle_id: int | None = None):
        super().__init__(message)
        self.message = message
        self.fresh_bundle_id = fresh_bundle_id


STALE_CHANGED = ("Iemand anders heeft deze bundel net veranderd. Er is niets opgeslagen. "
                 "Hieronder zie je de nieuwe stand: bekijk die en probeer het opnieuw.")
STALE_SIGNALS = ("Een of meer gekozen signalen zijn net door iemand anders gebundeld of verplaatst. "
                 "Er is niets opgeslagen. Hieronder zie je de nieuwe stand: kies opnieuw.")


# --- checks -------------------------------------------------------------------------------------

def clean_name(raw: str | None) -> str:
    name = clean_text(raw, single_line=True)
    if not name:
        raise BundlingError(f"Geef de bundel een naam (1 tot {NAME_MAX_LENGTH} tekens).", "name")
    if len(name) > NAME_MAX_LENGTH:
        raise BundlingError(
            f"Deze naam is te lang ({len(name)} tekens). Gebruik maximaal {NAME_MAX_LENGTH} tekens.", "name")
    return name


def _clean_description(raw: str | None) -> str:
    description = clean_text(raw)
    if len(description) > DESCRIPTION_MAX_LENGTH:
        raise BundlingError(f"De beschrijving is te lang. Gebruik maximaal {DESCRIPTION_MAX_LENGTH} tekens.",
                            "description")
    return description


def _check_unique_name(partnership: Partnership, name: str, except_id: int | None = None) -> None:
    query = db.select(Bundle.id).where(
        Bundle.partnership_id == partnership.id, Bundle.merged_into_id.is_(None),
        func.lower(Bundle.name) == name.lower())
    if except_id is not None:
        query = query.where(Bundle.id != except_id)
    if db.session.scalar(query.limit(1)) is not None:
        raise BundlingError("Er is al een bundel met deze naam. Kies een andere naam, of voeg de signalen "
                            "toe aan die bundel.", "name")


def _theme(partnership: Partnership, theme_id: int | None) -> Theme | None:
    if not theme_id:
        return None
    theme = db.session.get(Theme, theme_id)
    if theme is None or theme.partnership_id != partnership.id:
        raise BundlingError("Kies een thema uit de lijst.", "theme")
    return theme


def _check_own_bundle(partnership: Partnership, bundle: Bundle | None, field: str = "bundle") -> Bundle:
    if bundle is None or bundle.partnership_id != partnership.id:
        raise BundlingError("Deze bundel hoort niet bij dit wijkverband. Kies een bundel uit de lijst.", field)
    return bundle


def _check_live(bundle: Bundle, version: int | None) -> None:
    """A merged bundle, or one changed since the form was built, refuses the action."""
    if bundle.merged_into_id is not None:
        target = db.session.get(Bundle, bundle.merged_into_id)
        raise StaleFormError(
            f"Bundel ‘{bundle.name}’ is intussen samengevoegd met ‘{target.name}’. Er is niets opgeslagen. "
            "Hieronder zie je de nieuwe stand.", fresh_bundle_id=live_bundle(bundle).id)
    if version is not None and version != bundle.version:
        raise StaleFormError(STALE_CHANGED, fresh_bundle_id=bundle.id)


def _signals(partnership: Partnership, signal_ids: Iterable[int]) -> list[Signal]:
    ids = sorted({int(i) for i in signal_ids})
    if not ids:
        raise BundlingError("Kies minstens één signaal (vink het vakje ervoor aan).", "signal_ids")
    # FOR UPDATE (PostgreSQL): a concurrent bundling of the same signal waits, then sees it bundled.
    found = db.session.scalars(db.select(Signal).where(Signal.id.in_(ids)).order_by(Signal.id)
                               .with_for_update().execution_options(populate_existing=True)).all()
    if len(found) != len(ids) or any(s.partnership_id != partnership.id for s in found):
        raise BundlingError("Een of meer gekozen signalen horen niet bij dit wijkverband. Kies opnieuw.",
                            "signal_ids")
    return list(found)


def live_bundle(bundle: Bundle) -> Bundle:
    """Follow merges to the bundle that holds the signals now."""
    seen = {bundle.id}
    while bundle.merged_into_id is not None and bundle.merged_into_id not in seen:
        bundle = db.session.get(Bundle, bundle.merged_into_id)
        seen.add(bundle.id)
    return bundle


# --- words for the audit log ---------------------------------------------------------------------

def _quote(signal: Signal) -> str:
    text = " ".join(signal.text.split())
    return text if len(text) <= QUOTE_PREVIEW else text[:QUOTE_PREVIEW - 1].rstrip() + "…"


def _signal_words(signals: Sequence[Signal]) -> str:
    count = f"{len(signals)} {'signaal' if len(signals) == 1 else 'signalen'}"
    listed = "; ".join(f"#{s.id} ‘{_quote(s)}’" for s in signals[:10])
    more = f"; en nog {len(signals) - 10}" if len(signals) > 10 else ""
    return f"{count}: {listed}{more}"


def _count(bundle_id: int) -> int:
    return db.session.scalar(db.select(func.count(Signal.id)).where(Signal.bundle_id == bundle_id)) or 0


# --- actions ------------------------------------------------------------------------------------

def create_bundle(partnership: Partnership, user: User | None, name: str, *, theme_id: int | None = None,
                  description: str = "", signal_ids: Iterable[int] = ()) -> Bundle:
    """A new bundle, optionally with signals that must still be unbundled."""
    name = clean_name(name)
    description = _clean_description(description)
    theme = _theme(partnership, theme_id)
    signal_ids = list(signal_ids)
    signals = _signals(partnership, signal_ids) if signal_ids else []
    if any(s.bundle_id is not None for s in signals):
        raise StaleFormError(STALE_SIGNALS)
    _check_unique_name(partnership, name)
    bundle = Bundle(partnership_id=partnership.id, name=name, description=description,
                    theme_id=theme.id if theme else None, created_by_id=getattr(user, "id", None))
    db.session.add(bundle)
    for signal in signals:  # in the bundle's own INSERT flush, so a new bundle starts at version 1
        signal.bundle = bundle
    db.session.flush()
    theme_words = f", thema {theme.name}" if theme else ""
    detail = f"Bundel ‘{name}’ gemaakt{theme_words}"
    detail += f", met {_signal_words(signals)}." if signals else ", nog zonder signalen."
    audit.record(partnership, user, "bundle_created", bundle, detail)
    db.session.flush()
    return bundle


def edit_bundle(partnership: Partnership, user: User | None, bundle: Bundle, *, name: str,
                theme_id: int | None, description: str, version: int | None = None) -> Bundle:
    _check_own_bundle(partnership, bundle)
    _check_live(bundle, version)
    name = clean_name(name)
    description = _clean_description(description)
    theme = _theme(partnership, theme_id)
    _check_unique_name(partnership, name, except_id=bundle.id)
    changes = []
    if name != bundle.name:
        changes.append(f"naam ‘{bundle.name}’ → ‘{name}’")
    if (theme.id if theme else None) != bundle.theme_id:
        before = bundle.theme.name if bundle.theme else "geen"
        changes.append(f"thema {before} → {theme.name if theme else 'geen'}")
    if description != bundle.description:
        changes.append("beschrijving aangepast")
    if not changes:
        return bundle
    bundle.name, bundle.description, bundle.theme_id = name, description, theme.id if theme else None
    audit.record(partnership, user, "bundle_edited", bundle, f"Bundel ‘{name}’ gewijzigd: {'; '.join(changes)}.")
    db.session.flush()
    return bundle


def add_signals(partnership: Partnership, user: User | None, bundle: Bundle, signal_ids: Iterable[int],
                version: int | None = None) -> list[Signal]:
    """Add unbundled signals to a bundle. A signal that got a bundle meanwhile makes it stale:
    moving it is a separate, deliberate action on the bundle's page."""
    _check_own_bundle(partnership, bundle)
    _check_live(bundle, version)
    signals = _signals(partnership, signal_ids)
    if any(s.bundle_id is not None for s in signals):
        raise StaleFormError(STALE_SIGNALS, fresh_bundle_id=bundle.id)
    for signal in signals:
        signal.bundle_id = bundle.id
    audit.record(partnership, user, "signals_added", bundle,
                 f"Aan bundel ‘{bundle.name}’ toegevoegd: {_signal_words(signals)}.")
    db.session.flush()
    return signals


def _signals_in(partnership: Partnership, bundle: Bundle, signal_ids: Iterable[int]) -> list[Signal]:
    signals = _signals(partnership, signal_ids)
    if any(s.bundle_id != bundle.id for s in signals):
        raise StaleFormError(STALE_SIGNALS, fresh_bundle_id=bundle.id)
    return signals


def _check_source_and_target(partnership: Partnership, source: Bundle, target: Bundle | None,
                             version: int | None, *, missing: str, same: str) -> None:
    """Both bundles are this partnership's, the source is as the form saw it, the target is another
    live bundle. The order of the checks decides which message a person sees first."""
    _check_own_bundle(partnership, source)
    if target is None:
        raise BundlingError(missing, "target")
    _check_own_bundle(partnership, target, "target")
    _check_live(source, version)
    if target.id == source.id:
        raise BundlingError(same, "target")
    if target.merged_into_id is not None:
        raise BundlingError(f"Bundel ‘{target.name}’ is al samengevoegd met ‘{live_bundle(target).name}’. "
                            "Kies die bundel of een andere.", "target")


def move_signals(partnership: Partnership, user: User | None, bundle: Bundle, signal_ids: Iterable[int],
                 target: Bundle | None, version: int | None = None) -> list[Signal]:
    """Move signals of `bundle` to another bundle of the same partnership."""
    _check_source_and_target(partnership, bundle, target, version,
                             missing="Kies de bundel waar de signalen naartoe gaan.",
                             same="De signalen zitten al in deze bundel. Kies een andere bundel.")
    signals = _signals_in(partnership, bundle, signal_ids)
    for signal in signals:
        signal.bundle_id = target.id
    words = _signal_words(signals)
    audit.record(partnership, user, "signals_moved", bundle,
                 f"Van bundel ‘{bundle.name}’ naar ‘{target.name}’ verplaatst: {words}.")
    audit.record(partnership, user, "signals_moved", target,
                 f"Uit bundel ‘{bundle.name}’ naar ‘{target.name}’ gekomen: {words}.")
    db.session.flush()
    return signals


def remove_signals(partnership: Partnership, user: User | None, bundle: Bundle, signal_ids: Iterable[int],
                   version: int | None = None) -> list[Signal]:
    """Take signals out of a bundle: they are unbundled again, nothing is deleted."""
    _check_own_bundle(partnership, bundle)
    _check_live(bundle, version)
    signals = _signals_in(partnership, bundle, signal_ids)
    for signal in signals:
        signal.bundle_id = None
    audit.record(partnership, user, "signals_removed", bundle,
                 f"Uit bundel ‘{bundle.name}’ gehaald, weer ongebundeld: {_signal_words(signals)}.")
    db.session.flush()
    return signals


def split_bundle(partnership: Partnership, user: User | None, bundle: Bundle, signal_ids: Iterable[int], *,
                 name: str, theme_id: int | None = None, description: str = "",
                 version: int | None = None) -> Bundle:
    """Selected signals of `bundle` go to a new bundle; the rest stays."""
    _check_own_bundle(partnership, bundle)
    _check_live(bundle, version)
    name = clean_name(name)
    description = _clean_description(description)
    theme = _theme(partnership, theme_id)
    signals = _signals_in(partnership, bundle, signal_ids)
    if len(signals) == _count(bundle.id):
        raise BundlingError("Je hebt alle signalen gekozen. Laat er minstens één achter, of wijzig liever "
                            "de naam van deze bundel.", "signal_ids")
    _check_unique_name(partnership, name)
    new = Bundle(partnership_id=partnership.id, name=name, description=description,
                 theme_id=theme.id if theme else None, created_by_id=getattr(user, "id", None))
    db.session.add(new)
    for signal in signals:  # in the new bundle's own INSERT flush, so it starts at version 1
        signal.bundle = new
    db.session.flush()
    words = _signal_words(signals)
    audit.record(partnership, user, "bundle_split", bundle, f"Van bundel ‘{bundle.name}’ afgesplitst naar "
                 f"nieuwe bundel ‘{name}’: {words}.")
    audit.record(partnership, user, "bundle_created", new, f"Bundel ‘{name}’ gemaakt door afsplitsen van "
                 f"‘{bundle.name}’, met {words}.")
    db.session.flush()
    return new


def merge_bundles(partnership: Partnership, user: User | None, source: Bundle, target: Bundle | None,
                  version: int | None = None) -> Bundle:
    """All signals of `source` move to `target`; `source` keeps `merged_into_id` as the record."""
    _check_source_and_target(partnership, source, target, version,
                             missing="Kies de bundel waarmee je wilt samenvoegen.",
                             same="Je kunt een bundel niet met zichzelf samenvoegen. Kies een andere bundel.")
    moved = db.session.scalars(db.select(Signal).where(Signal.bundle_id == source.id).order_by(Signal.id)).all()
    for signal in moved:
        signal.bundle_id = target.id
    source.merged_into_id = target.id
    db.session.flush()
    total = _count(target.id)
    audit.record(partnership, user, "bundle_merged", source,
                 f"Bundel ‘{source.name}’ samengevoegd met ‘{target.name}’; {len(moved)} signalen verhuisd.")
    audit.record(partnership, user, "bundle_merged", target,
                 f"Bundel ‘{source.name}’ is hierin opgegaan ({len(moved)} signalen); "
                 f"‘{target.name}’ heeft nu {total} signalen.")
    db.session.flush()
    return target


# --- reading ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class BundleCount:
    bundle: Bundle
    total: int
    in_period: int


def active_bundles(partnership: Partnership) -> list[Bundle]:
    return list(db.session.scalars(
        db.select(Bundle).where(Bundle.partnership_id == partnership.id, Bundle.merged_into_id.is_(None))
        .options(joinedload(Bundle.theme)).order_by(func.lower(Bundle.name), Bundle.id)))


def bundle_counts(partnership: Partnership, window) -> list[BundleCount]:
    """Every live bundle with its total and its signals in the period, in two queries."""
    bundles = active_bundles(partnership)
    in_window = Signal.created_at >= window.starts_at
    if window.ends_at is not None:
        in_window = in_window & (Signal.created_at < window.ends_at)
    rows = db.session.execute(
        db.select(Signal.bundle_id, func.count(Signal.id),
                  func.sum(db.case((in_window, 1), else_=0)))
        .where(Signal.partnership_id == partnership.id, Signal.bundle_id.is_not(None))
        .group_by(Signal.bundle_id)
    ).all()
    counts = {r[0]: (r[1], int(r[2] or 0)) for r in rows}
    result = [BundleCount(b, *counts.get(b.id, (0, 0))) for b in bundles]
    return sorted(result, key=lambda c: (-c.in_period, -c.total, c.bundle.name.lower(), c.bundle.id))


def unbundled_signals(partnership: Partnership, window, limit: int | None = None) -> list[Signal]:
    query = (
        db.select(Signal)
        .where(Signal.partnership_id == partnership.id, Signal.bundle_id.is_(None),
               Signal.created_at >= window.starts_at)
        .options(joinedload(Signal.location), joinedload(Signal.theme))
        .order_by(Signal.created_at.desc(), Signal.id.desc())
    )
    if window.ends_at is not None:
        query = query.where(Signal.created_at < window.ends_at)
    if limit is not None:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def bundle_signals(bundle: Bundle) -> list[Signal]:
    return list(db.session.scalars(
        db.select(Signal).where(Signal.bundle_id == bundle.id)
        .options(joinedload(Signal.location), joinedload(Signal.theme), joinedload(Signal.round))
        .order_by(Signal.created_at.desc(), Signal.id.desc())))


def merged_ids(bundle: Bundle) -> list[int]:
    """This bundle and every bundle merged into it (directly or through another merge)."""
    ids, frontier = [bundle.id], [bundle.id]
    while frontier:
        frontier = list(db.session.scalars(db.select(Bundle.id).where(Bundle.merged_into_id.in_(frontier))))
        ids.extend(frontier)
    return ids


def history(bundle: Bundle) -> list[AuditEvent]:
    """What happened to this bundle and to the bundles merged into it, newest first."""
    return list(db.session.scalars(
        db.select(AuditEvent)
        .where(AuditEvent.partnership_id == bundle.partnership_id, AuditEvent.object_type == "Bundle",
               AuditEvent.object_id.in_(merged_ids(bundle)))
        .options(joinedload(AuditEvent.user))
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())))


@dataclass(frozen=True)
class RoundCount:
    round: Round
    signals: int


def rounds_of_bundle(bundle: Bundle) -> list[RoundCount]:
    """Per round, how many of the bundle's signals came in: a bundle that keeps coming back shows it."""
    rows = db.session.execute(
        db.select(Round, func.count(Signal.id)).join(Signal, Signal.round_id == Round.id)
        .where(Signal.bundle_id == bundle.id).group_by(Round.id).order_by(Round.number)
    ).all()
    return [RoundCount(r, n) for r, n in rows]


# --- representative quotes -----------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
# Words that carry no subject: without them the overlap measures what signals are about.
_STOP_WORDS = frozenset("""
aan alle als bij dan dat die dit door een elke er echt geen graag hebben heel het hier hij hun ik
in is je jij kan kun kunnen maar meer met mijn moet moeten naar niet niets nog nooit ook om onze ook op
over sinds staat steeds te tegen toch tot uit van veel voor waar wat we wel werd wij wil worden
wordt zal ze zich zijn zo zou
""".split())


def _terms(text: str) -> set[str]:
    return {w for w in (m.group(0).lower() for m in _WORD.finditer(text)) if w not in _STOP_WORDS}


def representative_quotes(signals: Sequence[Signal], limit: int = 3) -> list[Signal]:
    """A few signals that say what the bundle is about, in residents' own words.

    Chosen by closeness to the bundle's centre by simple term overlap: a signal scores the average,
    over its words, of how many other signals in the bundle share that word. Central signals speak
    for the group rather than for one odd case. Among those we take one per source first, because
    the meeting should hear the point through each channel (resident, host, professional) before a
    second quote from the same one. Ties go to the most recent signal, then the lowest id.
    """
    if not signals:
        return []
    terms = {s.id: _terms(s.text) for s in signals}
    frequency = Counter(t for ts in terms.values() for t in ts)

    def centrality(s: Signal) -> float:
        ts = terms[s.id]
        return sum(frequency[t] - 1 for t in ts) / len(ts) if ts else 0.0

    ordered = sorted(signals, key=lambda s: (-centrality(s), -s.created_at.timestamp(), s.id))
    chosen, sources = [], set()
    for s in ordered:
        if s.source not in sources:
            chosen.append(s)
            sources.add(s.source)
    chosen.extend(s for s in ordered if s not in chosen)
    return chosen[:limit]


def suggestions_for(unbundled: list[Signal], bundles: list[Bundle]) -> tuple[dict, list]:
    """Feed the suggestion engine from the database: the page's unbundled signals and the texts of
    the live bundles' signals (one query). Returns (per-signal suggestions, proposed groups)."""
    if not unbundled:
        return {}, []
    bundle_ids = [b.id for b in bundles]
    members: dict[int, list[suggestions.SignalText]] = {bundle_id: [] for bundle_id in bundle_ids}
    if bundle_ids:
        rows = db.session.execute(
            db.select(Signal.id, Signal.text, Signal.theme_id, Signal.location_id, Signal.bundle_id)
            .where(Signal.bundle_id.in_(bundle_ids))
        )
        for signal_id, text, theme_id, location_id, bundle_id in rows:
            members[bundle_id].append(suggestions.SignalText(signal_id, text, theme_id, location_id))
    loose = [suggestions.SignalText(s.id, s.text, s.theme_id, s.location_id) for s in unbundled]
    per_signal = suggestions.suggest_bundles(loose, {k: v for k, v in members.items() if v}) if bundle_ids else {}
    return per_signal, suggestions.propose_groups(loose)
