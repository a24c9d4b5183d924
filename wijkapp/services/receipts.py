"""What a resident sees for their receipt code: only what happened, never who said what."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from wijkapp.extensions import db
from wijkapp.models import Action, Bundle, Feedback, FeedbackBundle, Partnership, ReceiptLookup, Round, Signal
from wijkapp.services.codes import normalise_receipt_code
from wijkapp.services.feedback import bundle_family, latest_published_per_round, resolve_bundle, round_actions


@dataclass
class ReceiptStatus:
    partnership: Partnership
    round: Round
    created_on: date
    bundle: Bundle | None
    outcome: str                 # "not_bundled", "chosen", "not_chosen", "waiting"
    actions: list[Action] = field(default_factory=list)          # chosen for this bundle
    round_choices: list[Action] = field(default_factory=list)    # what the round chose instead
    feedback: Feedback | None = None
    was_discussed: bool = False  # among the bundles the round's feedback speaks about


def signal_for_code(typed: str) -> Signal | None:
    code = normalise_receipt_code(typed or "")
    if not code:
        return None
    return db.session.scalar(db.select(Signal).where(Signal.receipt_code == code))


def _latest_feedback_about(bundle_ids: list[int]) -> Feedback | None:
    return db.session.scalar(
        db.select(Feedback).join(FeedbackBundle, FeedbackBundle.feedback_id == Feedback.id)
        .where(FeedbackBundle.bundle_id.in_(bundle_ids), Feedback.version > 0)
        .order_by(Feedback.published_at.desc(), Feedback.id.desc()).limit(1)
    )


def status_of(signal: Signal, today: date) -> ReceiptStatus:
    partnership = db.session.get(Partnership, signal.partnership_id)
    round_ = signal.round
    round_feedback = next(iter(latest_published_per_round(partnership, [round_.id])), None)
    status = ReceiptStatus(partnership, round_, signal.created_at.date(), resolve_bundle(signal.bundle), "not_bundled",
                           feedback=round_feedback)
    if status.bundle is None:
        return status
    family = bundle_family(status.bundle)
    status.actions = list(db.session.scalars(
        db.select(Action).where(Action.bundle_id.in_(family)).order_by(Action.id)))
    status.feedback = _latest_feedback_about(family) or round_feedback
    status.was_discussed = round_feedback is not None and any(b.id in family for b in round_feedback.bundles)
    if status.actions:
        status.outcome = "chosen"
    elif round_feedback is not None or (round_.meeting_on is not None and round_.meeting_on < today):
        status.outcome = "not_chosen"
        status.round_choices = round_actions(round_)
    else:
        status.outcome = "waiting"
    return status


def count_lookup(signal: Signal) -> None:
    """For the loop figures: how often residents come back. No address, no code stored."""
    db.session.add(ReceiptLookup(partnership_id=signal.partnership_id, round_id=signal.round_id))
    db.session.flush()
