from __future__ import annotations

import hashlib
from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wijkapp.extensions import db
from wijkapp.models.base import utcnow

REVIEW_NONE = ""
REVIEW_APPROVED = "approved"
REVIEW_RETURNED = "returned"


class Feedback(db.Model):
    """Template 3 "Terugkoppeling aan inwoners" for one round.

    Each round has one working draft (`published_at` is None) and any number of published
    versions (1, 2, …). Publishing copies the draft into a new row: history is never overwritten.
    """

    __tablename__ = "feedback"
    __table_args__ = (UniqueConstraint("round_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=0)  # 0 = the draft
    # 1. Dit hoorden we in de wijk
    heard: Mapped[str] = mapped_column(Text, default="")
    # 2. Dit hebben we gedaan / gaan we doen (actie + planning)
    done: Mapped[str] = mapped_column(Text, default="")
    # 3. Dit lukt (nog) niet — en waarom
    not_possible: Mapped[str] = mapped_column(Text, default="")
    # 4. Volgende update: wanneer en via welk kanaal
    next_update_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    next_update_channel: Mapped[str] = mapped_column(String(200), default="")
    # 5. Contact / meedoen
    contact: Mapped[str] = mapped_column(Text, default="")
    # The ervaringsdeskundige's review holds for exactly the text that was reviewed.
    review_status: Mapped[str] = mapped_column(String(20), default=REVIEW_NONE)
    review_comment: Mapped[str] = mapped_column(Text, default="")
    review_hash: Mapped[str] = mapped_column(String(64), default="")
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # Set on published versions only.
    was_reviewed: Mapped[bool] = mapped_column(Boolean, default=False)
    published_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True, index=True)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    round = relationship("Round")
    reviewed_by = relationship("User", foreign_keys=[reviewed_by_id])
    published_by = relationship("User", foreign_keys=[published_by_id])
    bundles = relationship("Bundle", secondary="feedback_bundle", order_by="Bundle.name")

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def content_hash(self) -> str:
        parts = [self.heard, self.done, self.not_possible, str(self.next_update_on or ""),
                 self.next_update_channel, self.contact]
        return hashlib.sha256("\x1f".join(p or "" for p in parts).encode()).hexdigest()

    @property
    def is_approved(self) -> bool:
        return self.review_status == REVIEW_APPROVED and self.review_hash == self.content_hash()

    @property
    def is_returned(self) -> bool:
        return self.review_status == REVIEW_RETURNED


class FeedbackBundle(db.Model):
    """Which bundles a published version speaks about: who gets a message, and the loop figures."""

    __tablename__ = "feedback_bundle"

    feedback_id: Mapped[int] = mapped_column(ForeignKey("feedback.id"), primary_key=True)
    bundle_id: Mapped[int] = mapped_column(ForeignKey("bundle.id"), primary_key=True, index=True)


class PlainWord(db.Model):
    """A partnership's own addition to the shipped officialese list: word → plainer alternative."""

    __tablename__ = "plain_word"
    __table_args__ = (UniqueConstraint("partnership_id", "word"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id"), index=True)
    word: Mapped[str] = mapped_column(String(80))
    alternative: Mapped[str] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ReceiptLookup(db.Model):
    """One look-up of a receipt code that exists. Counted for the loop figures; no address stored."""

    __tablename__ = "receipt_lookup"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), index=True)  # the signal's round
    looked_up_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class OutboxMessage(db.Model):
    """A message waiting to be sent. Publishing only queues; `flask send-mail` delivers and retries."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Empty for mail to a person rather than a partnership (a password reset).
    partnership_id: Mapped[int | None] = mapped_column(ForeignKey("partnership.id"), index=True, nullable=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("resident_contact.id", ondelete="SET NULL"),
                                                   nullable=True, index=True)
    feedback_id: Mapped[int | None] = mapped_column(ForeignKey("feedback.id"), nullable=True)
    to_address: Mapped[str] = mapped_column(String(254), default="")  # emptied once sent
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(String(300), default="")
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
