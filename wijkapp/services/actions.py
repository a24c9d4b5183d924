"""Actions (Template 2): choosing 1–2 per round, their dates, their owner and their dated log.

The rules live here, not in the forms, so every way in (form, test, script) meets them:
- the owner has a role in the partnership, or is one of its contacts (people without an account);
- the first step is within 2 weeks, the check moment 6–8 weeks after choosing; outside that range
  is allowed only with an explicit confirmation; a check moment before the first step never is;
- at most 2 actions per round, unless a reason is given;
- a save based on an older version of the action is refused (optimistic locking).
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, timedelta

from sqlalchemy import func

from wijkapp.extensions import db
from wijkapp.models import Action, ActionStatus, ActionUpdate, Bundle, Contact, Membership, Partnership, Round, User
from wijkapp.services import audit

FIRST_STEP_WITHIN_DAYS = 14
CHECK_FROM_DAYS = 6 * 7
CHECK_UNTIL_DAYS = 8 * 7
DEFAULT_FIRST_STEP_DAYS = 7
DEFAULT_CHECK_DAYS = 7 * 7
ACTIONS_PER_ROUND = 2
OPEN_STATUSES = (ActionStatus.PLANNED.value, ActionStatus.IN_PROGRESS.value)


@dataclass
class ActionFields:
    """Everything a person fills in for an action; the view copies a form into this."""

    title: str
    intended_result: str
    owner_id: int | None
    first_step: str
    first_step_on: date
    check_on: date
    feedback_sentence: str
    choice_reason: str
    bundle_id: int | None = None
    signal_summary: str = ""
    description: str = ""
    partners: str = ""
    feasibility: int | None = None
    impact: int | None = None
    feedback_owner_id: int | None = None
    next_update_on: date | None = None
    over_limit_reason: str = ""
    partner_ids: list[int] = field(default_factory=list)  # partners who are people in Wijkapp


FIELD_NAMES = [f.name for f in fields(ActionFields)]


@dataclass
class Problems:
    errors: dict[str, str] = field(default_factory=dict)    # never allowed
    warnings: dict[str, str] = field(default_factory=dict)  # allowed after an explicit confirmation

    def blocking(self, confirmed: bool) -> dict[str, str]:
        return {**self.errors, **({} if confirmed else self.warnings)}


class ActionRuleError(ValueError):
    def __init__(self, problems: Problems):
        super().__init__("; ".join({**problems.errors, **problems.warnings}.values()))
        self.problems = problems


class StaleAction(RuntimeError):
    """Someone else saved this action after this person opened it."""

    def __init__(self, action: Action):
        super().__init__("Deze actie is intussen door iemand anders aangepast.")
        self.action = action


def _weekday(day: date) -> date:
    """A Saturday or Sunday moves to the Monday: people plan steps on working days."""
    return day + timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


def default_dates(today: date) -> tuple[date, date]:
    """One week for the first step, seven weeks for the check: both inside the agreed range."""
    return (_weekday(today + timedelta(days=DEFAULT_FIRST_STEP_DAYS)),
            _weekday(today + timedelta(days=DEFAULT_CHECK_DAYS)))


def date_ranges(chosen_on: date) -> tuple[date, date, date]:
    """(latest first step, earliest check, latest check) for an action chosen on `chosen_on`."""
    return (chosen_on + timedelta(days=FIRST_STEP_WITHIN_DAYS), chosen_on + timedelta(days=CHECK_FROM_DAYS),
            chosen_on + timedelta(days=CHECK_UNTIL_DAYS))


def members(partnership: Partnership) -> list[User]:
    """People with any role in the partnership: the only possible owners."""
    return list(db.session.scalars(
        db.select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.partnership_id == partnership.id, User.active.is_(True))
        .group_by(User.id).order_by(func.lower(User.name), User.email)
    ))


def is_member(partnership: Partnership, user_id: int | None) -> bool:
    if not user_id:
        return False
    return db.session.scalar(
        db.select(func.count(Membership.id)).where(Membership.partnership_id == partnership.id,
                                                   Membership.user_id == user_id)
    ) > 0


def can_work_on_actions(partnership: Partnership, user_id: int | None) -> bool:
    """A member of the team, or a contact of the partnership (who works through a personal link)."""
    if not user_id:
        return False
    return is_member(partnership, user_id) or db.session.scalar(
        db.select(func.count(Contact.id)).where(Contact.partnership_id == partnership.id, Contact.user_id == user_id,
                                                Contact.removed_at.is_(None))
    ) > 0


def actions_of(partnership: Partnership) -> list[Action]:
    """Every action of the partnership, the newest chosen first."""
    return list(db.session.scalars(
        db.select(Action).where(Action.partnership_id == partnership.id)
        .order_by(Action.created_at.desc(), Action.id.desc())
    ))


def name_behind(field_name: str, value) -> str | None:
    """The name an id field of an action stands for (owner, partners, bundle), for the page that
    shows two versions side by side; None for a field that holds no id."""
    if field_name in ("owner_id", "feedback_owner_id"):
        user = db.session.get(User, value)
        return user.display_name if user else str(value)
    if field_name == "partner_ids":
        return ", ".join(u.display_name for u in db.session.scalars(db.select(User).where(User.id.in_(value))))
    if field_name == "bundle_id":
        bundle = db.session.get(Bundle, value)
        return bundle.name if bundle else str(value)
    return None


def actions_of_round(round_: Round) -> list[Action]:
    return list(db.session.scalars(
        db.select(Action).where(Action.round_id == round_.id).order_by(Action.created_at, Action.id)
    ))


def needs_over_limit_reason(round_: Round, action: Action | None = None) -> bool:
    """True when this would be the third (or later) action of the round."""
    query = db.select(func.count(Action.id)).where(Action.round_id == round_.id)
    if action is not None and action.id is not None:
        if action.round_id == round_.id and not action.over_limit_reason:
            return False  # one of the first two stays one of the first two
        query = query.where(Action.id != action.id)
    return (db.session.scalar(query) or 0) >= ACTIONS_PER_ROUND


def check_rules(partnership: Partnership, round_: Round, data: ActionFields, today: date,
                action: Action | None = None) -> Problems:
    p = Problems()
    if not data.owner_id:
        p.errors["owner_id"] = "Kies een eigenaar. Elke actie heeft één eigenaar nodig."
    elif not can_work_on_actions(partnership, data.owner_id):
        p.errors["owner_id"] = "Kies een eigenaar uit de mensen en contactpersonen van dit wijkverband."
    if data.feedback_owner_id and not can_work_on_actions(partnership, data.feedback_owner_id):
        p.errors["feedback_owner_id"] = ("Kies iemand uit de mensen en contactpersonen van dit wijkverband, "
                                         "of laat dit leeg.")
    if any(not can_work_on_actions(partnership, user_id) for user_id in data.partner_ids):
        p.errors["partner_ids"] = "Kies partners uit de mensen en contactpersonen van dit wijkverband."
    if data.bundle_id:
        bundle = db.session.get(Bundle, data.bundle_id)
        if bundle is None or bundle.partnership_id != partnership.id:
            p.errors["bundle_id"] = "Kies een bundel uit de lijst."
    if not data.choice_reason.strip():
        p.errors["choice_reason"] = "Schrijf op waarom jullie deze actie kiezen. Bewoners gaan ernaar vragen."
    if needs_over_limit_reason(round_, action) and not data.over_limit_reason.strip():
        p.errors["over_limit_reason"] = (
            f"Deze ronde heeft al {ACTIONS_PER_ROUND} acties. De afspraak is 1 of 2 acties per ronde. "
            "Schrijf op waarom er toch een actie bij moet.")
    for name, value in (("feasibility", data.feasibility), ("impact", data.impact)):
        if value is not None and not 1 <= value <= 5:
            p.errors[name] = "Kies een score van 1 tot en met 5."

    chosen_on = action.created_at.date() if action is not None and action.created_at else today
    if data.check_on < data.first_step_on:
        p.errors["check_on"] = "Het checkmoment ligt voor de eerste stap. Kies een datum na de eerste stap."
    if action is None or data.first_step_on != action.first_step_on:
        if data.first_step_on < today:
            p.warnings["first_step_on"] = ("Let op: de eerste stap ligt in het verleden. Kies een datum vanaf "
                                           "vandaag, of vink aan dat de datum klopt.")
        elif data.first_step_on > chosen_on + timedelta(days=FIRST_STEP_WITHIN_DAYS):
            p.warnings["first_step_on"] = ("Let op: de eerste stap ligt meer dan 2 weken na de keuze. Kies een "
                                           "eerdere datum, of vink aan dat de datum klopt.")
    if "check_on" not in p.errors and (action is None or data.check_on != action.check_on):
        first, last = chosen_on + timedelta(days=CHECK_FROM_DAYS), chosen_on + timedelta(days=CHECK_UNTIL_DAYS)
        if not first <= data.check_on <= last:
            p.warnings["check_on"] = (f"Let op: het checkmoment ligt niet 6 tot 8 weken na de keuze "
                                      f"(tussen {first:%d-%m-%Y} en {last:%d-%m-%Y}). Kies een datum daartussen, "
                                      "of vink aan dat de datum klopt.")
    if data.next_update_on is not None and data.next_update_on < today and (
            action is None or data.next_update_on != action.next_update_on):
        p.errors["next_update_on"] = "De volgende update ligt in het verleden. Kies een datum vanaf vandaag."
    return p


def _apply(action: Action, data: ActionFields) -> None:
    for name in FIELD_NAMES:
        if name != "partner_ids":
            setattr(action, name, getattr(data, name))
    if action.partner_ids != sorted(set(data.partner_ids)):
        action.partner_people = list(db.session.scalars(db.select(User).where(User.id.in_(data.partner_ids))))


def create_action(partnership: Partnership, round_: Round, data: ActionFields, user: User | None,
                  today: date, confirmed: bool = False) -> Action:
    problems = check_rules(partnership, round_, data, today)
    if problems.blocking(confirmed):
        raise ActionRuleError(problems)
    action = Action(partnership_id=partnership.id, round_id=round_.id,
                    created_by_id=user.id if user is not None else None)
    _apply(action, data)
    action.updates.append(ActionUpdate(user_id=action.created_by_id, text="Actie gekozen.",
                                       status_to=ActionStatus.PLANNED.value))
    db.session.add(action)
    db.session.flush()
    audit.record(partnership, user, "action_created", action, detail=action.title)
    return action


def update_action(action: Action, data: ActionFields, user: User | None, based_on_version: int,
                  today: date, confirmed: bool = False) -> Action:
    if based_on_version != action.version:
        raise StaleAction(action)
    partnership = db.session.get(Partnership, action.partnership_id)
    problems = check_rules(partnership, action.round, data, today, action=action)
    if problems.blocking(confirmed):
        raise ActionRuleError(problems)
    _apply(action, data)
    db.session.flush()  # the UPDATE carries "WHERE version = ?": a concurrent save raises StaleDataError
    audit.record(partnership, user, "action_updated", action, detail=action.title)
    return action


def changed_fields(action: Action, data: ActionFields) -> list[str]:
    def typed(name: str):
        return sorted(set(data.partner_ids)) if name == "partner_ids" else getattr(data, name)

    return [name for name in FIELD_NAMES if getattr(action, name) != typed(name)]


def add_update(action: Action, user: User | None, text: str, status: str | None = None,
               stop_reason: str = "", via_personal_link: bool = False) -> ActionUpdate:
    """A dated line in the action's log; a status change is logged with it. Stopping needs a reason."""
    status = status or action.status
    if status not in {s.value for s in ActionStatus}:
        raise ActionRuleError(Problems(errors={"status": "Kies een status uit de lijst."}))
    if status == ActionStatus.STOPPED.value and status != action.status and not stop_reason.strip():
        raise ActionRuleError(Problems(errors={"stop_reason": "Schrijf op waarom de actie stopt. Bewoners willen dat weten."}))
    if not text.strip() and status == action.status:
        raise ActionRuleError(Problems(errors={"text": "Schrijf kort wat er is gebeurd, of kies een nieuwe status."}))
    update = ActionUpdate(user_id=user.id if user is not None else None, text=text.strip(),
                          status_from=action.status if status != action.status else "",
                          status_to=status if status != action.status else "",
                          via_personal_link=via_personal_link)
    if status != action.status:
        if status == ActionStatus.STOPPED.value:
            action.stop_reason = stop_reason.strip()
            if not update.text:
                update.text = f"Gestopt: {action.stop_reason}"
        action.status = status
    action.updates.append(update)
    db.session.flush()
    audit.record(db.session.get(Partnership, action.partnership_id), user, "action_update", action,
                 detail=f"{update.status_from}→{update.status_to} {update.text[:200]}")
    return update


@dataclass(frozen=True)
class Overdue:
    first_step: bool
    check: bool

    @property
    def any(self) -> bool:
        return self.first_step or self.check


def overdue(action: Action, today: date) -> Overdue:
    """A first step is late while the action is still 'gepland' after its date; a check moment is
    late while the action is open and nothing was logged on or after that date."""
    first_step = action.status == ActionStatus.PLANNED.value and action.first_step_on < today
    check = False
    if action.status in OPEN_STATUSES and action.check_on < today:
        check = not any(u.created_at.date() >= action.check_on for u in action.updates)
    return Overdue(first_step=first_step, check=check)


def actions_owned_by(partnership: Partnership, user: User) -> list[Action]:
    """Open actions first, the earliest date first."""
    rows = list(db.session.scalars(
        db.select(Action).where(Action.partnership_id == partnership.id,
                                (Action.owner_id == user.id) | (Action.feedback_owner_id == user.id)
                                | Action.partner_people.any(User.id == user.id))
    ))
    return sorted(rows, key=lambda a: (a.status not in OPEN_STATUSES, min(a.first_step_on, a.check_on), a.id))


def open_actions(partnership: Partnership) -> list[Action]:
    return list(db.session.scalars(
        db.select(Action).where(Action.partnership_id == partnership.id, Action.status.in_(OPEN_STATUSES))
        .order_by(Action.check_on, Action.id)
    ))
