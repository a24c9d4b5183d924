"""People without an account: the contact at the municipality who owns an action, the GP
assistant who answers the two questions.

A contact is a `user_account` row without a password or a membership, plus a `contact` row that
says which partnership works with them (and their organisation). Because they are a person like
any other, an action they own keeps working everywhere an owner is shown, and inviting them to
the team later turns that same row into an account. They reach their one page through a personal
link (services.personal_links).
"""
from __future__ import annotations

from sqlalchemy import func

from wijkapp.extensions import db
from wijkapp.models import Contact, Partnership, PersonalLink, User
from wijkapp.models.base import utcnow
from wijkapp.services import accounts, audit
from wijkapp.services.team import TeamError


class ContactError(TeamError):
    """A contact change the rules refuse; the message is shown as it is."""


def contacts(partnership: Partnership) -> list[Contact]:
    return list(db.session.scalars(
        db.select(Contact).join(User, User.id == Contact.user_id)
        .where(Contact.partnership_id == partnership.id, Contact.removed_at.is_(None))
        .order_by(func.lower(User.name), User.email)
    ))


def contact_of(partnership: Partnership, user_id: int | None) -> Contact | None:
    if not user_id:
        return None
    return db.session.scalar(db.select(Contact).where(
        Contact.partnership_id == partnership.id, Contact.user_id == user_id, Contact.removed_at.is_(None)))


def add_contact(partnership: Partnership, name: str, organisation: str, email: str, gets_micro_survey: bool,
                by: User | None) -> Contact:
    """One person, one row: an address Wijkapp knows already is that person, not a second one."""
    email = email.strip().lower()
    user = accounts.user_by_email(email)
    if user is not None and user.roles_in(partnership.id):
        raise ContactError(f"{user.display_name} zit al in het team. Kies deze persoon gewoon als eigenaar.")
    if user is None:
        user = User(email=email, name=name.strip(), password_hash="")
        db.session.add(user)
        db.session.flush()
    elif not user.has_password:
        user.name = name.strip() or user.name  # still only a contact: the coordinator's spelling wins
    contact = db.session.scalar(db.select(Contact).where(Contact.partnership_id == partnership.id,
                                                         Contact.user_id == user.id))
    if contact is not None and contact.removed_at is None:
        raise ContactError(f"{contact.user.display_name} staat al bij de contactpersonen.")
    if contact is None:
        contact = Contact(partnership_id=partnership.id, user_id=user.id, created_by_id=by.id if by is not None else None)
        db.session.add(contact)
    contact.removed_at = None
    contact.organisation = organisation.strip()
    contact.gets_micro_survey = gets_micro_survey
    db.session.flush()
    audit.record(partnership, by, "contact_added", contact, f"{email} ({contact.organisation})")
    return contact


def remove_contact(contact: Contact, by: User) -> None:
    """Their name stays on their work; every link of theirs in this partnership stops at once."""
    contact.removed_at = utcnow()
    for link in db.session.scalars(db.select(PersonalLink).where(
            PersonalLink.partnership_id == contact.partnership_id, PersonalLink.user_id == contact.user_id,
            PersonalLink.revoked_at.is_(None))):
        link.revoked_at = utcnow()
    audit.record(db.session.get(Partnership, contact.partnership_id), by, "contact_removed", contact,
                 contact.user.email)


def is_contact(partnership: Partnership, user_id: int | None) -> bool:
    return contact_of(partnership, user_id) is not None


def needs_link(partnership: Partnership, user: User) -> bool:
    """People with an account log in; a contact reaches their page only through a link."""
    return not user.has_password or not user.roles_in(partnership.id)


