from __future__ import annotations

from wtforms import ValidationError

from forms.common import BaseForm, optional_id_field, text_field
from wijkapp.services.intake import SIGNAL_MAX_LENGTH


class MicroSurveyForm(BaseForm):
    """The two fixed questions; the view sets the labels to the partnership's wording."""

    answer_1 = text_field("Vraag 1", SIGNAL_MAX_LENGTH)
    answer_2 = text_field("Vraag 2", SIGNAL_MAX_LENGTH)
    location = optional_id_field("Waar hoorde je dit? (mag je overslaan)")
    theme = optional_id_field("Thema (mag je overslaan)")

    def validate_answer_1(self, field):
        if not field.data and not self.answer_2.data:
            raise ValidationError("Beantwoord minstens één van de twee vragen.")
