"""The partnership's team: invitations, roles, leaving, and password resets.

Tokens for invitations and resets are 32 random bytes; only their SHA-256 is stored, so a copy of
the database or a backup cannot be used to join a partnership or take over an account.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app

from wijkapp.extensions import db
from wijkapp.models import Action, Contact, Invitation, Membership, OutboxMessage, Partnership, PasswordReset, Role, User
from wijkapp.models.base import utcnow
from wijkapp.services import accounts, audit
from wijkapp.services.actions import OPEN_STATUSES
from wijkapp.services.links import public_url

INVITATION_VALID = timedelta(days=7)
RESET_VALID = timedelta(hours=1)


class TeamError(Exception):
    """A change the team rules refuse; the message is shown to the coordinator as it is."""


class StaleRoles(TeamError):
    """Someone else changed this person's roles since the form was opened."""


def new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def mail_configured() -> bool:
    return bool(current_app.config.get("SMTP_HOST"))


def queue_mail(partnership_id: int | None, to: str, subject: str, body: str) -> None:
    db.session.add(OutboxMessage(partnership_id=partnership_id, to_address=to, subject=subject, body=body))


# --- members -----------------------------------------------------------------------------------

@dataclass
class Member:
    user: User
    roles: list[Role]

    @property
    def roles_stamp(self) -> str:
        """What the edit form was built on: compared on save to spot a colleague's change."""
        return roles_stamp(self.roles)


def roles_stamp(roles) -> str:
    return ",".join(sorted(Role(r).value for r in roles))


def members(partnership: Partnership) -> list[Member]:
    rows = db.session.execute(
        db.select(User, Membership.role).join(Membership, Membership.user_id == User.id)
        .where(Membership.partnership_id == partnership.id)
        .order_by(db.func.lower(User.name), User.email, Membership.role)
    ).all()
    found: dict[int, Member] = {}
    for user, role in rows:
        found.setdefault(user.id, Member(user, [])).roles.append(Role(role))
    for member in found.values():
        member.roles.sort(key=list(Role).index)
    return list(found.values())


def member(partnership: Partnership, user_id: int) -> Member | None:
    return next((m for m in members(partnership) if m.user.id == user_id), None)


def _coordinator_count(partnership: Partnership) -> int:
    return db.session.scalar(
        db.select(db.func.count(Membership.id)).join(User, User.id == Membership.user_id)
        .where(Membership.partnership_id == partnership.id, Membership.role == Role.COORDINATOR.value,
               User.active.is_(True))
    )


def _memberships(partnership: Partnership, user: User) -> list[Membership]:
    # FOR UPDATE: two coordinators changing one person at once are served one after the other.
    return list(db.session.scalars(
        db.select(Membership).where(Membership.partnership_id == partnership.id, Membership.user_id == user.id)
        .with_for_update()
    ))


LAST_COORDINATOR = ("Een wijkverband heeft altijd minstens één coördinator. Maak eerst iemand anders "
                    "coördinator.")


def change_roles(partnership: Partnership, user: User, roles: list[Role], based_on: str, by: User) -> None:
    held = _memberships(partnership, user)
    if roles_stamp(m.role for m in held) != based_on:
        raise StaleRoles(f"Iemand anders heeft de rollen van {user.display_name} net gewijzigd. "
                         "Kijk wat er nu staat en kies opnieuw.")
    if not roles:
        raise TeamError("Kies minstens één rol. Wil je iemand uit het team halen? Gebruik dan ‘Uit het team halen’.")
    wanted = {r.value for r in roles}
    had = {m.role for m in held}
    if Role.COORDINATOR.value in had - wanted and _coordinator_count(partnership) <= 1:
        raise TeamError(LAST_COORDINATOR)
    for membership in held:
        if membership.role not in wanted:
            db.session.delete(membership)
    for role in sorted(wanted - had):
        db.session.add(Membership(user_id=user.id, partnership_id=partnership.id, role=role))
    db.session.flush()
    db.session.expire(user, ["memberships"])
    audit.record(partnership, by, "team_roles_changed", user,
                 f"{user.email}: {roles_stamp(had) or '-'} → {roles_stamp(wanted)}")


def remove_member(partnership: Partnership, user: User, by: User) -> None:
    """Leaving keeps the person's name on their signals, actions and feedback; it only ends access."""
    held = _memberships(partnership, user)
    if not held:
        raise TeamError(f"{user.display_name} is al geen lid meer van dit wijkverband.")
    if any(m.role == Role.COORDINATOR.value for m in held) and _coordinator_count(partnership) <= 1:
        raise TeamError(LAST_COORDINATOR)
    for membership in held:
        db.session.delete(membership)
    # The signed cookie cannot be taken back; a new token ends every open session at once.
    user.end_sessions()
    db.session.flush()
    db.session.expire(user, ["memberships"])
    audit.record(partnership, by, "team_member_removed", user, user.email)


def departed_owner_actions(partnership: Partnership) -> list[Action]:
    """Open actions whose owner is no longer in the team nor a contact: "eigenaar vertrokken"."""
    in_team = db.select(Membership.user_id).where(Membership.partnership_id == partnership.id).union(
        db.select(Contact.user_id).where(Contact.partnership_id == partnership.id, Contact.removed_at.is_(None)))
    return list(db.session.scalars(
        db.select(Action).where(Action.partnership_id == partnership.id, Action.status.in_(OPEN_STATUSES),
                                Action.owner_id.not_in(in_team))
        .order_by(Action.check_on, Action.id)
    ))


# --- invitations -------------------------------------------------------------------------------

@dataclass
class InvitationSent:
    link: str | None  # set when there is no mail server: the coordinator hands the link over
    added_existing: bool = False


def open_invitations(partnership: Partnership) -> list[Invitation]:
    """Not accepted and not revoked; expired ones stay listed (marked) so they can be resent."""
    return list(db.session.scalars(
        db.select(Invitation).where(Invitation.partnership_id == partnership.id, Invitation.accepted_at.is_(None),
                                    Invitation.revoked_at.is_(None))
        .order_by(Invitation.created_at.desc())
    ))


def _invitation_mail(invitation: Invitation, link: str, by: User) -> tuple[str, str]:
    partnership = invitation.partnership
    roles = ", ".join(Role(r).label.lower() for r in invitation.role_values)
    subject = f"Uitnodiging: doe mee met {partnership.name} in Wijkapp"
    greeting = f"Hallo {invitation.name}," if invitation.name else "Hallo,"
    body = (
        f"{greeting}\n\n"
        f"{by.display_name} nodigt je uit voor {partnership.name} in Wijkapp, als {roles}.\n\n"
        f"Kies je wachtwoord via deze link:\n{link}\n\n"
        f"De link werkt één keer en is 7 dagen geldig (tot {invitation.expires_at:%d-%m-%Y %H:%M} UTC).\n"
        "Verwachtte je deze uitnodiging niet? Dan kun je dit bericht negeren.\n"
    )
    return subject, body


def _added_mail(partnership: Partnership, user: User, roles: list[Role], by: User) -> tuple[str, str]:
    role_words = ", ".join(r.label.lower() for r in roles)
    return (f"Je bent toegevoegd aan {partnership.name} in Wijkapp",
            f"Hallo {user.display_name},\n\n{by.display_name} heeft je toegevoegd aan {partnership.name} "
            f"als {role_words}. Log in met je bestaande account:\n{public_url('auth.login')}\n")


def invite(partnership: Partnership, email: str, name: str, roles: list[Role], by: User) -> InvitationSent:
    """Invite a person. One person, one account: someone who has an account already simply gets
    the roles here too (and a message saying so), without a second password."""
    email = email.strip().lower()
    existing = accounts.user_by_email(email)
    # A contact (no password yet) is invited like anyone new: the link lets them choose one, and
    # their row, with their name on actions and log lines, becomes their account.
    if existing is not None and existing.active and existing.has_password:
        already = existing.roles_in(partnership.id)
        new_roles = [r for r in roles if r not in already]
        if not new_roles:
            raise TeamError(f"{existing.display_name} heeft deze rollen al in dit wijkverband.")
        for role in new_roles:
            accounts.grant_role(existing, partnership, role)
        subject, body = _added_mail(partnership, existing, new_roles, by)
        queue_mail(partnership.id, email, subject, body)
        audit.record(partnership, by, "team_member_added", existing,
                     f"{email}: {roles_stamp(new_roles)} (bestaand account)")
        return InvitationSent(link=None, added_existing=True)
    # A second invitation to the same address replaces the first: one open link per person.
    for old in db.session.scalars(db.select(Invitation).where(
            Invitation.partnership_id == partnership.id, Invitation.email == email,
            Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))):
        old.revoked_at = utcnow()
    token, hashed = new_token()
    invitation = Invitation(partnership_id=partnership.id, email=email, name=name, roles=roles_stamp(roles),
                            token_hash=hashed, invited_by_id=by.id, expires_at=utcnow() + INVITATION_VALID)
    db.session.add(invitation)
    db.session.flush()
    link = public_url("auth.accept_invitation", token=token)
    subject, body = _invitation_mail(invitation, link, by)
    queue_mail(partnership.id, email, subject, body)
    audit.record(partnership, by, "team_invited", invitation, f"{email}: {invitation.roles}")
    return InvitationSent(link=None if mail_configured() else link)


def resend(invitation: Invitation, by: User) -> InvitationSent:
    """A new link with a new 7 days; the old link stops working."""
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise TeamError("Deze uitnodiging is al gebruikt of ingetrokken.")
    token, invitation.token_hash = new_token()
    invitation.expires_at = utcnow() + INVITATION_VALID
    invitation.sent_count += 1
    link = public_url("auth.accept_invitation", token=token)
    subject, body = _invitation_mail(invitation, link, by)
    queue_mail(invitation.partnership_id, invitation.email, subject, body)
    audit.record(invitation.partnership, by, "team_invitation_resent", invitation, invitation.email)
    return InvitationSent(link=None if mail_configured() else link)


def revoke(invitation: Invitation, by: User) -> None:
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = utcnow()
        audit.record(invitation.partnership, by, "team_invitation_revoked", invitation, invitation.email)


def invitation_by_token(token: str) -> Invitation | None:
    """An invitation that can still be accepted, or None (unknown, used, revoked or expired)."""
    if not token or len(token) > 100:
        return None
    invitation = db.session.scalar(db.select(Invitation).where(Invitation.token_hash == token_hash(token)))
    if invitation is None or not invitation.is_open(utcnow()):
        return None
    return invitation


def accept(invitation: Invitation, name: str, password: str) -> User:
    invitation.accepted_at = utcnow()
    user = accounts.user_by_email(invitation.email)
    if user is None:
        user = User(email=invitation.email, name=name)
        db.session.add(user)
    user.name = name or user.name
    user.active = True
    user.set_password(password)
    db.session.flush()
    for role in invitation.role_values:
        accounts.grant_role(user, invitation.partnership, Role(role))
    audit.record(invitation.partnership, user, "team_invitation_accepted", user, invitation.email)
    return user


# --- password reset ----------------------------------------------------------------------------

def request_password_reset(email: str) -> None:
    """Queue a reset link when an active account has this address; otherwise do nothing.

    The caller answers the same either way; the costly part (a token and a mail row) is cheap,
    so timing tells little, and the page never says whether the address is known.
    """
    user = accounts.user_by_email(email)
    token, hashed = new_token()  # made either way: the two answers take the same time
    if user is None or not user.active or not user.has_password:  # a contact has no password to forget
        return
    reset = PasswordReset(user_id=user.id, token_hash=hashed, expires_at=utcnow() + RESET_VALID)
    db.session.add(reset)
    link = public_url("auth.reset_password", token=token)
    queue_mail(None, user.email, "Nieuw wachtwoord kiezen voor Wijkapp",
                f"Hallo {user.display_name},\n\nJe vroeg om een nieuw wachtwoord. Kies het via deze link:\n"
                f"{link}\n\nDe link werkt één keer en is een uur geldig.\n"
                "Vroeg je niets aan? Dan kun je dit bericht negeren: je wachtwoord blijft hetzelfde.\n")


def reset_by_token(token: str) -> PasswordReset | None:
    if not token or len(token) > 100:
        return None
    reset = db.session.scalar(db.select(PasswordReset).where(PasswordReset.token_hash == token_hash(token)))
    if reset is None or reset.used_at is not None or reset.expires_at <= utcnow() or not reset.user.active:
        return None
    return reset


def use_reset(reset: PasswordReset, password: str) -> User:
    """Set the new password; every open session of the account ends (set_password renews the token),
    and every other reset link of the account stops working."""
    now = utcnow()
    user = reset.user
    user.set_password(password)
    for other in db.session.scalars(db.select(PasswordReset).where(PasswordReset.user_id == user.id,
                                                                    PasswordReset.used_at.is_(None))):
        other.used_at = now
    audit.record_for_person(user, "password_reset")
    return user


# --- own account -------------------------------------------------------------------------------

EMAIL_CHANGE_SALT = "email-change"
EMAIL_CHANGE_VALID = timedelta(hours=24)


def _email_serializer():
    from itsdangerous import URLSafeTimedSerializer

    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=EMAIL_CHANGE_SALT)


def request_email_change(user: User, new_email: str) -> str | None:
    """Mail a confirmation link to the new address; the address changes only when it is opened.

    The link names the old address too, so it works once: after the change it no longer fits.
    Returns the link when no mail server is set up (shown to the person themself)."""
    new_email = new_email.strip().lower()
    token = _email_serializer().dumps({"user": user.id, "old": user.email, "new": new_email})
    link = public_url("account.confirm_email", token=token)
    queue_mail(None, new_email, "Bevestig je nieuwe e-mailadres voor Wijkapp",
                f"Hallo {user.display_name},\n\nJe wilt voortaan inloggen met dit e-mailadres. Bevestig dat via "
                f"deze link (24 uur geldig):\n{link}\n\nVroeg je dit niet aan? Dan kun je dit bericht negeren.\n")
    return None if mail_configured() else link


class EmailChangeRefused(TeamError):
    pass


def confirm_email_change(token: str) -> User:
    from itsdangerous import BadSignature

    try:
        data = _email_serializer().loads(token, max_age=int(EMAIL_CHANGE_VALID.total_seconds()))
    except BadSignature:
        raise EmailChangeRefused("Deze link werkt niet meer.")
    user = db.session.get(User, data.get("user")) if isinstance(data, dict) and isinstance(data.get("user"), int) \
        else None
    if user is None or not user.active or user.email != data.get("old"):
        raise EmailChangeRefused("Deze link werkt niet meer.")
    if accounts.user_by_email(data["new"]) is not None:
        raise EmailChangeRefused("Er is al een account met dit e-mailadres.")
    old, user.email = user.email, data["new"]
    audit.record_for_person(user, "email_changed", f"{old} → {user.email}")
    return user
