from __future__ import annotations

from wijkapp.extensions import db
from wijkapp.models import AuditEvent, Partnership, User


def record(partnership: Partnership, user: User | None, action: str, obj=None, detail: str = "") -> AuditEvent:
    event = AuditEvent(
        partnership_id=partnership.id,
        user_id=user.id if user is not None and getattr(user, "is_authenticated", False) else None,
        action=action,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=getattr(obj, "id", None),
        detail=detail,
    )
    db.session.add(event)
    return event
