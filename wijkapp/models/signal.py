from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wijkapp.extensions import db
from wijkapp.models.base import utcnow


class Source(str, enum.Enum):
    RESIDENT_QR = "resident_qr"
    HOST_CONVERSATION = "host_conversation"
    PROFESSIONAL_MICRO = "professional_micro"
    PANEL_SESSION = "panel_session"
    ERVARINGSDESKUNDIGE = "ervaringsdeskundige"

    @property
    def label(self) -> str:
        return SOURCE_LABELS[self]


SOURCE_LABELS = {
    Source.RESIDENT_QR: "Bewoner via QR-code",
    Source.HOST_CONVERSATION: "Buurtgesprek",
    Source.PROFESSIONAL_MICRO: "Micro-uitvraag",
    Source.PANEL_SESSION: "Wijkpanel / thema-sessie",
    Source.ERVARINGSDESKUNDIGE: "Ervaringsdeskundige",
}


class Form(str, enum.Enum):
    """The toolkit's participation forms A–D."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"

    @property
    def label(self) -> str:
        return FORM_LABELS[self]


FORM_LABELS = {
    Form.A: "A · Buurtgesprekken",
    Form.B: "B · Micro-uitvraag via professionals",
    Form.C: "C · Wijkpanel en thema-sessies",
    Form.D: "D · Ervaringsdeskundige",
}

FORM_OF_SOURCE = {
    Source.RESIDENT_QR: Form.A,
    Source.HOST_CONVERSATION: Form.A,
    Source.PROFESSIONAL_MICRO: Form.B,
    Source.PANEL_SESSION: Form.C,
    Source.ERVARINGSDESKUNDIGE: Form.D,
}


class Conversation(db.Model):
    """A host's buurtgesprek: one place, one day, many short signals."""

    __tablename__ = "conversation"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id"), index=True)
    host_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    location_id: Mapped[int | None] = mapped_column(ForeignKey("location.id"), nullable=True)
    place: Mapped[str] = mapped_column(String(120), default="")
    held_on: Mapped[date] = mapped_column(Date)
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    people_spoken: Mapped[int | None] = mapped_column(Integer, nullable=True)

    host = relationship("User")
    location = relationship("Location")
    signals: Mapped[list[Signal]] = relationship(back_populates="conversation", order_by="Signal.id")

    @property
    def place_label(self) -> str:
        return self.location.name if self.location else self.place

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class PanelSession(db.Model):
    """A wijkpanel meeting or theme session; attendees are counted, never named."""

    __tablename__ = "panel_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    kind: Mapped[str] = mapped_column(String(10), default="panel")  # "panel" or "theme"
    topic: Mapped[str] = mapped_column(String(120))
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id"), nullable=True)
    held_on: Mapped[date] = mapped_column(Date)
    core_attendees: Mapped[int] = mapped_column(Integer, default=0)
    extra_attendees: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    theme = relationship("Theme")
    signals: Mapped[list[Signal]] = relationship(back_populates="panel_session", order_by="Signal.id")

    @property
    def kind_label(self) -> str:
        return "Thema-sessie" if self.kind == "theme" else "Wijkpanel"


class Bundle(db.Model):
    """A named group of signals within one partnership; lives across rounds."""

    __tablename__ = "bundle"
    __table_args__ = (Index("ix_bundle_partnership_merged", "partnership_id", "merged_into_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id"), nullable=True)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("bundle.id"), nullable=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    # Optimistic lock: every change to the bundle raises the version, so a form built on an older
    # version, or a concurrent request, cannot apply. Changes to its signals raise it too (the
    # flush hook in services.ranking, which also uses it to recount only changed bundles).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    theme = relationship("Theme")
    merged_into: Mapped[Bundle | None] = relationship(remote_side=[id])
    signals: Mapped[list[Signal]] = relationship(back_populates="bundle")

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None


class Signal(db.Model):
    """One short thing heard in the neighbourhood."""

    __tablename__ = "signal"
    __table_args__ = (
        Index("ix_signal_partnership_round", "partnership_id", "round_id"),
        Index("ix_signal_partnership_created", "partnership_id", "created_at"),
        Index("ix_signal_bundle", "bundle_id"),
        # Covering index of the top-3 page: the ranking, the per-round counts and the unbundled
        # count are read from the index alone, without a row lookup per signal (bench/top3.py).
        Index("ix_signal_partnership_bundle_created", "partnership_id", "bundle_id", "created_at", "round_id",
              "source", "form", "location_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id"))
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"))
    text: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(30))
    form: Mapped[str] = mapped_column(String(1))
    location_id: Mapped[int | None] = mapped_column(ForeignKey("location.id"), nullable=True, index=True)
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id"), nullable=True)
    conversation_id: Mapped[int | None] = mapped_column(ForeignKey("conversation.id"), nullable=True, index=True)
    panel_session_id: Mapped[int | None] = mapped_column(ForeignKey("panel_session.id"), nullable=True)
    # Micro-survey answers keep which of the two questions (1 or 2) and its wording at that time.
    micro_question: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    micro_question_text: Mapped[str] = mapped_column(String(200), default="")
    bundle_id: Mapped[int | None] = mapped_column(ForeignKey("bundle.id"), nullable=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    receipt_code: Mapped[str] = mapped_column(String(12), unique=True)
    # One token per rendered public form: a double tap or a resend maps to the same signal.
    submission_token: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)

    partnership = relationship("Partnership")
    round = relationship("Round")
    location = relationship("Location")
    theme = relationship("Theme")
    conversation: Mapped[Conversation | None] = relationship(back_populates="signals")
    panel_session: Mapped[PanelSession | None] = relationship(back_populates="signals")
    bundle: Mapped[Bundle | None] = relationship(back_populates="signals")
    created_by = relationship("User")
    contact: Mapped[ResidentContact | None] = relationship(
        back_populates="signal", uselist=False, cascade="all, delete-orphan"
    )

    @property
    def source_enum(self) -> Source:
        return Source(self.source)

    @property
    def form_enum(self) -> Form:
        return Form(self.form)


class ResidentContact(db.Model):
    """Contact details a resident chose to leave, kept apart from the signal text."""

    __tablename__ = "resident_contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    signal_id: Mapped[int] = mapped_column(ForeignKey("signal.id"), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    purpose: Mapped[str] = mapped_column(String(200))
    consent_version: Mapped[str] = mapped_column(String(20))
    consented_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Set by the feedback notifier when the resident's one message went out; retention counts from here.
    feedback_sent_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    signal: Mapped[Signal] = relationship(back_populates="contact")
