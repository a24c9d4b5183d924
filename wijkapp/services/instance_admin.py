"""The beheerder's view of the instance: partnerships with counts and loop figures, and a new
partnership with its first coordinator. Counts only: signal texts and people's names stay inside
each partnership, for its members."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from wijkapp.extensions import db
from wijkapp.models import Action, Invitation, Location, Membership, Partnership, Role, Round, Signal, User
from wijkapp.models.base import utcnow
from wijkapp.services import accounts, audit, setup_wizard, team
from wijkapp.services.loop_figures import LoopFigures, loop_figures


@dataclass
class PartnershipFigures:
    partnership: Partnership
    members: int
    open_invitations: int
    locations: int
    signals: int
    rounds: int
    actions: int
    loop: LoopFigures
    own_roles: set[str]  # the beheerder's own roles there: only a member opens its pages


def _count_per_partnership(column, *where) -> dict[int, int]:
    return dict(db.session.execute(
        db.select(column.table.c.partnership_id, db.func.count(db.func.distinct(column)))
        .where(*where).group_by(column.table.c.partnership_id)).all())


def overview(admin: User, today: date) -> list[PartnershipFigures]:
    members = _count_per_partnership(Membership.user_id)
    invitations = _count_per_partnership(Invitation.id, Invitation.accepted_at.is_(None),
                                         Invitation.revoked_at.is_(None), Invitation.expires_at > utcnow())
    location_counts = _count_per_partnership(Location.id)
    signals = _count_per_partnership(Signal.id)
    round_counts = _count_per_partnership(Round.id)
    action_counts = _count_per_partnership(Action.id)
    return [
        PartnershipFigures(p, members.get(p.id, 0), invitations.get(p.id, 0), location_counts.get(p.id, 0),
                           signals.get(p.id, 0), round_counts.get(p.id, 0), action_counts.get(p.id, 0),
                           loop_figures(p, today), {r.value for r in admin.roles_in(p.id)})
        for p in db.session.scalars(db.select(Partnership).order_by(Partnership.name))
    ]


def create_partnership(name: str, neighbourhood: str, coordinator_name: str, coordinator_email: str,
                       by: User) -> tuple[Partnership, team.InvitationSent]:
    """A partnership in the wizard, and its first coordinator: invited to choose a password, or,
    with an account already, given the role (team.invite decides)."""
    partnership = accounts.create_partnership(name, neighbourhood=neighbourhood)
    setup_wizard.start(partnership)
    audit.record(partnership, by, "partnership_created", partnership, f"door beheerder {by.email}")
    sent = team.invite(partnership, coordinator_email, coordinator_name, [Role.COORDINATOR], by)
    return partnership, sent
