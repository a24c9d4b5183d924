"""Kiezen: score the top-5 bundles on feasibility and impact and show them in a 2×2 picture.

The picture is plain SVG made on the server: quadrants carry words and a hatch pattern, chosen
bundles are squares and the others circles, so it reads in black and white and on a beamer.
"""
from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from wijkapp.extensions import db
from wijkapp.models import Action, Bundle, BundleAssessment, Partnership, Round, Signal, User
from wijkapp.services import audit
from wijkapp.services.ranking import RankedBundle, Window, top_bundles

SCORES = (1, 2, 3, 4, 5)
HIGH_FROM = 3  # a 3 counts as "high": the middle of the scale gets the benefit of the doubt

QUADRANTS = {
    (True, True): "Kansrijk: kies hieruit",
    (False, True): "Belangrijk, maar lastig",
    (True, False): "Makkelijk, weinig effect",
    (False, False): "Nu laten liggen",
}


def quadrant(feasibility: int, impact: int) -> str:
    return QUADRANTS[(feasibility >= HIGH_FROM, impact >= HIGH_FROM)]


@dataclass(frozen=True)
class Candidate:
    ranked: RankedBundle
    feasibility: int | None
    impact: int | None
    chosen: bool

    @property
    def scored(self) -> bool:
        return self.feasibility is not None and self.impact is not None

    @property
    def quadrant(self) -> str:
        return quadrant(self.feasibility, self.impact) if self.scored else "Nog niet gescoord"


def top5(round_: Round) -> list[RankedBundle]:
    partnership = db.session.get(Partnership, round_.partnership_id)
    return top_bundles(partnership, Window.for_round(round_), limit=5)


def candidates(round_: Round, ranked: list[RankedBundle] | None = None) -> list[Candidate]:
    ranked = top5(round_) if ranked is None else ranked
    scores = {a.bundle_id: a for a in db.session.scalars(
        db.select(BundleAssessment).where(BundleAssessment.round_id == round_.id))}
    chosen = set(db.session.scalars(
        db.select(Action.bundle_id).where(Action.round_id == round_.id, Action.bundle_id.is_not(None))))
    return [
        Candidate(ranked=r, feasibility=getattr(scores.get(r.bundle_id), "feasibility", None),
                  impact=getattr(scores.get(r.bundle_id), "impact", None), chosen=r.bundle_id in chosen)
        for r in ranked
    ]


def signal_summary(bundle: Bundle, candidate: Candidate | None) -> str:
    """What residents say, in their words: the bundle, its size and two recent signals."""
    examples = db.session.scalars(db.select(Signal.text).where(Signal.bundle_id == bundle.id)
                                  .order_by(Signal.created_at.desc(), Signal.id.desc()).limit(2)).all()
    size = f" ({candidate.ranked.stats.signals} signalen, {candidate.ranked.stats.new} nieuw)" if candidate else ""
    quotes = "; ".join(f"“{text}”" for text in examples)
    return f"{bundle.name}{size}." + (f" Bijvoorbeeld: {quotes}" if quotes else "")


def assessment_of(round_: Round, bundle_id: int) -> BundleAssessment | None:
    return db.session.scalar(db.select(BundleAssessment).where(
        BundleAssessment.round_id == round_.id, BundleAssessment.bundle_id == bundle_id))


def save_scores(round_: Round, scores: dict[int, tuple[int | None, int | None]], user: User | None) -> None:
    """Scores per bundle id; only bundles of this round's top 5 are accepted (the view checks)."""
    partnership = db.session.get(Partnership, round_.partnership_id)
    for bundle_id, (feasibility, impact) in scores.items():
        row = assessment_of(round_, bundle_id)
        if row is None:
            row = BundleAssessment(partnership_id=round_.partnership_id, round_id=round_.id, bundle_id=bundle_id)
            db.session.add(row)
        row.feasibility, row.impact = feasibility, impact
        row.updated_by_id = user.id if user is not None else None
    db.session.flush()
    audit.record(partnership, user, "bundles_scored", round_, detail=str(scores)[:500])


# --- The 2×2 picture -------------------------------------------------------------------------

WIDTH, HEIGHT = 700, 460
LEFT, TOP, PLOT = 70, 20, 380   # plot area: a square of PLOT px


MARGIN_X, MARGIN_Y = 30, 56  # room inside the plot for the quadrant labels, clear of the points


def _x(score: float) -> float:
    return LEFT + MARGIN_X + (score - 1) / 4 * (PLOT - 2 * MARGIN_X)


def _y(score: float) -> float:
    return TOP + MARGIN_Y + (5 - score) / 4 * (PLOT - 2 * MARGIN_Y)


def matrix_svg(items: list[Candidate]) -> Markup:
    scored = [c for c in items if c.scored]
    mid_x, mid_y = _x(HIGH_FROM - 0.5), _y(HIGH_FROM - 0.5)
    desc = "; ".join(
        f"{c.ranked.position}. {c.ranked.stats.name}: haalbaarheid {c.feasibility}, impact {c.impact} "
        f"({c.quadrant}{', gekozen' if c.chosen else ''})" for c in scored
    ) or "Nog geen bundel gescoord."
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="matrix" viewBox="0 0 {WIDTH} {HEIGHT}" '
        'role="img" aria-labelledby="matrix-title matrix-desc">',
        '<title id="matrix-title">Haalbaarheid en impact van de top 5</title>',
        f'<desc id="matrix-desc">{escape(desc)}</desc>',
        '<defs><pattern id="hatch" width="10" height="10" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="10" stroke="#9aa5b1" stroke-width="2"/>'
        '</pattern></defs>',
        f'<rect x="{LEFT}" y="{TOP}" width="{PLOT}" height="{PLOT}" fill="#fff" stroke="#1b1b1b" stroke-width="2"/>',
        # the promising quadrant: high feasibility and high impact
        f'<rect x="{mid_x}" y="{TOP}" width="{LEFT + PLOT - mid_x}" height="{mid_y - TOP}" fill="url(#hatch)"/>',
        f'<line x1="{mid_x}" y1="{TOP}" x2="{mid_x}" y2="{TOP + PLOT}" stroke="#1b1b1b" stroke-dasharray="6 4"/>',
        f'<line x1="{LEFT}" y1="{mid_y}" x2="{LEFT + PLOT}" y2="{mid_y}" stroke="#1b1b1b" stroke-dasharray="6 4"/>',
    ]
    corner = {
        (True, True): (LEFT + PLOT - 8, TOP + 20, "end"),
        (False, True): (LEFT + 8, TOP + 20, "start"),
        (True, False): (LEFT + PLOT - 8, TOP + PLOT - 10, "end"),
        (False, False): (LEFT + 8, TOP + PLOT - 10, "start"),
    }
    for key, label in QUADRANTS.items():
        x, y, anchor = corner[key]
        # two short lines, so the labels of the narrow and the wide quadrant never run into each other
        first, _, second = label.replace(": ", ":, ").partition(", ")
        top_y = y if key[1] else y - 18
        parts.append(f'<text x="{x}" y="{top_y}" text-anchor="{anchor}" font-size="15" font-weight="700" '
                     f'fill="#1b1b1b"><tspan x="{x}">{escape(first)}</tspan>'
                     f'<tspan x="{x}" dy="18">{escape(second)}</tspan></text>')
    for score in SCORES:
        parts.append(f'<text x="{_x(score)}" y="{TOP + PLOT + 20}" text-anchor="middle" font-size="14">{score}</text>')
        parts.append(f'<text x="{LEFT - 10}" y="{_y(score) + 5}" text-anchor="end" font-size="14">{score}</text>')
    parts.append(f'<text x="{LEFT + PLOT / 2}" y="{TOP + PLOT + 42}" text-anchor="middle" font-size="16" '
                 'font-weight="700">Haalbaarheid →</text>')
    parts.append(f'<text x="18" y="{TOP + PLOT / 2}" text-anchor="middle" font-size="16" font-weight="700" '
                 f'transform="rotate(-90 18 {TOP + PLOT / 2})">Impact voor inwoners →</text>')
    seen: dict[tuple[int, int], int] = {}
    for c in scored:
        nth = seen.get((c.feasibility, c.impact), 0)
        seen[(c.feasibility, c.impact)] = nth + 1
        cx, cy = _x(c.feasibility) + nth * 26, _y(c.impact) - nth * 6  # same score: side by side
        number = escape(str(c.ranked.position))
        if c.chosen:
            parts.append(f'<rect x="{cx - 13}" y="{cy - 13}" width="26" height="26" fill="#1b1b1b"/>'
                         f'<text x="{cx}" y="{cy + 5}" text-anchor="middle" font-size="15" font-weight="700" '
                         f'fill="#fff">{number}</text>')
        else:
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="13" fill="#fff" stroke="#1b1b1b" stroke-width="2"/>'
                         f'<text x="{cx}" y="{cy + 5}" text-anchor="middle" font-size="15" font-weight="700" '
                         f'fill="#1b1b1b">{number}</text>')
    # legend on the right: number → name, so labels never overlap inside the plot
    lx = LEFT + PLOT + 24
    parts.append(f'<text x="{lx}" y="{TOP + 14}" font-size="15" font-weight="700">Bundels</text>')
    for i, c in enumerate(items):
        y = TOP + 44 + i * 30
        name = c.ranked.stats.name if len(c.ranked.stats.name) <= 22 else c.ranked.stats.name[:21] + "…"
        marker = "■" if c.chosen else ("●" if c.scored else "–")
        parts.append(f'<text x="{lx}" y="{y}" font-size="14">{escape(marker)} {c.ranked.position}. '
                     f'{escape(name)}</text>')
    y = TOP + 44 + len(items) * 30 + 14
    parts.append(f'<text x="{lx}" y="{y}" font-size="13">● = nog niet gekozen</text>')
    parts.append(f'<text x="{lx}" y="{y + 20}" font-size="13">■ = gekozen als actie</text>')
    parts.append(f'<text x="{lx}" y="{y + 40}" font-size="13">Gearceerd = kansrijk</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
