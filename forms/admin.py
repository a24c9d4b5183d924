"""The beheerder of the instance (not of one partnership)."""
from __future__ import annotations

from forms.auth import SetupForm
from forms.common import BaseForm
from forms.coordinator.team import InviteForm


class NewPartnershipForm(BaseForm):
    """The beheerder: a partnership and the person who becomes its first coordinator."""

    partnership_name = SetupForm.partnership_name
    neighbourhood = SetupForm.neighbourhood
    name = InviteForm.name
    email = InviteForm.email
