"""Two-step login with a time-based code (TOTP, RFC 6238) and single-use recovery codes."""
from __future__ import annotations

import hashlib
import hmac
import io
import secrets
import time

import pyotp
import qrcode
import qrcode.image.svg

from wijkapp.extensions import db
from wijkapp.models import RecoveryCode, Role, User
from wijkapp.models.base import utcnow
from wijkapp.services import audit

ISSUER = "Wijkapp"
RECOVERY_CODES = 10
STEP_SECONDS = 30


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, user: User) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    svg = svg[svg.index("<svg"):]  # inline in the page: no XML declaration
    return svg.replace("<svg ", '<svg role="img" aria-label="QR-code om in je app te scannen" ', 1)


def _clean(code: str) -> str:
    return "".join(ch for ch in (code or "") if ch.isascii() and ch.isalnum()).lower()


def _matching_step(secret: str, code: str, now: float | None = None) -> int | None:
    """The time step this code belongs to (one step of clock drift either way), or None."""
    code = _clean(code)
    if not (code.isdigit() and len(code) == 6):
        return None
    now = time.time() if now is None else now
    totp = pyotp.TOTP(secret)
    current = int(now // STEP_SECONDS)
    for step in (current, current - 1, current + 1):
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def code_fits(secret: str, code: str) -> bool:
    return _matching_step(secret, code) is not None


def _hash(code: str) -> str:
    return hashlib.sha256(_clean(code).encode()).hexdigest()


def enable(user: User, secret: str, code: str) -> list[str] | None:
    """Switch two-step login on when the first code fits; returns the recovery codes (shown once)."""
    step = _matching_step(secret, code)
    if step is None:
        return None
    user.totp_secret, user.totp_last_step = secret, step
    codes = new_recovery_codes(user)
    audit.record_for_person(user, "two_step_enabled")
    return codes


def new_recovery_codes(user: User) -> list[str]:
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(c)) for c in codes)
    return codes


def disable(user: User) -> None:
    user.totp_secret, user.totp_last_step = "", 0
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    audit.record_for_person(user, "two_step_disabled")


def verify(user: User, code: str) -> bool:
    """A fresh code from the app, or an unused recovery code (then used up). A code whose time step
    was used already is refused: it may have been seen."""
    step = _matching_step(user.totp_secret, code)
    if step is not None:
        if step <= user.totp_last_step:
            return False
        user.totp_last_step = step
        return True
    recovery = db.session.scalar(db.select(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _hash(code), RecoveryCode.used_at.is_(None)))
    if recovery is None:
        return False
    recovery.used_at = utcnow()
    audit.record_for_person(user, "recovery_code_used")
    return True


def unused_recovery_codes(user: User) -> int:
    return db.session.scalar(db.select(db.func.count(RecoveryCode.id)).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)))


def required_for(user: User) -> bool:
    """Does a partnership of this person require a second step for its coordinators?"""
    return any(m.role == Role.COORDINATOR.value and m.partnership.require_two_step for m in user.memberships)

