"""Buurtgesprekken: a host's conversations and the same-day correction rule."""
from __future__ import annotations

from datetime import date

from wijkapp.extensions import db
from wijkapp.models import Conversation, Partnership, Signal, User
from wijkapp.models.base import utcnow


def start_conversation(partnership: Partnership, host: User, location_id: int | None, place: str,
                       held_on: date) -> Conversation:
    conversation = Conversation(
        partnership_id=partnership.id, host_id=host.id, location_id=location_id,
        place=place if location_id is None else "", held_on=held_on,
    )
    db.session.add(conversation)
    db.session.flush()
    return conversation


def open_conversations_of(partnership: Partnership, host: User) -> list[Conversation]:
    return list(db.session.scalars(
        db.select(Conversation)
        .where(Conversation.partnership_id == partnership.id, Conversation.host_id == host.id,
               Conversation.closed_at.is_(None))
        .order_by(Conversation.started_at.desc())
    ))


def recent_closed_of(partnership: Partnership, host: User, limit: int = 10) -> list[Conversation]:
    return list(db.session.scalars(
        db.select(Conversation)
        .where(Conversation.partnership_id == partnership.id, Conversation.host_id == host.id,
               Conversation.closed_at.is_not(None))
        .order_by(Conversation.closed_at.desc())
        .limit(limit)
    ))


def can_edit(signal: Signal, user: User) -> bool:
    """Hosts correct their own entries on the day they made them; after that the record stands."""
    return signal.created_by_id == user.id and signal.created_at.date() == utcnow().date()


def editable_signal_ids(signals: list[Signal], user: User) -> set[int]:
    return {s.id for s in signals if can_edit(s, user)}
