"""Rounds, bundles and actions built directly with the models, for the step-4 tests."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from wijkapp.extensions import db
from wijkapp.models import Action, ResidentContact


@dataclass
class Scenario:
    partnership_id: int
    round_id: int
    chosen_bundle_id: int
    other_bundle_id: int
    action_id: int
    chosen_signal_id: int
    other_signal_id: int
    contact_id: int


def build_round(make, partnership, coordinator, location, *, meeting_days_ago: int = 3,
                email: str = "bewoner@example.org") -> Scenario:
    """A round that started 30 days ago, with two bundles; one was chosen as an action."""
    app = make.app
    start = date.today() - timedelta(days=30)
    round_ = make.round(partnership, start, meeting_on=date.today() - timedelta(days=meeting_days_ago))
    chosen = make.bundle(partnership, "Te hard rijden in de Kerkstraat")
    other = make.bundle(partnership, "Zwerfafval bij het winkelcentrum")
    ids = (round_.id, chosen.id, other.id)
    # Midnight, so "28 days ago" is 28 whole days at any hour the tests run (10:00 gave 27 before 10:00).
    created = datetime.combine(start + timedelta(days=2), datetime.min.time())
    signals = []
    for n in range(3):
        signals.append(make.signal(partnership, f"Auto's rijden te hard, deel {n}", bundle_id=ids[1],
                                   location_id=location.id, created_at=created))
    other_signal = make.signal(partnership, "Veel afval bij de ingang", bundle_id=ids[2], location_id=location.id,
                               created_at=created)
    with app.app_context():
        contact = ResidentContact(signal_id=signals[0].id, email=email, purpose="Bericht", consent_version="2026-11")
        db.session.add(contact)
        action = Action(
            partnership_id=partnership.id, round_id=ids[0], bundle_id=ids[1],
            signal_summary="Bewoners zeggen dat auto's te hard rijden.",
            intended_result="Auto's rijden langzamer in de Kerkstraat.",
            title="Drempels in de Kerkstraat", description="Twee drempels bij de school.",
            owner_id=coordinator.id, partners="Gemeente, school", first_step="Gesprek met de gemeente",
            first_step_on=date.today() + timedelta(days=7), check_on=date.today() + timedelta(days=45),
            feedback_sentence="We vragen de gemeente om drempels.", choice_reason="Haalbaar en veel genoemd.",
            feedback_owner_id=coordinator.id,
        )
        db.session.add(action)
        db.session.commit()
        return Scenario(partnership.id, ids[0], ids[1], ids[2], action.id, signals[0].id, other_signal.id, contact.id)


def feedback_form(**overrides) -> dict:
    data = {
        "heard": "We kregen veel signalen over te hard rijden.",
        "done": "We vragen de gemeente om drempels. Dat doen we in maart.",
        "not_possible": "Zwerfafval pakken we nu niet op. De gemeente ruimt al vaker op.",
        "next_update_on": (date.today() + timedelta(days=40)).isoformat(),
        "next_update_channel": "Inloop in het buurthuis",
        "contact": "Kom langs bij de inloop op dinsdag.",
    }
    data.update(overrides)
    return data
