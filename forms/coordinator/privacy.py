"""Personal data: a resident's request per receipt code and the partnership's retention settings."""
from __future__ import annotations

from wtforms import BooleanField, IntegerField, StringField
from wtforms.validators import DataRequired, InputRequired, NumberRange

from forms.common import BaseForm, line_field

MAX_DAYS_AFTER_FEEDBACK = 365
MAX_MONTHS = 24


class PrivacyLookupForm(BaseForm):
    """The coordinator finds a resident's signal by its receipt code, for a request about their data.

    Not the residents' `forms.feedback.ReceiptLookupForm`: other words (the coordinator did not get
    the code), and a GET form: looking up changes nothing, so it carries no CSRF token."""

    class Meta:
        csrf = False

    code = StringField("Ontvangstcode", validators=[DataRequired(message="Vul de code in, bijvoorbeeld K7M2-QX4P.")],
                       description="De code die de bewoner kreeg na het versturen, bijvoorbeeld K7M2-QX4P.")


class EraseRequestForm(BaseForm):
    confirm = BooleanField(
        "Ik weet dat dit niet terug te draaien is",
        validators=[DataRequired(message="Zet het vinkje aan als je zeker weet dat je dit wilt wissen.")],
    )


class RetentionSettingsForm(BaseForm):
    contact_days_after_feedback = IntegerField(
        "Dagen na het bericht aan de bewoner",
        description="Daarna wissen we het e-mailadres. Standaard: 30.",
        validators=[InputRequired(message="Vul een aantal dagen in."),
                    NumberRange(min=1, max=MAX_DAYS_AFTER_FEEDBACK,
                                message=f"Vul een getal in tussen 1 en {MAX_DAYS_AFTER_FEEDBACK}.")],
    )
    contact_max_months = IntegerField(
        "Uiterlijk zoveel maanden na het signaal",
        description="Ook als er nog geen bericht was. Standaard: 12.",
        validators=[InputRequired(message="Vul een aantal maanden in."),
                    NumberRange(min=1, max=MAX_MONTHS, message=f"Vul een getal in tussen 1 en {MAX_MONTHS}.")],
    )
    privacy_contact = line_field(
        "Waar kunnen bewoners hun vraag over privacy stellen? (mag je overslaan)", None, 200,
        description="Bijvoorbeeld een e-mailadres of telefoonnummer. Dit staat in de privacyverklaring.",
    )
