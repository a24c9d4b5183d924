from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wijkapp.extensions import db
from wijkapp.models.base import utcnow


class ActionStatus(str, enum.Enum):
    PLANNED = "gepland"
    IN_PROGRESS = "bezig"
    DONE = "klaar"
    STOPPED = "gestopt"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Action(db.Model):
    """Template 2 "Van signalen naar acties": one doable action with an owner, dates and feedback.

    The numbered comments follow the template's fields.
    """

    __tablename__ = "action"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), index=True)   # round it was chosen in
    bundle_id: Mapped[int | None] = mapped_column(ForeignKey("bundle.id"), nullable=True, index=True)
    # 1. Signaal uit de wijk (wat horen of zien we? kort en concreet)
    signal_summary: Mapped[str] = mapped_column(Text, default="")
    # 2. Beoogde opbrengst voor inwoners (gewenste verandering in 1 zin)
    intended_result: Mapped[str] = mapped_column(String(300), default="")
    # 3. Actie van het hechte wijkverband (klein, concreet en uitvoerbaar)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # 4. Eigenaarschap en partners
    owner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    partners: Mapped[str] = mapped_column(Text, default="")
    # 5. Eerste stap (binnen 2 weken)
    first_step: Mapped[str] = mapped_column(Text, default="")
    first_step_on: Mapped[date] = mapped_column(Date)
    # 6. Checkmoment / evaluatie (bijv. over 6–8 weken)
    check_on: Mapped[date] = mapped_column(Date)
    # 7. Terugkoppeling aan inwoners (1 zin)
    feedback_sentence: Mapped[str] = mapped_column(String(300), default="")
    # Why this action was chosen (feasibility/impact); residents will ask.
    choice_reason: Mapped[str] = mapped_column(Text, default="")
    # Only for a third (or later) action in one round: the toolkit says 1–2, so a reason is required.
    over_limit_reason: Mapped[str] = mapped_column(Text, default="")
    feasibility: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)  # 1–5
    impact: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)       # 1–5
    # Step 4 is never forgotten: who feeds back, and when the next update is due.
    feedback_owner_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    next_update_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(20), default=ActionStatus.PLANNED.value)
    stop_reason: Mapped[str] = mapped_column(Text, default="")
    # Optimistic locking: a save based on an older version fails instead of overwriting silently.
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    round = relationship("Round")
    bundle = relationship("Bundle")
    owner = relationship("User", foreign_keys=[owner_id])
    feedback_owner = relationship("User", foreign_keys=[feedback_owner_id])
    partner_people = relationship("User", secondary="action_partner", order_by="User.name")
    updates: Mapped[list[ActionUpdate]] = relationship(
        back_populates="action", order_by="ActionUpdate.created_at.desc()", cascade="all, delete-orphan"
    )

    @property
    def partner_ids(self) -> list[int]:
        return sorted(p.id for p in self.partner_people)

    @property
    def status_enum(self) -> ActionStatus:
        return ActionStatus(self.status)


class ActionUpdate(db.Model):
    """The dated log of an action: what happened, and status changes."""

    __tablename__ = "action_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    text: Mapped[str] = mapped_column(Text, default="")
    status_from: Mapped[str] = mapped_column(String(20), default="")
    status_to: Mapped[str] = mapped_column(String(20), default="")
    # Written by someone without an account, through their personal link: the log says so.
    via_personal_link: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    action: Mapped[Action] = relationship(back_populates="updates")
    user = relationship("User")
