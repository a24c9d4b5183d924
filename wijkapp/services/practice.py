"""Praktijkgesprek: the toolkit's four dialogue questions answered from the data of one case.

1. Hoe is input opgehaald?  2. Wat is er mee gedaan?  3. Waar zat eigenaarschap/mandaat?
4. Hoe (en aan wie) is teruggekoppeld?
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func

from wijkapp.extensions import db
from wijkapp.models import (
    Action, Bundle, Feedback, FeedbackBundle, Location, ParticipationPlan, Partnership, Round, Signal,
)
from wijkapp.models.signal import FORM_LABELS, SOURCE_LABELS, Form, Source
from wijkapp.services import feedback as feedback_service
from wijkapp.services import plans


@dataclass
class Collected:
    total: int = 0
    by_source: list[tuple[str, int]] = field(default_factory=list)
    by_form: list[tuple[str, int]] = field(default_factory=list)
    by_location: list[tuple[str, int]] = field(default_factory=list)
    by_round: list[tuple[str, int]] = field(default_factory=list)
    first_at: datetime | None = None
    last_at: datetime | None = None
    conversations: int = 0
    panel_sessions: int = 0
    examples: list[str] = field(default_factory=list)


@dataclass
class Case:
    title: str
    bundle: Bundle | None
    actions: list[Action]
    collected: Collected
    plan: ParticipationPlan | None
    published: list[Feedback] = field(default_factory=list)  # Template 3 versions about this case


def published_about(bundle: Bundle | None) -> list[Feedback]:
    """Published feedback versions that speak about this bundle (or one merged into it), newest first."""
    if bundle is None:
        return []
    family = feedback_service.bundle_family(bundle)
    return list(db.session.scalars(
        db.select(Feedback)
        .join(FeedbackBundle, FeedbackBundle.feedback_id == Feedback.id)
        .where(FeedbackBundle.bundle_id.in_(family), Feedback.published_at.is_not(None))
        .order_by(Feedback.published_at.desc())
        .distinct()
    ))


def collected(bundle: Bundle | None) -> Collected:
    if bundle is None:
        return Collected()
    where = Signal.bundle_id == bundle.id

    def grouped(column, *extra_joins):
        query = db.select(column, func.count(Signal.id)).where(where)
        for target, on in extra_joins:
            query = query.outerjoin(target, on)
        return db.session.execute(query.group_by(column).order_by(func.count(Signal.id).desc())).all()

    total, first_at, last_at, conversations, panels = db.session.execute(
        db.select(func.count(Signal.id), func.min(Signal.created_at), func.max(Signal.created_at),
                  func.count(func.distinct(Signal.conversation_id)),
                  func.count(func.distinct(Signal.panel_session_id))).where(where)
    ).one()
    return Collected(
        total=total or 0,
        by_source=[(SOURCE_LABELS.get(Source(v), v), n) for v, n in grouped(Signal.source)],
        by_form=[(FORM_LABELS.get(Form(v), v), n) for v, n in grouped(Signal.form)],
        by_location=[(name or "Zonder vaste locatie", n)
                     for name, n in grouped(Location.name, (Location, Location.id == Signal.location_id))],
        by_round=[(f"Ronde {number}", n) for number, n in sorted(
            grouped(Round.number, (Round, Round.id == Signal.round_id)), key=lambda r: r[0])],
        first_at=first_at, last_at=last_at, conversations=conversations or 0, panel_sessions=panels or 0,
        examples=list(db.session.scalars(
            db.select(Signal.text).where(where).order_by(Signal.created_at.desc()).limit(3))),
    )


def for_bundle(bundle: Bundle) -> Case:
    partnership = db.session.get(Partnership, bundle.partnership_id)
    actions = list(db.session.scalars(
        db.select(Action).where(Action.bundle_id == bundle.id).order_by(Action.created_at)))
    return Case(title=bundle.name, bundle=bundle, actions=actions, collected=collected(bundle),
                plan=plans.for_theme_or_partnership(partnership, bundle.theme_id),
                published=published_about(bundle))


def for_action(action: Action) -> Case:
    partnership = db.session.get(Partnership, action.partnership_id)
    bundle = action.bundle
    return Case(title=action.title, bundle=bundle, actions=[action], collected=collected(bundle),
                plan=plans.for_theme_or_partnership(partnership, bundle.theme_id if bundle else None),
                published=published_about(bundle))
