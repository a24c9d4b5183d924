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


# What the audit log page shows per action; an action without a label is shown as it is stored.
ACTION_LABELS = {
    "export_signals_csv": "Signalen gedownload (CSV)",
    "privacy_export": "Gegevens bij een ontvangstcode gedownload",
    "privacy_erase": "Gegevens bij een ontvangstcode gewist",
    "privacy_settings": "Bewaartermijnen gewijzigd",
    "contact_withdrawn": "Bewoner heeft e-mailadres laten wissen",
    "retention_erase": "Contactgegevens gewist (bewaartermijn)",
}


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)
