"""Intake rules that hold for every way a signal enters: text cleaning, codes, rounds."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from wijkapp.extensions import db
from wijkapp.models import Partnership, Round, Signal, Source
from wijkapp.services.codes import ALPHABET, new_location_code, new_receipt_code, normalise_receipt_code
from wijkapp.services.intake import record_signal
from wijkapp.services.rounds import round_for_date
from wijkapp.services.text import clean_text


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  Lamp kapot  ", "Lamp kapot"),
        ("a\r\nb", "a\nb"),
        ("a\n\n\n\n\nb", "a\n\nb"),
        ("nul\x00byte", "nulbyte"),
        ("rechts\u202eom", "rechtsom"),
        ("Cafe\u0301", "Café"),          # NFC: combining accent joined
        ("👩‍👧 buurt", "👩‍👧 buurt"),  # zero-width joiner inside an emoji survives
        ("{{7*7}}", "{{7*7}}"),
        (None, ""),
    ],
)
def test_clean_text(raw, clean):
    assert clean_text(raw) == clean


def test_single_line_collapses_whitespace():
    assert clean_text("  Buurthuis\n De   Schakel ", single_line=True) == "Buurthuis De Schakel"


def test_codes_use_an_unambiguous_alphabet():
    for code in (new_receipt_code() for _ in range(200)):
        assert len(code) == 8 and set(code) <= set(ALPHABET)
    assert not set("IL0O1") & set(ALPHABET)
    assert len(new_location_code()) == 6


@pytest.mark.parametrize(
    ("typed", "normal"),
    [("k7m2-qx4p", "K7M2QX4P"), (" K7M2 QX4P ", "K7M2QX4P"), ("K7M2QX4", ""), ("K7M2QX40", ""), ("", "")],
)
def test_receipt_codes_are_read_as_people_type_them(typed, normal):
    assert normalise_receipt_code(typed) == normal


def test_first_signal_opens_round_one(app, make):
    partnership = make.partnership()
    with app.app_context():
        p = db.session.get(Partnership, partnership.id)
        first = round_for_date(p, date(2026, 11, 1))
        assert (first.number, first.starts_on) == (1, date(2026, 11, 1))
        assert round_for_date(p, date(2026, 12, 1)).id == first.id


def test_signal_falls_in_the_round_it_arrives_in(app, make):
    partnership = make.partnership()
    with app.app_context():
        db.session.add_all([
            Round(partnership_id=partnership.id, number=1, starts_on=date(2026, 9, 1)),
            Round(partnership_id=partnership.id, number=2, starts_on=date(2026, 10, 13)),
        ])
        db.session.commit()
        p = db.session.get(Partnership, partnership.id)
        early = record_signal(p, "voor de eerste ronde", Source.RESIDENT_QR, created_at=datetime(2026, 8, 1))
        late_first = record_signal(p, "eind ronde 1", Source.RESIDENT_QR, created_at=datetime(2026, 10, 12, 23, 59))
        second = record_signal(p, "begin ronde 2", Source.RESIDENT_QR, created_at=datetime(2026, 10, 13, 0, 1))
        db.session.commit()
        numbers = {s.text: s.round.number for s in db.session.scalars(db.select(Signal))}
    assert numbers == {"voor de eerste ronde": 1, "eind ronde 1": 1, "begin ronde 2": 2}
    assert early.form == "A" and late_first.receipt_code != second.receipt_code
