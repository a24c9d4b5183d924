"""Micro-uitvraag (form B): each answer to one of the two fixed questions becomes a signal."""
from __future__ import annotations

from wijkapp.extensions import db
from wijkapp.models import Partnership, Signal, Source, User
from wijkapp.models.base import utcnow
from wijkapp.services.intake import record_signal


def record_answers(partnership: Partnership, professional: User, answers: tuple[str, str], *,
                   location_id: int | None = None, theme_id: int | None = None) -> list[Signal]:
    saved = []
    for number, (question, answer) in enumerate(zip(partnership.micro_questions, answers), start=1):
        if not answer:
            continue
        saved.append(record_signal(
            partnership, answer, Source.PROFESSIONAL_MICRO,
            location_id=location_id, theme_id=theme_id, created_by=professional,
            micro_question=number, micro_question_text=question,
        ))
    return saved


def answers_today(partnership: Partnership, professional: User) -> int:
    today = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
    return db.session.scalar(
        db.select(db.func.count(Signal.id)).where(
            Signal.partnership_id == partnership.id,
            Signal.created_by_id == professional.id,
            Signal.source == Source.PROFESSIONAL_MICRO.value,
            Signal.created_at >= today,
        )
    ) or 0
