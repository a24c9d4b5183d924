"""Messages to residents who asked to hear back: queued in an outbox, sent by `flask send-mail`.

Publishing only queues. Sending happens later (cron), with backoff, so a mail server that is down
never stops feedback from going out on the website, and nothing is lost.
"""
from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app

from wijkapp.extensions import db
from wijkapp.models import Action, Feedback, OutboxMessage, Partnership, ResidentContact, Signal
from wijkapp.models.base import utcnow
from wijkapp.services.links import public_url

MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=5)
LONGEST_WAIT = timedelta(hours=12)


# ---------------------------------------------------------------- the withdraw link


def withdraw_url(contact: ResidentContact) -> str:
    """The link in every message that withdraws consent and erases the contact details at once.
    The token scheme and the route live in services/privacy.py: one place for both."""
    from wijkapp.services import privacy

    return privacy.withdraw_url(contact.signal)


def forget_messages_of(contact_id: int) -> None:
    """Consent withdrawn: messages not yet sent go; sent ones lose the address they went to."""
    for message in db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.contact_id == contact_id)):
        if message.sent_at is None:
            db.session.delete(message)
        else:
            message.contact_id = None
            message.to_address = ""


# ---------------------------------------------------------------- queueing


def _status_words(actions: list[Action]) -> list[str]:
    from wijkapp.services.feedback import STATUS_LABELS

    return [f"- {a.title} ({STATUS_LABELS.get(a.status, a.status).lower()})" for a in actions]


def message_for(contact: ResidentContact, feedback: Feedback) -> tuple[str, str]:
    from wijkapp.services.feedback import bundle_family, resolve_bundle

    signal = contact.signal
    partnership = db.session.get(Partnership, feedback.partnership_id)
    bundle = resolve_bundle(signal.bundle)
    lines = [
        "Hallo,",
        "",
        f"Je gaf een signaal aan {partnership.name}. Je vroeg om een bericht als er nieuws is. Dat is er nu.",
        "",
    ]
    if bundle is not None:
        actions = list(db.session.scalars(
            db.select(Action).where(Action.bundle_id.in_(bundle_family(bundle))).order_by(Action.id)))
        lines.append(f"Je signaal hoort bij het onderwerp: {bundle.name}.")
        if actions:
            lines += ["Hier gaat het wijkverband mee aan de slag:", *_status_words(actions)]
        else:
            lines.append("Dit onderwerp is deze ronde niet gekozen. Op de website lees je waarom.")
        lines.append("")
    lines += [
        "Lees wat we hoorden en wat we doen:",
        public_url("feedback.receipt_status", code=signal.receipt_code),
        "",
        "Wil je geen berichten meer? Via deze link wissen we meteen je e-mailadres:",
        withdraw_url(contact),
        "",
        "Groet,",
        partnership.name,
    ]
    return f"Nieuws over je signaal – {partnership.name}", "\n".join(lines)


def queue_for_feedback(feedback: Feedback) -> int:
    """One message per consenting resident whose signal's bundle this version speaks about."""
    from wijkapp.services.feedback import bundle_family

    bundle_ids: set[int] = set()
    for bundle in feedback.bundles:
        bundle_ids.update(bundle_family(bundle))
    if not bundle_ids:
        return 0
    contacts = db.session.scalars(
        db.select(ResidentContact).join(Signal, Signal.id == ResidentContact.signal_id)
        .where(Signal.partnership_id == feedback.partnership_id, Signal.bundle_id.in_(bundle_ids))
        .order_by(ResidentContact.id)
    ).all()
    for contact in contacts:
        subject, body = message_for(contact, feedback)
        db.session.add(OutboxMessage(partnership_id=feedback.partnership_id, contact_id=contact.id,
                                     feedback_id=feedback.id, to_address=contact.email, subject=subject, body=body))
    db.session.flush()
    return len(contacts)


# ---------------------------------------------------------------- sending


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    waiting: int = 0
    not_configured: bool = False


def backoff(attempts: int) -> timedelta:
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LONGEST_WAIT)


def _connect(config) -> smtplib.SMTP:
    smtp = smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=config["SMTP_TIMEOUT"])
    if config["SMTP_STARTTLS"]:
        smtp.starttls(context=ssl.create_default_context())
    if config["SMTP_USERNAME"]:
        smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
    return smtp


def _email(message: OutboxMessage, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1].strip(">") or None)
    email.set_content(message.body)
    return email


def pending(partnership_id: int | None = None, now: datetime | None = None):
    query = db.select(OutboxMessage).where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < MAX_ATTEMPTS)
    if now is not None:
        query = query.where(OutboxMessage.next_attempt_at <= now)
    if partnership_id is not None:
        query = query.where(OutboxMessage.partnership_id == partnership_id)
    return query.order_by(OutboxMessage.id)


def unsent(partnership: Partnership) -> list[OutboxMessage]:
    """What the coordinator sees: messages not (yet) delivered, gave-up ones included."""
    return list(db.session.scalars(
        db.select(OutboxMessage).where(OutboxMessage.partnership_id == partnership.id, OutboxMessage.sent_at.is_(None))
        .order_by(OutboxMessage.created_at)
    ))


def send_pending(now: datetime | None = None, limit: int = 200, partnership_id: int | None = None) -> SendReport:
    """Send what is due. Commits after every message: a sent e-mail cannot be taken back, so its
    `sent_at` must be stored even if a later message fails."""
    config = current_app.config
    now = now or utcnow()
    report = SendReport()
    due = list(db.session.scalars(pending(partnership_id, now).limit(limit)))
    if not config.get("SMTP_HOST"):
        report.not_configured = True
        report.waiting = len(due)
        return report
    if not due:
        return report
    smtp = None
    for message in due:
        try:
            if smtp is None:
                smtp = _connect(config)
            smtp.send_message(_email(message, config["MAIL_FROM"]))
        except (OSError, smtplib.SMTPException) as error:
            message.attempts += 1
            message.last_error = f"{type(error).__name__}: {error}"[:300]
            message.next_attempt_at = now + backoff(message.attempts)
            report.failed += 1
            if smtp is not None and not isinstance(error, smtplib.SMTPRecipientsRefused):
                _quit(smtp)
                smtp = None
        else:
            message.attempts += 1
            message.sent_at = now
            message.last_error = ""
            message.to_address = ""  # delivered: no need to keep the address twice
            if message.contact_id:
                contact = db.session.get(ResidentContact, message.contact_id)
                if contact is not None:
                    contact.feedback_sent_at = now
            report.sent += 1
        db.session.commit()
    if smtp is not None:
        _quit(smtp)
    return report


def _quit(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()
