from __future__ import annotations

from wtforms import BooleanField, StringField
from wtforms.validators import Email, Length, Optional

from forms.common import BaseForm, optional_id_field, signal_text_field, submission_token_field


class ResidentSignalForm(BaseForm):
    text = signal_text_field(
        "Jouw signaal",
        empty_message="Schrijf eerst wat je kwijt wilt. Eén zin is genoeg.",
    )
    theme = optional_id_field("Waar gaat het over? (mag je overslaan)")
    wants_update = BooleanField("Ja, ik wil een bericht als er nieuws is over mijn signaal")
    email = StringField(
        "Je e-mailadres",
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
        validators=[Optional(), Length(max=254, message="Dit e-mailadres is te lang."),
                    Email(message="Dit lijkt geen e-mailadres. Controleer het, bijvoorbeeld naam@voorbeeld.nl.",
                          check_deliverability=False)],
    )
    # Honeypot: hidden from people (CSS and aria-hidden), filled in by simple bots.
    website = StringField("Laat dit veld leeg")
    submission_token = submission_token_field()

    def validate(self, extra_validators=None) -> bool:
        # Consent and address belong together; checked here because Optional() ends the
        # e-mail field's own chain when it is empty.
        valid = super().validate(extra_validators)
        if self.wants_update.data and not self.email.data and not self.email.errors:
            self.email.errors.append("Vul je e-mailadres in, of zet het vinkje uit.")
            valid = False
        if self.email.data and not self.wants_update.data:
            self.wants_update.errors.append(
                "Zet het vinkje aan als we je een bericht mogen sturen. Of maak het e-mailadres leeg.")
            valid = False
        return valid
