"""The ervaringsdeskundige: a signal of their own, and reviewing feedback before it is published."""
from __future__ import annotations

from wtforms import RadioField
from wtforms.validators import DataRequired

from forms.common import BaseForm, optional_id_field, options, signal_text_field, text_field


class ExpertSignalForm(BaseForm):
    text = signal_text_field("Welk signaal wil je toevoegen?")
    location = optional_id_field("Locatie (mag je overslaan)")
    theme = optional_id_field("Thema (mag je overslaan)")


class ReviewForm(BaseForm):
    decision = RadioField("Jouw oordeel", choices=options([
        ("approve", "Goedkeuren: de tekst is helder voor bewoners"),
        ("return", "Terugsturen: er moet nog iets aan veranderen"),
    ]), validators=[DataRequired(message="Kies goedkeuren of terugsturen.")])
    comment = text_field("Opmerking voor de schrijver", 2000,
                         description="Verplicht als je terugstuurt: zeg wat er beter kan.")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.decision.data == "return" and not (self.comment.data or "").strip():
            self.comment.errors.append("Schrijf wat er beter kan, dan weet de schrijver wat te doen.")
            valid = False
        return valid
