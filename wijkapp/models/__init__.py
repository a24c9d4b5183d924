"""Typed SQLAlchemy models; names follow the glossary in DESIGN.md."""
from wijkapp.models.account import Membership, RecoveryCode, Role, User
from wijkapp.models.action import Action, ActionStatus, ActionUpdate
from wijkapp.models.audit import AuditEvent
from wijkapp.models.contact import Contact, LinkPurpose, PersonalLink, action_partner
from wijkapp.models.choice import BundleAssessment, CalendarFeed
from wijkapp.models.feedback import Feedback, FeedbackBundle, OutboxMessage, PlainWord, ReceiptLookup
from wijkapp.models.partnership import Location, Partnership, Round, Theme
from wijkapp.models.plan import ParticipationPlan
from wijkapp.models.team import Invitation, PasswordReset
from wijkapp.models.signal import (
    Bundle,
    Conversation,
    Form,
    PanelSession,
    ResidentContact,
    Signal,
    Source,
    FORM_OF_SOURCE,
)

__all__ = [
    "Action",
    "ActionStatus",
    "ActionUpdate",
    "ParticipationPlan",
    "AuditEvent",
    "Bundle",
    "BundleAssessment",
    "CalendarFeed",
    "Contact",
    "Conversation",
    "Feedback",
    "FeedbackBundle",
    "OutboxMessage",
    "PlainWord",
    "ReceiptLookup",
    "RecoveryCode",
    "FORM_OF_SOURCE",
    "Invitation",
    "PasswordReset",
    "Form",
    "LinkPurpose",
    "Location",
    "Membership",
    "PanelSession",
    "PersonalLink",
    "Partnership",
    "ResidentContact",
    "Role",
    "Round",
    "Signal",
    "Source",
    "Theme",
    "User",
    "action_partner",
]
