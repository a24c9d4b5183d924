"""Intake: every way a signal enters the app goes through `record_signal`."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError

from wijkapp.extensions import db
from wijkapp.models import FORM_OF_SOURCE, Partnership, ResidentContact, Signal, Source, User
from wijkapp.models.base import utcnow
from wijkapp.services.codes import new_receipt_code
from wijkapp.services.rounds import round_for_date

SIGNAL_MAX_LENGTH = 500
RECEIPT_CODE_ATTEMPTS = 5
# A resident unsure it worked presses Back and sends again; within this window the same words from
# the same browser at the same location are that resend, not a second signal.
RESEND_WINDOW = timedelta(minutes=30)
RESENDS_REMEMBERED = 5  # receipt codes a browser keeps in its session for this check
CONSENT_VERSION = "2026-11"
CONSENT_PURPOSE = "Bericht sturen als er nieuws is over dit signaal"


@dataclass(frozen=True)
class ResidentContactDetails:
    email: str
    purpose: str = CONSENT_PURPOSE
    consent_version: str = CONSENT_VERSION


def record_signal(
    partnership: Partnership,
    text: str,
    source: Source,
    *,
    location_id: int | None = None,
    theme_id: int | None = None,
    created_by: User | None = None,
    conversation_id: int | None = None,
    panel_session_id: int | None = None,
    micro_question: int | None = None,
    micro_question_text: str = "",
    contact: ResidentContactDetails | None = None,
    submission_token: str | None = None,
    created_at: datetime | None = None,
    receipt_code: str | None = None,
) -> Signal:
    """Add a signal (and the resident's contact, if consented) and flush. The caller commits.

    Without `receipt_code` an unused one is looked up first; a caller that passes its own must be
    inside a savepoint and retry on IntegrityError (see `record_signal_once`)."""
    created_at = created_at or utcnow()
    signal = Signal(
        partnership_id=partnership.id,
        round_id=round_for_date(partnership, created_at.date()).id,
        text=text,
        source=source.value,
        form=FORM_OF_SOURCE[source].value,
        location_id=location_id,
        theme_id=theme_id,
        created_by_id=created_by.id if created_by else None,
        conversation_id=conversation_id,
        panel_session_id=panel_session_id,
        micro_question=micro_question,
        micro_question_text=micro_question_text,
        created_at=created_at,
        receipt_code=receipt_code or _unused_receipt_code(),
        submission_token=submission_token,
    )
    if contact is not None:
        signal.contact = ResidentContact(
            email=contact.email,
            purpose=contact.purpose,
            consent_version=contact.consent_version,
            consented_at=created_at,
        )
    db.session.add(signal)
    db.session.flush()
    return signal


def record_signal_once(partnership: Partnership, text: str, source: Source, submission_token: str,
                       **kwargs) -> Signal:
    """A double tap or a resend of the same rendered form gives back the first signal: the resident
    form, a host's and a panel's quick entry.

    The unique indexes are the guards, not a SELECT before the insert (this is the busiest write
    of the app): a clash on the submission token means this form was already sent, so the first
    signal is returned; a clash on the receipt code (about 1 in 10^11 per pair of codes) is
    retried with a new code. Two concurrent posts of one form cannot both insert. An empty token
    (a hand-made post) is no token: the signal is simply stored.
    """
    if not submission_token:
        return record_signal(partnership, text, source, **kwargs)
    for _attempt in range(RECEIPT_CODE_ATTEMPTS):
        try:
            with db.session.begin_nested():
                return record_signal(partnership, text, source, submission_token=submission_token,
                                     receipt_code=new_receipt_code(), **kwargs)
        except IntegrityError:
            existing = signal_for_submission(submission_token)
            if existing is not None:
                return existing
    raise RuntimeError("No unused receipt code found")  # astronomically unlikely: let it be a 500


def same_words(first: str, second: str) -> bool:
    """The same text up to case and spacing: what a resend after Back looks like."""
    return " ".join(first.split()).casefold() == " ".join(second.split()).casefold()


def earlier_send(receipt_codes: list[str], location_id: int, text: str, now: datetime | None = None) -> Signal | None:
    """The signal this browser sent here with the same words in the last 30 minutes, if any.

    `receipt_codes` are the ones the browser's own session remembers, so another resident who
    writes the same words at the same place is never taken for a resend."""
    if not receipt_codes:
        return None
    since = (now or utcnow()) - RESEND_WINDOW
    recent = db.session.scalars(
        db.select(Signal).where(Signal.receipt_code.in_(receipt_codes[-RESENDS_REMEMBERED:]),
                                Signal.location_id == location_id, Signal.created_at >= since)
        .order_by(Signal.created_at.desc()))
    return next((signal for signal in recent if same_words(signal.text, text)), None)


def signals_recorded_by(partnership: Partnership, user: User, source: Source, limit: int = 20) -> list[Signal]:
    """What one person entered themselves from one source, newest first."""
    return list(db.session.scalars(
        db.select(Signal).where(Signal.partnership_id == partnership.id, Signal.created_by_id == user.id,
                                Signal.source == source.value)
        .order_by(Signal.created_at.desc()).limit(limit)))


def signal_for_submission(submission_token: str) -> Signal | None:
    return db.session.scalar(db.select(Signal).where(Signal.submission_token == submission_token))


def _unused_receipt_code() -> str:
    # 31^8 ≈ 8.5e11 codes: a clash is rare, but a clash must never reach the unique index.
    while True:
        code = new_receipt_code()
        if db.session.scalar(db.select(Signal.id).where(Signal.receipt_code == code)) is None:
            return code
