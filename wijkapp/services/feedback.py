"""Step 4, terugkoppelen: Template 3 per round — draft, review, publish (versioned), and what is due.

A round has one working draft, prefilled from its top bundles and actions. Publishing copies the
draft into a new numbered version; earlier versions stay as they were.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from wijkapp.extensions import db
from wijkapp.models import (
    Action, ActionStatus, Bundle, Feedback, FeedbackBundle, Location, ParticipationPlan, Partnership, Round,
    Signal, User,
)
from wijkapp.models.base import utcnow
from wijkapp.models.feedback import REVIEW_APPROVED, REVIEW_NONE, REVIEW_RETURNED
from wijkapp.presenters import nl_date
from wijkapp.services import audit
from wijkapp.services.ranking import Window, top_bundles

TOP_LIMIT = 5
# Feedback is due within two weeks of the meeting where actions were chosen.
DUE_DAYS_AFTER_MEETING = 14
DUE_SOON_DAYS = 7
PLACEHOLDER = "(schrijf hier waarom)"
DEFAULT_CHANNEL = "Deze website en de inloop in het buurthuis"

PARTS = {
    "heard": "1. Dit hoorden we in de wijk",
    "done": "2. Dit hebben we gedaan / gaan we doen",
    "not_possible": "3. Dit lukt (nog) niet — en waarom",
    "next_update": "4. Volgende update",
    "contact": "5. Contact / meedoen",
}
TEXT_PARTS = ("heard", "done", "not_possible", "next_update_channel", "contact")
STATUS_LABELS = {
    ActionStatus.PLANNED.value: "Gepland",
    ActionStatus.IN_PROGRESS.value: "Bezig",
    ActionStatus.DONE.value: "Klaar",
    ActionStatus.STOPPED.value: "Gestopt",
}


class MissingParts(ValueError):
    def __init__(self, problems: dict[str, str]):
        super().__init__("; ".join(problems.values()))
        self.problems = problems


# ---------------------------------------------------------------- reading


def resolve_bundle(bundle: Bundle | None) -> Bundle | None:
    """Follow merges to the bundle that lives on (a merged bundle's signals now belong there)."""
    seen = set()
    while bundle is not None and bundle.merged_into_id and bundle.id not in seen:
        seen.add(bundle.id)
        bundle = db.session.get(Bundle, bundle.merged_into_id)
    return bundle


def bundle_family(bundle: Bundle) -> list[int]:
    """The bundle and every bundle merged into it, directly or not."""
    ids, frontier = {bundle.id}, [bundle.id]
    while frontier:
        children = db.session.scalars(db.select(Bundle.id).where(Bundle.merged_into_id.in_(frontier))).all()
        frontier = [c for c in children if c not in ids]
        ids.update(frontier)
    return sorted(ids)


def round_actions(round_: Round) -> list[Action]:
    return list(db.session.scalars(db.select(Action).where(Action.round_id == round_.id).order_by(Action.id)))


def current_plan(partnership: Partnership) -> ParticipationPlan | None:
    return db.session.scalar(
        db.select(ParticipationPlan)
        .where(ParticipationPlan.partnership_id == partnership.id, ParticipationPlan.theme_id.is_(None))
        .order_by(ParticipationPlan.version.desc()).limit(1)
    )


def draft_of(round_: Round) -> Feedback | None:
    return db.session.scalar(db.select(Feedback).where(Feedback.round_id == round_.id, Feedback.version == 0))


def published_versions(round_: Round) -> list[Feedback]:
    """Newest first."""
    return list(db.session.scalars(
        db.select(Feedback).where(Feedback.round_id == round_.id, Feedback.version > 0)
        .order_by(Feedback.version.desc())
    ))


def latest_published_per_round(partnership: Partnership, round_ids: list[int] | None = None) -> list[Feedback]:
    """The newest published version of every round, the most recent round first."""
    newest = (
        db.select(Feedback.round_id, db.func.max(Feedback.version).label("version"))
        .where(Feedback.partnership_id == partnership.id, Feedback.version > 0)
        .group_by(Feedback.round_id).subquery()
    )
    query = (
        db.select(Feedback)
        .join(newest, (Feedback.round_id == newest.c.round_id) & (Feedback.version == newest.c.version))
        .join(Round, Round.id == Feedback.round_id)
        .order_by(Round.number.desc())
    )
    if round_ids is not None:
        query = query.where(Feedback.round_id.in_(round_ids))
    return list(db.session.scalars(query))


def drafts_to_review(partnership: Partnership) -> list[Feedback]:
    """The drafts (version 0) of every round, the newest round first: what the expert reviews."""
    return list(db.session.scalars(
        db.select(Feedback).join(Round, Round.id == Feedback.round_id)
        .where(Feedback.partnership_id == partnership.id, Feedback.version == 0)
        .order_by(Round.number.desc())
    ))


def rounds_waiting(partnership: Partnership, answered: set[int],
                   round_ids: list[int] | None = None) -> list[tuple[Round, int]]:
    """Rounds without published feedback (not in `answered`), with how many signals each heard."""
    query = db.select(Round, db.func.count(Signal.id)).outerjoin(Signal, Signal.round_id == Round.id) \
        .where(Round.partnership_id == partnership.id).group_by(Round.id).order_by(Round.number.desc())
    if round_ids is not None:
        query = query.where(Round.id.in_(round_ids))
    return [(r, n) for r, n in db.session.execute(query).all() if r.id not in answered]


def rounds_heard_at(location: Location) -> list[int]:
    return list(db.session.scalars(db.select(Signal.round_id).where(Signal.location_id == location.id).distinct()))


# ---------------------------------------------------------------- the draft


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def prefill(round_: Round) -> dict:
    """What the coordinator starts from: the round's top bundles, its actions and the agreed channel."""
    partnership = db.session.get(Partnership, round_.partnership_id)
    top = top_bundles(partnership, Window.for_round(round_), limit=TOP_LIMIT)
    actions = round_actions(round_)
    chosen = {a.bundle_id for a in actions if a.bundle_id}
    total = db.session.scalar(db.select(db.func.count(Signal.id)).where(Signal.round_id == round_.id)) or 0

    heard = [f"We kregen {_plural(total, 'signaal', 'signalen')} uit de buurt. Dit hoorden we het vaakst:"]
    heard += [f"- {r.stats.name} ({_plural(r.stats.new, 'signaal', 'signalen')})" for r in top]
    done = []
    for action in actions:
        line = f"- {action.title}. Eerste stap: {action.first_step or 'nog niet bekend'}"
        line += f" ({nl_date(action.first_step_on)}). We kijken op {nl_date(action.check_on)} hoe het gaat."
        if action.feedback_sentence:
            line += f" {action.feedback_sentence}"
        done.append(line)
    not_possible = [f"- {r.stats.name}: dit pakken we nu nog niet op. Waarom: {PLACEHOLDER}"
                    for r in top if r.bundle_id not in chosen]

    plan = current_plan(partnership)
    check_dates = [a.check_on for a in actions if a.check_on]
    next_on = min(check_dates) if check_dates else (round_.meeting_on or round_.starts_on) + timedelta(weeks=6)
    return {
        "heard": "\n".join(heard),
        "done": "\n".join(done),
        "not_possible": "\n".join(not_possible),
        "next_update_on": next_on,
        "next_update_channel": (plan.feedback_channel_when if plan and plan.feedback_channel_when else DEFAULT_CHANNEL)[:200],
        "contact": (
            "Wil je reageren of meedoen? Kom naar de inloop in het buurthuis, of scan de QR-code "
            "op de poster en geef een nieuw signaal."
        ),
    }


def draft_for(round_: Round, user: User | None = None) -> Feedback:
    """The round's working draft; made (prefilled) the first time someone opens it."""
    draft = draft_of(round_)
    if draft is None:
        draft = Feedback(partnership_id=round_.partnership_id, round_id=round_.id, version=0,
                         updated_by_id=user.id if user else None, **prefill(round_))
        db.session.add(draft)
        db.session.flush()
    return draft


def save_draft(draft: Feedback, data: dict, user: User | None) -> bool:
    """Store what was typed; returns whether the text changed (a change needs a new review)."""
    before = draft.content_hash()
    for name in (*TEXT_PARTS, "next_update_on"):
        if name in data:
            setattr(draft, name, data[name] if data[name] is not None else (None if name == "next_update_on" else ""))
    changed = draft.content_hash() != before
    if changed:
        draft.updated_by_id = user.id if user else None
        if draft.review_status == REVIEW_APPROVED:
            draft.review_status = REVIEW_NONE
    db.session.flush()
    return changed


def missing_parts(feedback: Feedback) -> dict[str, str]:
    """What must be filled before residents can read it; keys are the form's field names."""
    problems = {}
    if not feedback.heard.strip():
        problems["heard"] = "Vul deel 1 in: wat hoorden jullie in de wijk?"
    if not feedback.done.strip():
        problems["done"] = "Vul deel 2 in: wat hebben jullie gedaan of wat gaan jullie doen?"
    if not feedback.not_possible.strip():
        problems["not_possible"] = "Vul deel 3 in: wat lukt (nog) niet, en waarom? Lukt alles, schrijf dat dan."
    for name in ("heard", "done", "not_possible", "contact"):
        if PLACEHOLDER in (getattr(feedback, name) or "") and name not in problems:
            problems[name] = f"Vervang ‘{PLACEHOLDER}’ door de echte reden."
    if feedback.next_update_on is None:
        problems["next_update_on"] = "Vul bij deel 4 in wanneer de volgende update komt."
    if not feedback.next_update_channel.strip():
        problems["next_update_channel"] = "Vul bij deel 4 in via welk kanaal de update komt, bijvoorbeeld de inloop."
    if not feedback.contact.strip():
        problems["contact"] = "Vul deel 5 in: waar kunnen bewoners reageren of meedoen?"
    return problems


def review(draft: Feedback, reviewer: User, approve: bool, comment: str) -> None:
    draft.review_status = REVIEW_APPROVED if approve else REVIEW_RETURNED
    draft.review_comment = comment
    draft.review_hash = draft.content_hash()
    draft.reviewed_by_id = reviewer.id
    draft.reviewed_at = utcnow()
    partnership = db.session.get(Partnership, draft.partnership_id)
    audit.record(partnership, reviewer, "feedback_approved" if approve else "feedback_returned", draft,
                 detail=comment[:500])
    db.session.flush()


def covered_bundles(round_: Round) -> list[int]:
    """The bundles this round's feedback speaks about: its top bundles and the actions' bundles."""
    partnership = db.session.get(Partnership, round_.partnership_id)
    ids = {r.bundle_id for r in top_bundles(partnership, Window.for_round(round_), limit=TOP_LIMIT)}
    for action in round_actions(round_):
        resolved = resolve_bundle(action.bundle)
        if resolved is not None:
            ids.add(resolved.id)
    return sorted(ids)


def publish(draft: Feedback, user: User | None) -> Feedback:
    """A new published version from the draft. Raises MissingParts; the caller commits.

    Messages to residents are only queued here, so a mail server that is down cannot stop it.
    """
    problems = missing_parts(draft)
    if problems:
        raise MissingParts(problems)
    round_ = draft.round
    last = db.session.scalar(db.select(db.func.max(Feedback.version)).where(Feedback.round_id == round_.id)) or 0
    now = utcnow()
    version = Feedback(
        partnership_id=draft.partnership_id, round_id=draft.round_id, version=last + 1,
        heard=draft.heard, done=draft.done, not_possible=draft.not_possible,
        next_update_on=draft.next_update_on, next_update_channel=draft.next_update_channel, contact=draft.contact,
        review_status=draft.review_status if draft.is_approved else REVIEW_NONE,
        review_comment=draft.review_comment if draft.is_approved else "",
        review_hash=draft.review_hash if draft.is_approved else "",
        reviewed_by_id=draft.reviewed_by_id if draft.is_approved else None,
        reviewed_at=draft.reviewed_at if draft.is_approved else None,
        was_reviewed=draft.is_approved, published_at=now, published_by_id=user.id if user else None,
        updated_by_id=draft.updated_by_id,
    )
    db.session.add(version)
    db.session.flush()
    for bundle_id in covered_bundles(round_):
        db.session.add(FeedbackBundle(feedback_id=version.id, bundle_id=bundle_id))
    # The next update promised to residents becomes the actions' next reminder.
    for action in round_actions(round_):
        if action.status not in (ActionStatus.DONE.value, ActionStatus.STOPPED.value) and (
            action.next_update_on is None or action.next_update_on <= now.date()
        ):
            action.next_update_on = draft.next_update_on
    partnership = db.session.get(Partnership, draft.partnership_id)
    audit.record(partnership, user, "feedback_published", version,
                 detail=f"{round_.label}, versie {version.version}" + ("" if version.was_reviewed else ", niet nagekeken"))
    db.session.flush()

    from wijkapp.services import notify

    notify.queue_for_feedback(version)
    return version


# ---------------------------------------------------------------- keeping step 4 visible


def due_date(round_: Round) -> date | None:
    return round_.meeting_on + timedelta(days=DUE_DAYS_AFTER_MEETING) if round_.meeting_on else None


@dataclass
class DueItem:
    kind: str            # "round" or "action"
    label: str
    due_on: date
    overdue: bool
    round: Round
    action: Action | None = None
    owner: str = ""


@dataclass
class DueList:
    items: list[DueItem] = field(default_factory=list)

    @property
    def overdue(self) -> list[DueItem]:
        return [i for i in self.items if i.overdue]

    @property
    def soon(self) -> list[DueItem]:
        return [i for i in self.items if not i.overdue]


def due_items(partnership: Partnership, today: date) -> DueList:
    """Feedback that is due or overdue: rounds with chosen actions but nothing published after the
    meeting, and actions whose next update date has come."""
    result = DueList()
    rounds_with_actions = db.session.scalars(
        db.select(Round).where(Round.partnership_id == partnership.id,
                               Round.id.in_(db.select(Action.round_id).where(Action.partnership_id == partnership.id)))
        .order_by(Round.number)
    ).all()
    published = set(db.session.scalars(
        db.select(Feedback.round_id).where(Feedback.partnership_id == partnership.id, Feedback.version > 0)
    ))
    for round_ in rounds_with_actions:
        if round_.id in published or round_.meeting_on is None or round_.meeting_on > today:
            continue
        due = due_date(round_)
        result.items.append(DueItem("round", f"Terugkoppeling {round_.label}", due, due < today, round_))
    actions = db.session.scalars(
        db.select(Action).where(
            Action.partnership_id == partnership.id,
            Action.status.in_([ActionStatus.PLANNED.value, ActionStatus.IN_PROGRESS.value]),
            Action.next_update_on.is_not(None),
            Action.next_update_on <= today + timedelta(days=DUE_SOON_DAYS),
        ).order_by(Action.next_update_on)
    ).all()
    for action in actions:
        owner = action.feedback_owner or action.owner
        result.items.append(DueItem("action", action.title, action.next_update_on, action.next_update_on < today,
                                    action.round, action, owner.display_name if owner else ""))
    result.items.sort(key=lambda i: (not i.overdue, i.due_on))
    return result


def round_state(round_: Round, today: date) -> str:
    """One word per round for the overview: published, draft, due, overdue, or open."""
    if published_versions(round_):
        return "published"
    due = due_date(round_)
    has_actions = db.session.scalar(db.select(Action.id).where(Action.round_id == round_.id).limit(1)) is not None
    if has_actions and due and round_.meeting_on <= today:
        return "overdue" if due < today else "due"
    return "draft" if draft_of(round_) else "open"


def location_feedback_url(location: Location) -> str:
    """What the feedback poster's QR code points to."""
    from wijkapp.services.links import public_url

    partnership = db.session.get(Partnership, location.partnership_id)
    return public_url("feedback.location_feedback", slug=partnership.slug, code=location.code)


@dataclass
class PosterContent:
    feedback: Feedback | None
    heard: list[str]
    doing: list[Action]


def poster_content(location: Location) -> PosterContent:
    """A few lines for the wall: the newest published feedback that concerns this place."""
    partnership = db.session.get(Partnership, location.partnership_id)
    latest = next(iter(latest_published_per_round(partnership, rounds_heard_at(location))), None) \
        or next(iter(latest_published_per_round(partnership)), None)
    if latest is None:
        return PosterContent(None, [], [])
    # What was heard most (the ranking), not the alphabetical order of the covered bundles.
    heard = [r.stats.name for r in top_bundles(partnership, Window.for_round(latest.round), limit=3)]
    return PosterContent(latest, heard, round_actions(latest.round)[:3])
