"""Participation agreements (Template 1). Every save is a new version; nothing is overwritten."""
from __future__ import annotations

from dataclasses import dataclass, fields

from sqlalchemy import func

from wijkapp.extensions import db
from wijkapp.models import ParticipationPlan, Partnership, Theme, User
from wijkapp.services import audit


@dataclass
class PlanFields:
    question: str = ""
    target_group: str = ""
    influence: str = ""
    intended_change: str = ""
    noticeable_when: str = ""
    base_form: str = "A"
    where_when: str = ""
    organiser: str = ""
    agenda_moment: str = ""
    decider: str = ""
    follow_up_actions: str = ""
    feedback_what: str = ""
    feedback_channel_when: str = ""
    feedback_owner: str = ""
    next_step: str = ""
    next_step_owner: str = ""


FIELD_NAMES = [f.name for f in fields(PlanFields)]


class StalePlan(RuntimeError):
    def __init__(self, current: ParticipationPlan):
        super().__init__("Deze afspraken zijn intussen door iemand anders opgeslagen.")
        self.current = current


class PlanRuleError(ValueError):
    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def _theme_clause(theme_id: int | None):
    return ParticipationPlan.theme_id.is_(None) if theme_id is None else ParticipationPlan.theme_id == theme_id


def current(partnership: Partnership, theme_id: int | None = None) -> ParticipationPlan | None:
    return db.session.scalar(
        db.select(ParticipationPlan)
        .where(ParticipationPlan.partnership_id == partnership.id, _theme_clause(theme_id))
        .order_by(ParticipationPlan.version.desc()).limit(1)
    )


def history(partnership: Partnership, theme_id: int | None = None) -> list[ParticipationPlan]:
    return list(db.session.scalars(
        db.select(ParticipationPlan)
        .where(ParticipationPlan.partnership_id == partnership.id, _theme_clause(theme_id))
        .order_by(ParticipationPlan.version.desc())
    ))


def current_per_theme(partnership: Partnership) -> list[ParticipationPlan]:
    """The newest version of each theme's agreement (the partnership-wide one excluded)."""
    newest = (
        db.select(ParticipationPlan.theme_id, func.max(ParticipationPlan.version).label("v"))
        .where(ParticipationPlan.partnership_id == partnership.id, ParticipationPlan.theme_id.is_not(None))
        .group_by(ParticipationPlan.theme_id).subquery()
    )
    return list(db.session.scalars(
        db.select(ParticipationPlan)
        .join(newest, (newest.c.theme_id == ParticipationPlan.theme_id) & (newest.c.v == ParticipationPlan.version))
        .where(ParticipationPlan.partnership_id == partnership.id)
        .join(Theme, Theme.id == ParticipationPlan.theme_id).order_by(Theme.position, Theme.name)
    ))


def for_theme_or_partnership(partnership: Partnership, theme_id: int | None) -> ParticipationPlan | None:
    """The agreement that applies: the theme's own, else the partnership-wide one."""
    return (current(partnership, theme_id) if theme_id else None) or current(partnership, None)


REQUIRED = {
    "question": "Vul de wijkvraag in (1 zin).",
    "feedback_what": "Vul in wat jullie terugkoppelen aan inwoners. Terugkoppeling is verplicht.",
    "feedback_channel_when": "Vul in via welk kanaal en wanneer jullie terugkoppelen.",
    "feedback_owner": "Vul in wie eigenaar is van de terugkoppeling.",
}


def save(partnership: Partnership, theme_id: int | None, data: PlanFields, user: User | None,
         based_on_version: int) -> ParticipationPlan:
    """A new version on top of `based_on_version` (0 = there was none yet)."""
    errors = {name: message for name, message in REQUIRED.items() if not getattr(data, name).strip()}
    if data.base_form not in ("A", "B", "C", "D"):
        errors["base_form"] = "Kies een basisvorm A, B, C of D."
    if errors:
        raise PlanRuleError(errors)
    latest = current(partnership, theme_id)
    if (latest.version if latest else 0) != based_on_version:
        raise StalePlan(latest)
    plan = ParticipationPlan(partnership_id=partnership.id, theme_id=theme_id, version=based_on_version + 1,
                             created_by_id=user.id if user is not None else None)
    for name in FIELD_NAMES:
        setattr(plan, name, getattr(data, name))
    db.session.add(plan)
    db.session.flush()
    audit.record(partnership, user, "plan_saved", plan, detail=f"versie {plan.version}")
    return plan


def fields_of(plan: ParticipationPlan | None) -> PlanFields:
    if plan is None:
        return PlanFields()
    return PlanFields(**{name: getattr(plan, name) for name in FIELD_NAMES})
