"""People without an account: the contact at the municipality who owns an action, the GP assistant
who answers the two questions. They have a row in `user_account` (one person, one row, whatever
they do) but no password and no membership; they reach their one page through a personal link."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Integer, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wijkapp.extensions import db
from wijkapp.models.base import utcnow


class Contact(db.Model):
    """A named person the partnership works with (name, organisation, e-mail), without a login."""

    __tablename__ = "contact"
    __table_args__ = (UniqueConstraint("partnership_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    organisation: Mapped[str] = mapped_column(String(120), default="")
    # Mailed a personal link to the two micro-survey questions whenever a round opens.
    gets_micro_survey: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Removed contacts keep their row: their name stays on the actions and log lines they wrote.
    removed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    user = relationship("User", foreign_keys=[user_id])

    @property
    def label(self) -> str:
        name = self.user.display_name
        return f"{name} ({self.organisation})" if self.organisation else name


class LinkPurpose:
    ACTION = "action"              # one action: read it, update its status, add to its log
    MICRO_SURVEY = "micro_survey"  # the partnership's two questions, for one round


class PersonalLink(db.Model):
    """An unguessable link that opens one page for one person, without a password.

    Only the token's SHA-256 is stored. An action link ends when the action closes or the person
    is no longer on it; a micro-survey link when the next round starts; either when revoked.
    """

    __tablename__ = "personal_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    action_id: Mapped[int | None] = mapped_column(ForeignKey("action.id"), nullable=True, index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("round.id"), nullable=True, index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    use_count: Mapped[int] = mapped_column(Integer, default=0)

    partnership = relationship("Partnership")
    user = relationship("User", foreign_keys=[user_id])
    action = relationship("Action")
    round = relationship("Round")


# Partners of an action who are people in Wijkapp (members or contacts); organisations without a
# person stay in the free-text `action.partners`.
action_partner = Table(
    "action_partner",
    db.metadata,
    Column("action_id", ForeignKey("action.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("user_account.id"), primary_key=True),
)
