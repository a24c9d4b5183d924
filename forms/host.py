from __future__ import annotations

from wtforms import DateField, IntegerField, ValidationError
from wtforms.validators import InputRequired, NumberRange

from forms.common import (BaseForm, NO_CHOICE, line_field, optional_id_field, signal_text_field,
                          submission_token_field)


class ConversationStartForm(BaseForm):
    location = optional_id_field("Locatie")
    place = line_field("Of een andere plek", None, 120,
                       description="Bijvoorbeeld: markt op het Dorpsplein")
    held_on = DateField("Datum", validators=[InputRequired(message="Vul de datum van het gesprek in.")])

    def validate_place(self, field):
        if self.location.data == NO_CHOICE and not field.data:
            raise ValidationError("Kies een locatie of schrijf op waar het gesprek is.")


class QuickSignalForm(BaseForm):
    """One short signal at a time, fast with the keyboard: type, Enter, next."""

    text = signal_text_field("Wat hoorde je?", empty_message="Schrijf het signaal op voordat je op Opslaan drukt.")
    theme = optional_id_field("Thema")
    submission_token = submission_token_field()


class CloseConversationForm(BaseForm):
    people_spoken = IntegerField(
        "Met hoeveel mensen heb je gesproken?",
        validators=[InputRequired(message="Vul het aantal mensen in (een getal, 0 of meer)."),
                    NumberRange(min=0, max=10000, message="Vul een getal in tussen 0 en 10000.")],
    )


class EditSignalForm(BaseForm):
    text = signal_text_field("Signaal")
    theme = optional_id_field("Thema")
