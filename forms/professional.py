from __future__ import annotations

from wtforms import ValidationError

from forms.choices import location_choices, theme_choices
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


def partnership_micro_survey_form(partnership) -> MicroSurveyForm:
    """The form with the partnership's own wording and its locations and themes to choose from."""
    form = MicroSurveyForm()
    form.answer_1.label.text, form.answer_2.label.text = partnership.micro_questions
    form.location.choices = location_choices(partnership, empty_label="Geen vaste locatie")
    form.theme.choices = theme_choices(partnership)
    return form
