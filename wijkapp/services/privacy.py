"""Residents' personal data (AVG): retention, withdrawal by link, export and erasure per receipt code.

Contact details live only in `ResidentContact`, apart from the signal text. Erasing them means
deleting that row; the signal itself stays, because the partnership still needs what was heard.
"""
from __future__ import annotations

import csv
import io
import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import or_

from wijkapp.extensions import db
from wijkapp.models import Partnership, ResidentContact, Signal
from wijkapp.models.base import utcnow
from wijkapp.services import audit
from wijkapp.presenters import form_label, receipt, source_label
from wijkapp.services.codes import normalise_receipt_code
from wijkapp.services.links import public_url
from wijkapp.services.exports import _csv_cell as csv_cell

log = logging.getLogger(__name__)

ERASED_TEXT = "[verwijderd op verzoek]"
WITHDRAW_SALT = "wijkapp.privacy.withdraw"


# --- Retention -------------------------------------------------------------------------------

def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (the 31st becomes the month's last day)."""
    month_index = moment.year * 12 + (moment.month - 1) - months
    year, month = divmod(month_index, 12)
    month += 1
    next_month = datetime(year + month // 12, month % 12 + 1, 1)
    last_day = (next_month - datetime(year, month, 1)).days
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


def _expired(partnership: Partnership, now: datetime):
    """Conditions for contacts of one partnership that are past either retention limit."""
    after_feedback = ResidentContact.feedback_sent_at <= now - timedelta(days=partnership.contact_days_after_feedback)
    too_old = Signal.created_at <= months_before(now, partnership.contact_max_months)
    return after_feedback, too_old


@dataclass
class RetentionResult:
    after_feedback: int = 0
    max_age: int = 0
    per_partnership: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.after_feedback + self.max_age


def apply_retention(now: datetime | None = None, dry_run: bool = False) -> RetentionResult:
    """Erase every contact past its partnership's limits. Running it again erases nothing more.

    A contact past both limits counts once, under "after feedback". The caller commits.
    """
    now = now or utcnow()
    result = RetentionResult()
    for partnership in db.session.scalars(db.select(Partnership).order_by(Partnership.id)):
        after_feedback, too_old = _expired(partnership, now)
        rows = db.session.execute(
            db.select(ResidentContact.id, after_feedback)
            .join(Signal, Signal.id == ResidentContact.signal_id)
            .where(Signal.partnership_id == partnership.id, or_(after_feedback, too_old))
        ).all()
        if not rows:
            continue
        by_feedback = sum(1 for _id, feedback_done in rows if feedback_done)
        result.after_feedback += by_feedback
        result.max_age += len(rows) - by_feedback
        result.per_partnership[partnership.slug] = len(rows)
        if not dry_run:
            ids = [contact_id for contact_id, _ in rows]
            db.session.execute(db.delete(ResidentContact).where(ResidentContact.id.in_(ids)))
            audit.record(partnership, None, "retention_erase", detail=f"{len(rows)} contactgegevens gewist")
    # Counts only: an address in a log file would outlive the retention it reports on.
    log.info(
        "Retention%s: %d contact details %s (%d after feedback, %d over the maximum age) in %d partnerships",
        " (dry run)" if dry_run else "", result.total, "to erase" if dry_run else "erased",
        result.after_feedback, result.max_age, len(result.per_partnership),
    )
    db.session.flush()
    return result


# --- Withdrawal by link ----------------------------------------------------------------------

def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=WITHDRAW_SALT)


def withdraw_token(signal: Signal) -> str:
    """A link that needs no login: it names the receipt code, signed so nobody can make one up."""
    return _serializer().dumps(signal.receipt_code)


def withdraw_url(signal: Signal) -> str:
    """The absolute link for messages to residents (the feedback notifier puts it in every e-mail)."""
    return public_url("public.privacy_withdraw", token=withdraw_token(signal))


def signal_for_withdraw_token(token: str) -> Signal | None:
    try:
        code = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(code, str):
        return None
    return signal_by_receipt(code)


def erase_contact(signal: Signal) -> bool:
    """Remove the resident's contact details and any message still waiting for them; False when
    there were none (already erased)."""
    from wijkapp.services import notify

    if signal.contact is None:
        return False
    notify.forget_messages_of(signal.contact.id)
    db.session.delete(signal.contact)
    signal.contact = None
    db.session.flush()
    return True


# --- Requests per receipt code (coordinator) ---------------------------------------------------

def signal_by_receipt(typed_code: str, partnership: Partnership | None = None) -> Signal | None:
    code = normalise_receipt_code(typed_code)
    if not code:
        return None
    query = db.select(Signal).where(Signal.receipt_code == code)
    if partnership is not None:
        query = query.where(Signal.partnership_id == partnership.id)
    return db.session.scalar(query)


def _iso(value: datetime | None) -> str:
    return value.isoformat(timespec="seconds") if value else ""


def receipt_data(signal: Signal) -> dict:
    """Everything the app holds that is linked to one receipt code."""
    contact = signal.contact
    return {
        "ontvangstcode": receipt(signal.receipt_code),
        "signaal": {
            "tekst": signal.text,
            "datum_tijd_utc": _iso(signal.created_at),
            "gewijzigd_utc": _iso(signal.updated_at),
            "bron": source_label(signal.source),
            "participatievorm": form_label(signal.form),
            "locatie": signal.location.name if signal.location else "",
            "thema": signal.theme.name if signal.theme else "",
            "ronde": signal.round.number if signal.round else None,
            "bundel": signal.bundle.name if signal.bundle else "",
        },
        "contactgegevens": None if contact is None else {
            "e-mailadres": contact.email,
            "doel": contact.purpose,
            "versie_toestemmingstekst": contact.consent_version,
            "toestemming_gegeven_utc": _iso(contact.consented_at),
            "bericht_verstuurd_utc": _iso(contact.feedback_sent_at),
        },
        "niet_opgeslagen": "Geen naam, geen IP-adres en geen browsergegevens.",
    }


def receipt_json(signal: Signal) -> str:
    return json.dumps(receipt_data(signal), ensure_ascii=False, indent=2)


def receipt_csv(signal: Signal) -> str:
    """Two columns, one row per fact: opens in Excel (semicolons, BOM) and reads top to bottom."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Gegeven", "Waarde"])
    data = receipt_data(signal)
    writer.writerow(["ontvangstcode", data["ontvangstcode"]])
    for key, value in data["signaal"].items():
        writer.writerow([f"signaal.{key}", csv_cell("" if value is None else str(value))])
    for key, value in (data["contactgegevens"] or {}).items():
        writer.writerow([f"contactgegevens.{key}", csv_cell(value)])
    writer.writerow(["niet_opgeslagen", data["niet_opgeslagen"]])
    return "\ufeff" + buffer.getvalue()


def erase_on_request(signal: Signal) -> None:
    """Erase what is personal about one signal: the contact details and the words themselves.

    The row stays (counts per round and source remain right); the caller records it in the audit log.
    """
    erase_contact(signal)
    signal.text = ERASED_TEXT
    signal.updated_at = utcnow()
    db.session.flush()
