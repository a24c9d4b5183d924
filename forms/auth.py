from __future__ import annotations

from wtforms import EmailField, PasswordField, ValidationError
from wtforms.validators import DataRequired, Email, EqualTo

from forms.common import BaseForm, line_field
from wijkapp.services.passwords import MIN_LENGTH as PASSWORD_MIN_LENGTH
from wijkapp.services.passwords import password_problem
from wijkapp.services.text import clean_text


def _email(value):
    # clean_text drops NUL too: PostgreSQL refuses it in a query with an error, not "no match".
    return clean_text(value, single_line=True).lower() if isinstance(value, str) else value


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
