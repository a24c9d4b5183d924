"""The first-start wizard: each step is one complete change, so a wizard left halfway leaves no
half record and can be resumed at `Partnership.setup_step`."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from wijkapp.extensions import db
from wijkapp.models import Partnership, Round, Theme, User
from wijkapp.services import audit, plans, rounds


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    endpoint: str


# The first step is the public setup link (or, for a partnership the beheerder makes, the
# invitation); the others are coordinator pages.
STEPS = (
    Step("account", "Jij en je wijkverband", "auth.setup"),
    Step("locations", "Locaties", "coordinator.setup_locations"),
    Step("themes", "Thema's", "coordinator.setup_themes"),
    Step("questions", "Twee vragen voor professionals", "coordinator.setup_questions"),
    Step("round", "Ritme en eerste overleg", "coordinator.setup_round"),
    Step("plan", "Afspraken over terugkoppeling", "coordinator.setup_plan"),
)
FIRST_COORDINATOR_STEP = STEPS[1].key
KEYS = [step.key for step in STEPS]


def step(key: str) -> Step:
    return STEPS[KEYS.index(key)]


def number_of(key: str) -> int:
    return KEYS.index(key) + 1


def previous(key: str) -> Step | None:
    index = KEYS.index(key)
    return STEPS[index - 1] if index > 1 else None  # step 1 (the setup link) is spent by then


def start(partnership: Partnership) -> None:
    partnership.setup_step = FIRST_COORDINATOR_STEP


def done(partnership: Partnership, key: str) -> None:
    """Step `key` is done: the wizard resumes after it. Going back to an earlier step changes nothing."""
    if partnership.setup_step in KEYS and KEYS.index(partnership.setup_step) <= KEYS.index(key):
        following = KEYS.index(key) + 1
        partnership.setup_step = KEYS[following] if following < len(KEYS) else ""


def in_progress(partnership: Partnership) -> bool:
    return partnership.setup_step in KEYS[1:]


# --- the steps ---------------------------------------------------------------------------------

def replace_themes(partnership: Partnership, names: list[str]) -> None:
    """The themes become `names`, in this order. A theme left out goes; one that signals or bundles
    already use is hidden instead, so nothing loses its theme."""
    current = list(db.session.scalars(db.select(Theme).where(Theme.partnership_id == partnership.id)))
    by_name = {theme.name.casefold(): theme for theme in current}
    kept = set()
    for position, name in enumerate(names):
        theme = by_name.get(name.casefold())
        if theme is None:
            theme = Theme(partnership_id=partnership.id, name=name)
            db.session.add(theme)
        theme.name, theme.position, theme.is_active = name, position, True
        kept.add(theme.id)
    for theme in current:
        if theme.id not in kept:
            if _theme_in_use(theme):
                theme.is_active = False
            else:
                db.session.delete(theme)
    db.session.flush()


def _theme_in_use(theme: Theme) -> bool:
    # Every column that points at a theme, so a table added later is checked too.
    return any(
        db.session.execute(db.select(fk.parent).where(fk.parent == theme.id).limit(1)).first() is not None
        for table in db.metadata.sorted_tables for fk in table.foreign_keys if fk.column.table.name == "theme"
    )


def active_theme_names(partnership: Partnership) -> list[str]:
    return list(db.session.scalars(
        db.select(Theme.name).where(Theme.partnership_id == partnership.id, Theme.is_active.is_(True))
        .order_by(Theme.position, Theme.name)))


def first_round(partnership: Partnership, cadence: str, meeting_on: date, user: User, today: date) -> Round:
    """The rhythm, and round 1 with its meeting date (as the rounds page opens it); when a round
    exists already (a signal came in, or this step is done again), the date goes to the latest round."""
    partnership.cadence = cadence
    audit.record(partnership, user, "cadence_set", detail=cadence)
    latest = rounds.latest_round(partnership)
    if latest is None:
        latest = rounds.open_next_round(partnership, today, meeting_on)
        audit.record(partnership, user, "round_opened", latest)
    else:
        rounds.set_meeting_date(latest, meeting_on)
    return latest


PLAN_FIELDS = ("question", "feedback_what", "feedback_channel_when", "feedback_owner")


def save_plan_minimum(partnership: Partnership, values: dict[str, str], user: User) -> None:
    """Template 1's minimum as a new version of the partnership-wide agreement; fields the wizard
    does not ask keep what an earlier version said."""
    latest = plans.current(partnership, None)
    data = plans.fields_of(latest)
    for name in PLAN_FIELDS:
        setattr(data, name, values[name])
    plans.save(partnership, None, data, user, latest.version if latest else 0)
