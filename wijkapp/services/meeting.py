"""The fixed 20-minute slot: what the round page, the meeting screen and the agenda show."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from wijkapp.extensions import db
from wijkapp.models import Action, Feedback, Partnership, Round
from wijkapp.presenters import nl_date
from wijkapp.services import feedback as feedback_service
from wijkapp.services import actions as action_service
from wijkapp.services import choosing, rounds

BLOCKS = (
    ("top5", "Top 5 signalen", 5),
    ("actions", "Top 1–2 acties", 10),
    ("feedback", "Wat koppelen we terug?", 5),
)


@dataclass
class RoundView:
    round: Round
    next_round: Round | None
    signals: int
    bundled_signals: int
    bundles: int
    candidates: list[choosing.Candidate]
    chosen: list[Action]
    feedback_due: list[Action]
    overdue: dict[int, action_service.Overdue]
    feedback_draft: Feedback | None = None          # Template 3 being written for this round
    feedback_published: Feedback | None = None      # the latest version residents can read


def horizon(round_: Round, today: date) -> date:
    """Feedback counts as due up to the meeting (or two weeks ahead when there is no meeting date)."""
    return max(round_.meeting_on or today, today) + timedelta(days=14 if round_.meeting_on is None else 0)


def round_view(round_: Round, today: date) -> RoundView:
    partnership = db.session.get(Partnership, round_.partnership_id)
    bundled, bundles = rounds.bundled_count(round_)
    chosen = action_service.actions_of_round(round_)
    until = horizon(round_, today)
    due = [a for a in action_service.open_actions(partnership)
           if a.check_on <= until or (a.next_update_on and a.next_update_on <= until) or a.round_id == round_.id]
    shown = {a.id: a for a in chosen + due}
    return RoundView(
        round=round_, next_round=rounds.next_round(round_), signals=rounds.signal_count(round_),
        bundled_signals=bundled, bundles=bundles, candidates=choosing.candidates(round_), chosen=chosen,
        feedback_due=due, overdue={a.id: action_service.overdue(a, today) for a in shown.values()},
        feedback_draft=feedback_service.draft_of(round_),
        feedback_published=next(iter(feedback_service.published_versions(round_)), None),
    )


def agenda_text(partnership: Partnership, view: RoundView) -> str:
    """Short plain text to paste into the meeting invitation."""
    r = view.round
    when = f", {nl_date(r.meeting_on, weekday=True)}" if r.meeting_on else ""
    lines = [f"Overleg {partnership.name} – {r.label}{when}", "Vast agendapunt wijkverband (20 minuten)", ""]
    lines.append("1. Top 5 signalen (5 min)")
    if view.candidates:
        lines += [f"   {c.ranked.position}. {c.ranked.stats.name} ({c.ranked.summary})" for c in view.candidates]
    else:
        lines.append("   Nog geen bundels in deze ronde.")
    lines.append("2. Top 1–2 acties (10 min)")
    if view.chosen:
        lines += [f"   - {a.title} (eigenaar: {a.owner.display_name})" for a in view.chosen]
    else:
        lines.append("   Kies 1 of 2 acties op haalbaarheid en impact. Eigenaar, eerste stap en checkmoment.")
    lines.append("3. Wat koppelen we terug? (5 min)")
    if view.feedback_due:
        lines += [f"   - {a.title}: {a.feedback_sentence or 'terugkoppeling nog niet ingevuld'}"
                  for a in view.feedback_due]
    else:
        lines.append("   Wat horen bewoners van ons, via welk kanaal en wanneer?")
    return "\n".join(lines) + "\n"
