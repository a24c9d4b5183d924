from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import Email, Length, Optional, ValidationError

from forms.common import optional_id_field, signal_text_field


class ResidentSignalForm(FlaskForm):
    text = signal_text_field(
        "Wat wil je kwijt over je buurt?",
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
    submission_token = HiddenField()

    def validate_email(self, field):
        if self.wants_update.data and not field.data:
            raise ValidationError("Vul je e-mailadres in, of zet het vinkje uit.")

    def validate_wants_update(self, field):
        if self.email.data and not field.data:
            raise ValidationError(
                "Zet het vinkje aan als we je een bericht mogen sturen. Of maak het e-mailadres leeg."
            )
