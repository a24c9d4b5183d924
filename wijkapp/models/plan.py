from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wijkapp.extensions import db
from wijkapp.models.base import utcnow


class ParticipationPlan(db.Model):
    """Template 1 "Participatieafspraken": one row per saved version, never overwritten.

    The current agreement is the highest version for (partnership, theme); theme None means the
    partnership-wide agreement.
    """

    __tablename__ = "participation_plan"
    __table_args__ = (UniqueConstraint("partnership_id", "theme_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id"), index=True)
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id"), nullable=True)
    version: Mapped[int] = mapped_column(Integer)
    # 1. Wijkvraag en doelgroep
    question: Mapped[str] = mapped_column(String(300), default="")          # probleem/vraag (1 zin)
    target_group: Mapped[str] = mapped_column(Text, default="")             # voor wie speelt dit?
    influence: Mapped[str] = mapped_column(Text, default="")                # Tool 1: waarop hebben inwoners invloed?
    # 2. Beoogde opbrengst voor inwoners
    intended_change: Mapped[str] = mapped_column(Text, default="")          # gewenste verandering (concreet)
    noticeable_when: Mapped[str] = mapped_column(String(300), default="")   # wanneer is verschil merkbaar?
    # 3. Vorm van participatie (ophalen)
    base_form: Mapped[str] = mapped_column(String(1), default="A")          # A–D
    where_when: Mapped[str] = mapped_column(Text, default="")               # waar en wanneer?
    organiser: Mapped[str] = mapped_column(String(200), default="")         # wie organiseert?
    # 4. Doorwerking in het hechte wijkverband
    agenda_moment: Mapped[str] = mapped_column(String(300), default="")     # wanneer agenderen?
    decider: Mapped[str] = mapped_column(String(300), default="")           # wie besluit (mandaat)?
    follow_up_actions: Mapped[str] = mapped_column(Text, default="")        # welke actie(s) volgen?
    # 5. Terugkoppeling aan inwoners (verplicht)
    feedback_what: Mapped[str] = mapped_column(Text, default="")            # wat koppelen we terug?
    feedback_channel_when: Mapped[str] = mapped_column(String(300), default="")  # via welk kanaal en wanneer?
    feedback_owner: Mapped[str] = mapped_column(String(200), default="")    # wie is eigenaar?
    # Afronding: eerstvolgende stap per wijkverband (binnen 2–4 weken) en wie die oppakt
    next_step: Mapped[str] = mapped_column(Text, default="")
    next_step_owner: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    theme = relationship("Theme")
    created_by = relationship("User")
