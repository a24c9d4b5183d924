"""Shared set-up for the round and action tests: bundles with signals in the current round."""
from __future__ import annotations

from datetime import date, timedelta

from wijkapp.extensions import db
from wijkapp.models import Bundle, Partnership, Round, Source
from wijkapp.services import actions, rounds

BUNDLES = ("Te hard rijden Kerkstraat", "Afval bij de flat", "Eenzaamheid ouderen", "Speeltuin kapot",
           "Geen pinautomaat", "Parkeren bij school")


def bundled_round(app, make, partnership, location=None, bundles=BUNDLES) -> tuple[int, dict[str, int]]:
    """The current round with one bundle per name; earlier names get more signals (rank order)."""
    with app.app_context():
        ids = {}
        for name in bundles:
            bundle = Bundle(partnership_id=partnership.id, name=name)
            db.session.add(bundle)
            db.session.flush()
            ids[name] = bundle.id
        db.session.commit()
    sources = (Source.RESIDENT_QR, Source.HOST_CONVERSATION, Source.PROFESSIONAL_MICRO)
    for i, name in enumerate(bundles):
        for n in range(len(bundles) - i + 1):
            make.signal(partnership, f"{name} signaal {n}", sources[n % 3],
                        location_id=location.id if location else None, bundle_id=ids[name])
    with app.app_context():
        round_ = rounds.round_for_date(db.session.get(Partnership, partnership.id), date.today())
        db.session.commit()
        return round_.id, ids


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
    with app.app_context():
        today = date.today()
        first, check = actions.default_dates(today)
        data = actions.ActionFields(
            title=title, intended_result="Langzamer rijden.", owner_id=owner_id, first_step="Mail sturen",
            first_step_on=extra.pop("first_step_on", first), check_on=extra.pop("check_on", check),
            feedback_sentence="We vragen een drempel aan.", choice_reason="Veel genoemd.", **extra)
        action = actions.create_action(db.session.get(Partnership, partnership.id), db.session.get(Round, round_id),
                                       data, None, today, confirmed=True)
        db.session.commit()
        return action.id


def days(n: int) -> str:
    return (date.today() + timedelta(days=n)).isoformat()
