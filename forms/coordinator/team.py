"""The coordinator's team page: members, invitations, contacts without an account."""
from __future__ import annotations

from wtforms import BooleanField, HiddenField, SelectMultipleField
from wtforms.validators import AnyOf, DataRequired

from forms.common import BaseForm, email_field, line_field, options
from wijkapp.models import Role

ROLE_CHOICES = options((role.value, role.label) for role in Role)


def roles_field() -> SelectMultipleField:
    return SelectMultipleField("Rollen", choices=ROLE_CHOICES,
                               validators=[DataRequired(message="Kies minstens één rol.")])


class InviteForm(BaseForm):
    name = line_field("Naam", "Vul de naam in.", 120)
    email = email_field("E-mailadres")
    roles = roles_field()


class ContactForm(BaseForm):
    """Someone the partnership works with who does not log in: they work through personal links."""

    name = line_field("Naam", "Vul de naam in.", 120)
    organisation = line_field("Organisatie (mag je overslaan)", None, 120,
                              description="Bijvoorbeeld: gemeente, woningcorporatie, huisartsenpraktijk.")
    email = email_field("E-mailadres")
    gets_micro_survey = BooleanField("Krijgt elke ronde de twee vragen per e-mail")


class MemberRolesForm(BaseForm):
    roles = roles_field()
    roles_stamp = HiddenField()  # the roles the form was built on: spots a colleague's change


class TwoStepRequirementForm(BaseForm):
    """Sets (not toggles) the requirement, so a button pressed twice does not undo itself."""

    required = HiddenField(validators=[AnyOf(["0", "1"], message="Kies aan of uit.")])
