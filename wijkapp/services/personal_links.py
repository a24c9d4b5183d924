"""Personal links: one page for one person, without a password.

The page is the action they own or work on, or the two micro-survey questions of one round.
Tokens are 32 random bytes; only their SHA-256 is stored. Every use is in the audit log.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func

from wijkapp.extensions import db
from wijkapp.models import Action, Contact, LinkPurpose, Membership, Partnership, PersonalLink, Role, Round, User
from wijkapp.models.base import utcnow
from wijkapp.services import audit, rounds
from wijkapp.services.actions import OPEN_STATUSES
from wijkapp.services.contacts import is_contact, needs_link
from wijkapp.services.links import public_url
from wijkapp.services.team import mail_configured, new_token, queue_mail, token_hash

# A micro-survey link is for one round; a round that never ends (no next round opened) still
# stops its links after this long, so a forgotten link does not work for ever.
MICRO_SURVEY_LINK_DAYS = 12 * 7


@dataclass
class LinkSent:
    person: User
    link: str | None  # set when there is no mail server: the coordinator hands the link over


def _open_links(partnership_id: int, user_id: int, **where) -> list[PersonalLink]:
    query = db.select(PersonalLink).where(PersonalLink.partnership_id == partnership_id,
                                          PersonalLink.user_id == user_id, PersonalLink.revoked_at.is_(None))
    for column, value in where.items():
        query = query.where(getattr(PersonalLink, column) == value)
    return list(db.session.scalars(query))


def _new_link(partnership: Partnership, person: User, purpose: str, by: User | None, **target) -> tuple[PersonalLink, str]:
    """A fresh link; an older link of this person for the same page stops working."""
    for old in _open_links(partnership.id, person.id, purpose=purpose, **target):
        old.revoked_at = utcnow()
    token, hashed = new_token()
    link = PersonalLink(partnership_id=partnership.id, user_id=person.id, purpose=purpose, token_hash=hashed,
                        created_by_id=by.id if by is not None else None, **target)
    db.session.add(link)
    db.session.flush()
    return link, public_url("personal.page", token=token)


def action_people(action: Action) -> list[User]:
    """Everyone on the action: owner, feedback owner and partners, each once."""
    people = {p.id: p for p in [action.owner, action.feedback_owner, *action.partner_people] if p is not None}
    return list(people.values())


def _role_on(action: Action, person: User) -> str:
    if person.id == action.owner_id:
        return "eigenaar"
    if person.id == action.feedback_owner_id:
        return "eigenaar van de terugkoppeling"
    return "partner"


def send_action_link(action: Action, person: User, by: User | None) -> LinkSent:
    partnership = db.session.get(Partnership, action.partnership_id)
    link, address = _new_link(partnership, person, LinkPurpose.ACTION, by, action_id=action.id)
    who = by.display_name if by is not None else partnership.name
    queue_mail(partnership.id, person.email, f"Je actie voor {partnership.name}: {action.title}",
               f"Hallo {person.display_name},\n\n{who} heeft je in Wijkapp gezet als {_role_on(action, person)} "
               f"van deze actie van {partnership.name}:\n\n  {action.title}\n\n"
               f"Via deze persoonlijke link zie je de actie, zet je de status en schrijf je wat er is gebeurd. "
               f"Je hebt geen wachtwoord nodig:\n{address}\n\n"
               "Deel de link niet: wie hem heeft, kan de actie bijwerken. Hij stopt als de actie klaar is.\n")
    audit.record(partnership, by, "personal_link_sent", link, f"actie {action.id} aan {person.email}")
    return LinkSent(person=person, link=None if mail_configured() else address)


def send_missing_action_links(action: Action, by: User | None) -> list[LinkSent]:
    """After choosing or editing an action: contacts on it without a working link get one; a link
    of someone no longer on it stops."""
    partnership = db.session.get(Partnership, action.partnership_id)
    on_action = {p.id for p in action_people(action)}
    for link in db.session.scalars(db.select(PersonalLink).where(
            PersonalLink.action_id == action.id, PersonalLink.revoked_at.is_(None))):
        if link.user_id not in on_action:
            link.revoked_at = utcnow()
    if action.status not in OPEN_STATUSES:
        return []
    return [send_action_link(action, person, by) for person in action_people(action)
            if needs_link(partnership, person)
            and not _open_links(partnership.id, person.id, purpose=LinkPurpose.ACTION, action_id=action.id)]


def action_links(action: Action) -> dict[int, PersonalLink]:
    """The working link of each person on the action, by person."""
    return {link.user_id: link for link in db.session.scalars(
        db.select(PersonalLink).where(PersonalLink.action_id == action.id, PersonalLink.revoked_at.is_(None))
        .order_by(PersonalLink.created_at))}


def micro_survey_people(partnership: Partnership) -> list[User]:
    """Professionals of the team and contacts who answer the two questions."""
    professionals = db.select(Membership.user_id).where(Membership.partnership_id == partnership.id,
                                                        Membership.role == Role.PROFESSIONAL.value)
    survey_contacts = db.select(Contact.user_id).where(Contact.partnership_id == partnership.id,
                                                       Contact.removed_at.is_(None), Contact.gets_micro_survey)
    return list(db.session.scalars(
        db.select(User).where(User.active.is_(True), User.id.in_(professionals) | User.id.in_(survey_contacts))
        .order_by(func.lower(User.name), User.email)))


def send_micro_survey_link(round_: Round, person: User, by: User | None) -> LinkSent:
    partnership = db.session.get(Partnership, round_.partnership_id)
    link, address = _new_link(partnership, person, LinkPurpose.MICRO_SURVEY, by, round_id=round_.id)
    first, second = partnership.micro_questions
    queue_mail(partnership.id, person.email, f"Twee vragen voor deze ronde van {partnership.name}",
               f"Hallo {person.display_name},\n\n{partnership.name} is aan {round_.label} begonnen. "
               f"Wil je de twee vaste vragen beantwoorden? Een paar woorden is genoeg.\n\n"
               f"1. {first}\n2. {second}\n\nAntwoorden kan zonder wachtwoord, via je persoonlijke link:\n"
               f"{address}\n\nDe link werkt tot de volgende ronde begint. Deel hem niet.\n")
    audit.record(partnership, by, "personal_link_sent", link, f"twee vragen {round_.label} aan {person.email}")
    return LinkSent(person=person, link=None if mail_configured() else address)


def send_micro_survey_links(round_: Round, by: User | None) -> list[LinkSent]:
    """When a round opens: everyone who answers the two questions gets this round's link."""
    partnership = db.session.get(Partnership, round_.partnership_id)
    return [send_micro_survey_link(round_, person, by) for person in micro_survey_people(partnership)]


def revoke(link: PersonalLink, by: User) -> None:
    if link.revoked_at is None:
        link.revoked_at = utcnow()
        audit.record(db.session.get(Partnership, link.partnership_id), by, "personal_link_revoked", link,
                     link.user.email)


def _still_valid(link: PersonalLink, today: date) -> bool:
    partnership = db.session.get(Partnership, link.partnership_id)
    person = link.user
    if not person.active:
        return False
    if link.purpose == LinkPurpose.ACTION:
        action = link.action
        return (action is not None and action.status in OPEN_STATUSES
                and person.id in {p.id for p in action_people(action)}
                and (is_contact(partnership, person.id) or bool(person.roles_in(partnership.id))))
    if link.purpose == LinkPurpose.MICRO_SURVEY:
        round_ = link.round
        following = rounds.next_round(round_) if round_ is not None else None
        return (round_ is not None and (following is None or following.starts_on > today)
                and link.created_at.date() + timedelta(days=MICRO_SURVEY_LINK_DAYS) >= today
                and person.id in {p.id for p in micro_survey_people(partnership)})
    return False


def link_by_token(token: str, today: date) -> PersonalLink | None:
    """A link that still opens its page, or None (unknown, revoked, or its page has ended)."""
    if not token or len(token) > 100:
        return None
    link = db.session.scalar(db.select(PersonalLink).where(PersonalLink.token_hash == token_hash(token)))
    if link is None or link.revoked_at is not None or not _still_valid(link, today):
        return None
    return link


def record_use(link: PersonalLink, what: str) -> None:
    """Every use is logged: the coordinator can see who used which link, and when."""
    link.use_count += 1
    link.last_used_at = utcnow()
    audit.record(db.session.get(Partnership, link.partnership_id), link.user, "personal_link_used", link,
                 f"{link.purpose} {link.action_id or link.round_id}: {what}")
