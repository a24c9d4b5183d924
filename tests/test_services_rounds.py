"""Cadence, opening the next round, and round_for_date staying right."""
from __future__ import annotations

from datetime import date

import pytest

from wijkapp.extensions import db
from wijkapp.models import Partnership, Round
from wijkapp.services import rounds


@pytest.mark.parametrize("cadence, expected", [
    ("4w", date(2027, 2, 26)), ("5w", date(2027, 3, 5)), ("6w", date(2027, 3, 12)), ("monthly", date(2027, 2, 28)),
])
def test_add_cadence(cadence, expected):
    assert rounds.add_cadence(date(2027, 1, 29), cadence) == expected


def test_monthly_keeps_the_day_and_crosses_the_year():
    assert rounds.add_cadence(date(2026, 12, 15), "monthly") == date(2027, 1, 15)
    assert rounds.add_cadence(date(2027, 1, 31), "monthly") == date(2027, 2, 28)


def test_proposed_meeting_follows_the_last_meeting(app, make):
    p = make.partnership()
    with app.app_context():
        partnership = db.session.get(Partnership, p.id)
        partnership.cadence = "4w"
        db.session.add(Round(partnership_id=p.id, number=1, starts_on=date(2027, 1, 1), meeting_on=date(2027, 1, 20)))
        db.session.flush()
        assert rounds.proposed_meeting_date(partnership, date(2027, 1, 21)) == date(2027, 2, 17)
        # a last meeting long ago: the proposal moves on in steps until it is in the future
        assert rounds.proposed_meeting_date(partnership, date(2027, 3, 1)) == date(2027, 3, 17)


def test_proposal_without_any_meeting_starts_from_today(app, make):
    p = make.partnership()
    with app.app_context():
        partnership = db.session.get(Partnership, p.id)
        partnership.cadence = "monthly"
        assert rounds.proposed_meeting_date(partnership, date(2027, 5, 10)) == date(2027, 6, 10)


def test_open_next_round_and_signals_fall_into_it(app, make):
    p = make.partnership()
    with app.app_context():
        partnership = db.session.get(Partnership, p.id)
        first = rounds.round_for_date(partnership, date(2027, 1, 5))  # round 1 on first use
        assert first.number == 1
        second = rounds.open_next_round(partnership, date(2027, 2, 10), date(2027, 3, 3))
        db.session.commit()
        assert (second.number, second.starts_on, second.meeting_on) == (2, date(2027, 2, 10), date(2027, 3, 3))
        assert rounds.round_for_date(partnership, date(2027, 2, 9)).number == 1
        assert rounds.round_for_date(partnership, date(2027, 2, 10)).number == 2
        assert rounds.round_for_date(partnership, date(2027, 6, 1)).number == 2
        assert rounds.next_round(first).id == second.id


def test_open_round_refuses_a_start_on_or_before_the_last_start(app, make):
    p = make.partnership()
    with app.app_context():
        partnership = db.session.get(Partnership, p.id)
        rounds.round_for_date(partnership, date(2027, 1, 5))
        with pytest.raises(rounds.RoundError) as error:
            rounds.open_next_round(partnership, date(2027, 1, 5), None)
        assert error.value.field == "starts_on"
        assert "Kies een startdatum daarna" in str(error.value)
        assert db.session.scalar(db.select(db.func.count(Round.id)).where(Round.partnership_id == p.id)) == 1


def test_meeting_before_the_start_is_refused(app, make):
    p = make.partnership()
    with app.app_context():
        partnership = db.session.get(Partnership, p.id)
        with pytest.raises(rounds.RoundError) as error:
            rounds.open_next_round(partnership, date(2027, 1, 5), date(2027, 1, 4))
        assert error.value.field == "meeting_on"
        round_ = rounds.open_next_round(partnership, date(2027, 1, 5), None)
        with pytest.raises(rounds.RoundError):
            rounds.set_meeting_date(round_, date(2027, 1, 1))
        rounds.set_meeting_date(round_, date(2027, 2, 1))
        assert round_.meeting_on == date(2027, 2, 1)
