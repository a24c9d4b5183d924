"""Wijkpanel and theme sessions (the toolkit's form C): attendees are counted, never named."""
from __future__ import annotations

from datetime import date

from wijkapp.extensions import db
from wijkapp.models import PanelSession, Partnership, User


def record_session(partnership: Partnership, user: User, *, kind: str, topic: str, theme_id: int | None,
                   held_on: date, core_attendees: int, extra_attendees: int) -> PanelSession:
    session = PanelSession(partnership_id=partnership.id, created_by_id=user.id, kind=kind, topic=topic,
                           theme_id=theme_id, held_on=held_on, core_attendees=core_attendees,
                           extra_attendees=extra_attendees)
    db.session.add(session)
    db.session.flush()
    return session


def sessions_of(partnership: Partnership) -> list[PanelSession]:
    """The most recent first."""
    return list(db.session.scalars(db.select(PanelSession).where(PanelSession.partnership_id == partnership.id)
                                   .order_by(PanelSession.held_on.desc())))
