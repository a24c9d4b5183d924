"""Logging in, the first start, accepting an invitation and choosing a new password."""
from __future__ import annotations

from wtforms import EmailField, PasswordField, ValidationError
from wtforms.validators import DataRequired, Email, EqualTo

from forms.common import BaseForm, _email, code_field, email_field, line_field
from wijkapp.services.passwords import MIN_LENGTH as PASSWORD_MIN_LENGTH
from wijkapp.services.passwords import password_problem


class LoginForm(BaseForm):
    email = EmailField("E-mailadres", filters=[_email],
                       validators=[DataRequired(message="Vul je e-mailadres in.")])
    password = PasswordField("Wachtwoord", validators=[DataRequired(message="Vul je wachtwoord in.")])


class SetupForm(BaseForm):
    """First start: the first partnership and its coordinator."""

    partnership_name = line_field("Naam van het wijkverband", "Vul de naam van het wijkverband in.", 120)
    neighbourhood = line_field("Wijk of buurt", None, 120)
    name = line_field("Je naam", "Vul je naam in.", 120)
    email = EmailField("Je e-mailadres", filters=[_email],
                       validators=[DataRequired(message="Vul je e-mailadres in."),
                                   Email(message="Dit lijkt geen e-mailadres.", check_deliverability=False)])
    password = PasswordField(
        f"Kies een wachtwoord (minimaal {PASSWORD_MIN_LENGTH} tekens)",
        validators=[DataRequired(message="Kies een wachtwoord.")],
    )
    password_again = PasswordField(
        "Herhaal het wachtwoord",
        validators=[EqualTo("password", message="De twee wachtwoorden zijn niet gelijk.")],
    )

    def validate_password(self, field):
        problem = password_problem(field.data or "", email=self.email.data, name=self.name.data)
        if problem:
            raise ValidationError(problem)


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


class TwoStepLoginForm(BaseForm):
    code = code_field("Code uit je app, of een herstelcode")
