from __future__ import annotations

import enum
import secrets
from datetime import datetime

from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from wijkapp.extensions import db
from wijkapp.models.base import utcnow


class Role(str, enum.Enum):
    COORDINATOR = "coordinator"
    HOST = "host"
    PROFESSIONAL = "professional"
    ERVARINGSDESKUNDIGE = "ervaringsdeskundige"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.COORDINATOR: "Coördinator",
    Role.HOST: "Gespreksleider",
    Role.PROFESSIONAL: "Professional",
    Role.ERVARINGSDESKUNDIGE: "Ervaringsdeskundige",
}


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # Part of the id in the signed session cookie; a new value ends every session of this person.
    session_token: Mapped[str] = mapped_column(String(64), default=lambda: secrets.token_urlsafe(32))

    # Two-step login (TOTP): the shared secret once confirmed, and the last time step used, so a
    # code seen over someone's shoulder cannot be used a second time.
    totp_secret: Mapped[str] = mapped_column(String(64), default="", server_default="")
    totp_last_step: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The instance's beheerder: creates partnerships and appoints their first coordinator. Sees
    # figures of every partnership, never its signals or people (that takes a membership there).
    is_instance_admin: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    memberships: Mapped[list[Membership]] = relationship(back_populates="user", cascade="all, delete-orphan")

    @property
    def is_active(self) -> bool:  # Flask-Login asks this
        return self.active

    @property
    def display_name(self) -> str:
        return self.name or self.email

    def get_id(self) -> str:  # Flask-Login keeps this in the session cookie
        return f"{self.id}:{self.session_token}"

    def end_sessions(self) -> None:
        self.session_token = secrets.token_urlsafe(32)

    def set_password(self, password: str) -> None:
        # scrypt (memory-hard) in production; tests may choose a cheaper method to stay fast.
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"
        self.password_hash = generate_password_hash(password, method=method)
        self.end_sessions()

    def check_password(self, password: str) -> bool:
        if not self.has_password:
            return False
        return check_password_hash(self.password_hash, password)

    @property
    def has_password(self) -> bool:
        """False for a contact: someone the partnership works with who never logs in."""
        return bool(self.password_hash)

    @property
    def has_two_step(self) -> bool:
        return bool(self.totp_secret)

    def roles_in(self, partnership_id: int) -> set[Role]:
        return {Role(m.role) for m in self.memberships if m.partnership_id == partnership_id}


class Membership(db.Model):
    """A role of one person in one partnership; a person can hold several."""

    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("user_id", "partnership_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id"), index=True)
    role: Mapped[str] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships")
    partnership = relationship("Partnership")


class RecoveryCode(db.Model):
    """A single-use code for when the phone with the authenticator app is lost; only its hash is kept."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
