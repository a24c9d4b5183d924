"""A signed-in person's own account: name, e-mail address, password, second login step."""
from __future__ import annotations

from wtforms import PasswordField
from wtforms.validators import DataRequired

from forms.auth import NewPasswordForm
from forms.common import BaseForm, code_field, email_field, line_field


class AccountNameForm(BaseForm):
    name = line_field("Je naam", "Vul je naam in.", 120)


class EmailChangeForm(BaseForm):
    new_email = email_field("Nieuw e-mailadres")
    current_password = PasswordField("Je huidige wachtwoord",
                                     validators=[DataRequired(message="Vul je huidige wachtwoord in.")])


class PasswordChangeForm(NewPasswordForm):
    current_password = PasswordField("Je huidige wachtwoord",
                                     validators=[DataRequired(message="Vul je huidige wachtwoord in.")])


class TwoStepEnableForm(BaseForm):
    code = code_field()


class TwoStepOffForm(BaseForm):
    current_password = PasswordField("Je huidige wachtwoord",
                                     validators=[DataRequired(message="Vul je huidige wachtwoord in.")])
    code = code_field("Code uit je app, of een herstelcode")
