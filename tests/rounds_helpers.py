"""Shared set-up for the round and action tests: bundles with signals in the current round."""
from __future__ import annotations

from datetime import date, timedelta

from tests.conftest import Factory
from wijkapp.models import Source
from wijkapp.services import actions

BUNDLES = ("Te hard rijden Kerkstraat", "Afval bij de flat", "Eenzaamheid ouderen", "Speeltuin kapot",
           "Geen pinautomaat", "Parkeren bij school")


def bundled_round(app, make, partnership, location=None, bundles=BUNDLES) -> tuple[int, dict[str, int]]:
    """The current round with one bundle per name; earlier names get more signals (rank order)."""
    ids = {name: make.bundle(partnership, name).id for name in bundles}
    sources = (Source.RESIDENT_QR, Source.HOST_CONVERSATION, Source.PROFESSIONAL_MICRO)
    for i, name in enumerate(bundles):
        for n in range(len(bundles) - i + 1):
            make.signal(partnership, f"{name} signaal {n}", sources[n % 3],
                        location_id=location.id if location else None, bundle_id=ids[name])
    return make.round(partnership).id, ids


def action_form(owner_id, **changes) -> dict:
    first, check = actions.default_dates(date.today())
    data = {
        "signal_summary": "Bewoners zeggen dat er te hard wordt gereden.",
        "intended_result": "Auto's rijden langzamer in de Kerkstraat.",
        "title": "Drempel aanvragen bij de gemeente",
        "description": "",
        "owner_id": str(owner_id) if owner_id else "None",
        "partners": "Gemeente",
        "first_step": "Mail aan de wijkmanager",
        "first_step_on": first.isoformat(),
        "check_on": check.isoformat(),
        "feedback_sentence": "We vragen een drempel aan; in mei horen jullie meer.",
        "feedback_owner_id": "None",
        "next_update_on": "",
        "choice_reason": "Veel bewoners noemen het en de gemeente kan snel iets doen.",
        "feasibility": "4",
        "impact": "5",
        "bundle_id": "None",
        "over_limit_reason": "",
    }
    data.update({k: v for k, v in changes.items()})
    return data


def add_action(app, partnership, round_id, owner_id, title="Drempel aanvragen", **extra) -> int:
    return Factory(app).action(partnership, round_id, owner_id, title, **extra).id


def days(n: int) -> str:
    return (date.today() + timedelta(days=n)).isoformat()
