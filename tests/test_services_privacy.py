"""Retention of residents' contact details, erasure per receipt code, and the retention command."""
from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta

import pytest

from tests.conftest import count
from wijkapp.extensions import db
from wijkapp.models import AuditEvent, Partnership, ResidentContact, Signal
from wijkapp.services import privacy
from wijkapp.services.intake import CONSENT_VERSION, ResidentContactDetails

NOW = datetime(2027, 6, 15, 12, 0)


def with_contact(make, partnership, email, created_at, feedback_sent_at=None, **kwargs) -> Signal:
    signal = make.signal(partnership, f"Signaal van {email}", created_at=created_at,
                         contact=ResidentContactDetails(email=email), **kwargs)
    if feedback_sent_at is not None:
        with make.app.app_context():
            db.session.get(Signal, signal.id).contact.feedback_sent_at = feedback_sent_at
            db.session.commit()
    return signal


def remaining_emails() -> set[str]:
    return set(db.session.scalars(db.select(ResidentContact.email)))


@pytest.mark.parametrize("moment, months, expected", [
    (datetime(2027, 6, 15, 12), 12, datetime(2026, 6, 15, 12)),
    (datetime(2027, 3, 31, 8), 1, datetime(2027, 2, 28, 8)),
    (datetime(2027, 1, 10), 1, datetime(2026, 12, 10)),
    (datetime(2028, 2, 29), 12, datetime(2027, 2, 28)),
])
def test_months_before_counts_calendar_months(moment, months, expected):
    assert privacy.months_before(moment, months) == expected


def test_retention_erases_past_either_limit_and_keeps_the_rest(app, make, ctx):
    p = make.partnership()
    with_contact(make, p, "feedback-old@example.org", NOW - timedelta(days=60), feedback_sent_at=NOW - timedelta(days=31))
    with_contact(make, p, "feedback-recent@example.org", NOW - timedelta(days=60), feedback_sent_at=NOW - timedelta(days=29))
    with_contact(make, p, "no-feedback-old@example.org", NOW - timedelta(days=400))
    with_contact(make, p, "no-feedback-young@example.org", NOW - timedelta(days=300))

    result = privacy.apply_retention(now=NOW)
    db.session.commit()

    assert (result.after_feedback, result.max_age, result.total) == (1, 1, 2)
    assert remaining_emails() == {"feedback-recent@example.org", "no-feedback-young@example.org"}
    assert count(Signal) == 4  # the signals stay, only the contact details go


def test_retention_follows_each_partnerships_own_settings(app, make, ctx):
    strict, default = make.partnership(), make.partnership()
    db.session.get(Partnership, strict.id).contact_days_after_feedback = 7
    db.session.get(Partnership, strict.id).contact_max_months = 3
    db.session.commit()
    for p, name in ((strict, "strict"), (default, "default")):
        with_contact(make, p, f"{name}-fb@example.org", NOW - timedelta(days=20), feedback_sent_at=NOW - timedelta(days=10))
        with_contact(make, p, f"{name}-age@example.org", NOW - timedelta(days=100))

    result = privacy.apply_retention(now=NOW)
    db.session.commit()

    assert result.per_partnership == {strict.slug: 2}
    assert remaining_emails() == {"default-fb@example.org", "default-age@example.org"}


def test_retention_is_idempotent_and_dry_run_changes_nothing(app, make, ctx):
    p = make.partnership()
    with_contact(make, p, "old@example.org", NOW - timedelta(days=400))

    assert privacy.apply_retention(now=NOW, dry_run=True).total == 1
    db.session.rollback()
    assert remaining_emails() == {"old@example.org"}

    assert privacy.apply_retention(now=NOW).total == 1
    db.session.commit()
    assert privacy.apply_retention(now=NOW).total == 0
    db.session.commit()
    assert remaining_emails() == set()
    assert [e.detail for e in db.session.scalars(db.select(AuditEvent))] == ["1 contactgegevens gewist"]


def test_retention_command_prints_and_logs_counts_never_addresses(app, make, runner, caplog):
    p = make.partnership(slug="noord")
    with_contact(make, p, "geheim@example.org", datetime.now() - timedelta(days=800))

    with caplog.at_level(logging.INFO, logger="wijkapp.services.privacy"):
        dry = runner.invoke(args=["retention", "--dry-run"])
        real = runner.invoke(args=["retention"])
        again = runner.invoke(args=["retention"])

    assert dry.exit_code == 0 and "zou wissen: 1" in dry.output
    assert real.exit_code == 0 and "gewist: 1" in real.output and "noord: 1" in real.output
    assert again.exit_code == 0 and "gewist: 0" in again.output
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "1 contact details erased" in logged
    assert "geheim" not in logged + real.output + dry.output
    with app.app_context():
        assert count(ResidentContact) == 0


def test_withdraw_token_names_the_signal_and_cannot_be_forged(app, make, ctx):
    p = make.partnership()
    signal = with_contact(make, p, "a@example.org", NOW)
    signal = db.session.get(Signal, signal.id)
    token = privacy.withdraw_token(signal)

    assert privacy.signal_for_withdraw_token(token).id == signal.id
    assert privacy.withdraw_url(signal).startswith("https://wijk.example.nl/privacy/withdraw/")
    assert privacy.signal_for_withdraw_token(token[:-2] + "xx") is None
    assert privacy.signal_for_withdraw_token(signal.receipt_code) is None


def test_erase_on_request_removes_contact_and_text_but_keeps_the_count(app, make, ctx):
    p = make.partnership()
    signal = db.session.get(Signal, with_contact(make, p, "a@example.org", NOW).id)

    privacy.erase_on_request(signal)
    db.session.commit()

    stored = db.session.get(Signal, signal.id)
    assert stored.text == "[verwijderd op verzoek]"
    assert stored.contact is None and count(ResidentContact) == 0
    assert stored.updated_at is not None


def test_receipt_export_holds_everything_linked_to_the_code(app, make, ctx):
    p = make.partnership()
    location = make.location(p, name="Bibliotheek")
    signal = db.session.get(Signal, with_contact(make, p, "a@example.org", NOW, location_id=location.id).id)

    data = json.loads(privacy.receipt_json(signal))
    assert data["signaal"]["tekst"] == "Signaal van a@example.org"
    assert data["signaal"]["locatie"] == "Bibliotheek"
    assert data["contactgegevens"]["e-mailadres"] == "a@example.org"
    assert data["contactgegevens"]["versie_toestemmingstekst"] == CONSENT_VERSION
    assert data["contactgegevens"]["toestemming_gegeven_utc"] == NOW.isoformat(timespec="seconds")
    csv_text = privacy.receipt_csv(signal)
    assert csv_text.startswith("\ufeffGegeven;Waarde")
    assert "contactgegevens.e-mailadres;a@example.org" in csv_text
