"""The coordinator's team page, accepting an invitation, and choosing a new password."""
from __future__ import annotations

from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectMultipleField, StringField, ValidationError
from wtforms.validators import AnyOf, DataRequired, Email, EqualTo, Length

from forms.auth import _email
from forms.common import BaseForm, line_field, options
from wijkapp.models import Role
from wijkapp.services.passwords import MIN_LENGTH as PASSWORD_MIN_LENGTH
from wijkapp.services.passwords import password_problem

ROLE_CHOICES = options((role.value, role.label) for role in Role)


def roles_field() -> SelectMultipleField:
    return SelectMultipleField("Rollen", choices=ROLE_CHOICES,
                               validators=[DataRequired(message="Kies minstens één rol.")])


def email_field(label: str) -> EmailField:
    return EmailField(label, filters=[_email],
                      validators=[DataRequired(message="Vul het e-mailadres in."),
                                  Email(message="Dit lijkt geen e-mailadres. Controleer het, bijvoorbeeld "
                                                "naam@voorbeeld.nl.", check_deliverability=False)])


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


class NewPasswordForm(BaseForm):
    """Choosing a password: after an invitation (with a name) or a reset (without)."""

    password = PasswordField(f"Kies een wachtwoord (minimaal {PASSWORD_MIN_LENGTH} tekens)",
                             validators=[DataRequired(message="Kies een wachtwoord.")])
    password_again = PasswordField("Herhaal het wachtwoord",
                                   validators=[EqualTo("password", message="De twee wachtwoorden zijn niet gelijk.")])

    # Set by the view: the rules refuse a password made of one's own name or address.
    account_email: str = ""
    account_name: str = ""

    def validate_password(self, field):
        name = self.name.data if hasattr(self, "name") else self.account_name
        problem = password_problem(field.data or "", email=self.account_email, name=name or "")
        if problem:
            raise ValidationError(problem)


class AcceptInvitationForm(NewPasswordForm):
    name = line_field("Je naam", "Vul je naam in.", 120)


class ForgotPasswordForm(BaseForm):
    email = email_field("Je e-mailadres")


class AccountNameForm(BaseForm):
    name = line_field("Je naam", "Vul je naam in.", 120)


class EmailChangeForm(BaseForm):
    new_email = email_field("Nieuw e-mailadres")
    current_password = PasswordField("Je huidige wachtwoord",
                                     validators=[DataRequired(message="Vul je huidige wachtwoord in.")])


class PasswordChangeForm(NewPasswordForm):
    current_password = PasswordField("Je huidige wachtwoord",
                                     validators=[DataRequired(message="Vul je huidige wachtwoord in.")])


def code_field(label: str = "Code uit je app") -> StringField:
    return StringField(label, filters=[lambda v: v.strip() if isinstance(v, str) else v],
                       validators=[DataRequired(message="Vul de code van 6 cijfers uit je app in."),
                                   Length(max=40, message="Vul de code van 6 cijfers uit je app in.")])


class TwoStepLoginForm(BaseForm):
    code = code_field("Code uit je app, of een herstelcode")


class TwoStepEnableForm(BaseForm):
    code = code_field()


class TwoStepOffForm(BaseForm):
    current_password = PasswordField("Je huidige wachtwoord",
                                     validators=[DataRequired(message="Vul je huidige wachtwoord in.")])
    code = code_field("Code uit je app, of een herstelcode")


class TwoStepRequirementForm(BaseForm):
    """Sets (not toggles) the requirement, so a button pressed twice does not undo itself."""

    required = HiddenField(validators=[AnyOf(["0", "1"], message="Kies aan of uit.")])
