from __future__ import annotations

from datetime import date, datetime
from uuid import uuid4

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wijkapp.extensions import db
from wijkapp.models.base import utcnow

# The privacy statement and the retention command read these; see services/privacy.py.
DEFAULT_CONTACT_DAYS_AFTER_FEEDBACK = 30
DEFAULT_CONTACT_MAX_MONTHS = 12

DEFAULT_MICRO_QUESTIONS = (
    "Wat hoor je deze maand vaak van bewoners?",
    "Wat zou het leven in de wijk voor hen makkelijker maken?",
)


class Partnership(db.Model):
    """A hecht wijkverband: one neighbourhood's standing partnership."""

    __tablename__ = "partnership"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    neighbourhood: Mapped[str] = mapped_column(String(120), default="")
    micro_question_1: Mapped[str] = mapped_column(String(200), default=DEFAULT_MICRO_QUESTIONS[0])
    micro_question_2: Mapped[str] = mapped_column(String(200), default=DEFAULT_MICRO_QUESTIONS[1])
    # How often the partnership meets: "4w", "5w", "6w" or "monthly" (services.rounds.CADENCES).
    cadence: Mapped[str] = mapped_column(String(10), default="6w", server_default="6w")
    # Retention of residents' contact details: erased this many days after the feedback on their
    # signal was sent, and in any case this many months after the signal.
    contact_days_after_feedback: Mapped[int] = mapped_column(Integer, default=DEFAULT_CONTACT_DAYS_AFTER_FEEDBACK)
    contact_max_months: Mapped[int] = mapped_column(Integer, default=DEFAULT_CONTACT_MAX_MONTHS)
    # Where residents ask for their data or its erasure (AVG); shown in the privacy statement.
    privacy_contact: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # A fresh random value whenever a bundle or a bundled signal of this partnership changes (set by
    # services.ranking's flush hook): the key under which the top-3 ranking is cached. Random, not a
    # counter, so a value never names two different states (another database, a restored backup).
    ranking_token: Mapped[str] = mapped_column(String(32), default=lambda: uuid4().hex, server_default="")
    # Coordinators see personal data: the partnership can make a second login step required for them.
    require_two_step: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # The first-start wizard step still to do (services.setup_wizard.STEPS); empty when the wizard
    # is done or was never started (partnerships made before it, or by the CLI).
    setup_step: Mapped[str] = mapped_column(String(20), default="", server_default="")

    locations: Mapped[list[Location]] = relationship(back_populates="partnership", order_by="Location.name")
    themes: Mapped[list[Theme]] = relationship(back_populates="partnership", order_by="Theme.position")

    @property
    def micro_questions(self) -> tuple[str, str]:
        return (self.micro_question_1, self.micro_question_2)


class Location(db.Model):
    """A place with a printed QR code. `code` is printed on walls: it never changes."""

    __tablename__ = "location"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id"), index=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    partnership: Mapped[Partnership] = relationship(back_populates="locations")


class Theme(db.Model):
    __tablename__ = "theme"
    __table_args__ = (UniqueConstraint("partnership_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    position: Mapped[int] = mapped_column(Integer, default=0)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    partnership: Mapped[Partnership] = relationship(back_populates="themes")


class Round(db.Model):
    """One cycle of collect → choose → act → feed back. A round runs from starts_on until the next round starts."""

    __tablename__ = "round"
    __table_args__ = (UniqueConstraint("partnership_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    starts_on: Mapped[date] = mapped_column(Date)
    meeting_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    @property
    def label(self) -> str:
        return f"Ronde {self.number}"
