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


def record_for_person(user: User, action: str, detail: str = "") -> None:
    """An event about a person's own account (password, e-mail, two-step login): each partnership
    they work in keeps its own audit log, so each gets the event."""
    for partnership_id in sorted({m.partnership_id for m in user.memberships}):
        record(db.session.get(Partnership, partnership_id), user, action, user, detail)


def events_page(partnership: Partnership, page: int, per_page: int):
    """One page of the partnership's audit log, newest first (a Flask-SQLAlchemy Pagination)."""
    return db.paginate(
        db.select(AuditEvent).where(AuditEvent.partnership_id == partnership.id)
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()),
        page=page, per_page=per_page, error_out=False,
    )


# What the audit log page shows per action; an action without a label is shown as it is stored.
ACTION_LABELS = {
    "export_signals_csv": "Signalen gedownload (CSV)",
    "privacy_export": "Gegevens bij een ontvangstcode gedownload",
    "privacy_erase": "Gegevens bij een ontvangstcode gewist",
    "privacy_settings": "Bewaartermijnen gewijzigd",
    "contact_withdrawn": "Bewoner heeft e-mailadres laten wissen",
    "retention_erase": "Contactgegevens gewist (bewaartermijn)",
    "team_invited": "Iemand uitgenodigd",
    "team_invitation_resent": "Uitnodiging opnieuw gestuurd",
    "team_invitation_revoked": "Uitnodiging ingetrokken",
    "team_invitation_accepted": "Uitnodiging aangenomen",
    "team_member_added": "Bestaand account toegevoegd aan het team",
    "team_roles_changed": "Rollen gewijzigd",
    "team_member_removed": "Uit het team gehaald",
    "password_reset": "Nieuw wachtwoord via de e-maillink",
    "email_changed": "E-mailadres gewijzigd",
    "two_step_enabled": "Inloggen in twee stappen aangezet",
    "two_step_disabled": "Inloggen in twee stappen uitgezet",
    "recovery_code_used": "Ingelogd met een herstelcode",
    "two_step_required": "Inloggen in twee stappen verplicht gemaakt",
    "two_step_not_required": "Inloggen in twee stappen niet meer verplicht",
    "contact_added": "Contactpersoon zonder account toegevoegd",
    "contact_removed": "Contactpersoon weggehaald",
    "personal_link_sent": "Persoonlijke link gestuurd",
    "personal_link_revoked": "Persoonlijke link ingetrokken",
    "personal_link_used": "Persoonlijke link gebruikt",
}


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)
