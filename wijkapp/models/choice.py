from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wijkapp.extensions import db
from wijkapp.models.base import utcnow


class BundleAssessment(db.Model):
    """The partnership's score of one top-5 bundle in one round: feasibility and impact, 1–5 each."""

    __tablename__ = "bundle_assessment"
    __table_args__ = (UniqueConstraint("round_id", "bundle_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), index=True)
    bundle_id: Mapped[int] = mapped_column(ForeignKey("bundle.id"))
    feasibility: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)  # haalbaarheid
    impact: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)       # impact voor inwoners
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    bundle = relationship("Bundle")


class CalendarFeed(db.Model):
    """A private .ics address. user_id None is the partnership's feed; otherwise one person's.

    The token is the only key to the feed: revoking deletes the row and makes a new token, so an
    old address answers 404.
    """

    __tablename__ = "calendar_feed"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True, index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    partnership = relationship("Partnership")
    user = relationship("User")
