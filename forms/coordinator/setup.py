"""The first-start wizard."""
from __future__ import annotations

from datetime import date

from wtforms import DateField, FieldList, ValidationError
from wtforms.validators import InputRequired

from forms.common import BaseForm, line_field
from forms.coordinator.plan import PlanForm
from forms.coordinator.rounds import CadenceForm


class NameListForm(BaseForm):
    """A list of names, one input each, that works without JavaScript: the view offers empty inputs
    to add to, and emptying an input takes that name out. Subclasses set `names` and the words."""

    item_label = "Naam"
    empty_message = "Vul minstens één naam in."
    double_message = "Deze naam staat er al."

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number, entry in enumerate(self.names, start=1):
            entry.label.text = f"{self.item_label} {number}"

    def refuse_taken(self, taken: set[str], message: str) -> bool:
        """False, with `message` beside each name that `taken` (casefolded) already holds."""
        clash = [entry for entry in self.names if entry.data and entry.data.casefold() in taken]
        for entry in clash:
            entry.errors.append(message)
        return not clash

    def filled(self) -> list[str]:
        return [entry.data for entry in self.names if entry.data]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        seen = set()
        for entry in self.names:
            if entry.data and entry.data.casefold() in seen:
                entry.errors.append(self.double_message)
                valid = False
            seen.add((entry.data or "").casefold())
        if not self.filled() and self.names.entries:
            self.names.entries[0].errors.append(self.empty_message)
            valid = False
        return valid


def name_list(max_length: int, max_entries: int, min_entries: int = 0) -> FieldList:
    return FieldList(line_field("Naam", None, max_length), min_entries=min_entries, max_entries=max_entries)


class LocationNamesForm(NameListForm):
    item_label = "Locatie"
    empty_message = "Vul minstens één locatie in, of kies ‘Sla deze stap over’."
    double_message = "Deze locatie staat er twee keer in. Haal er één weg."
    taken_message = "Deze locatie bestaat al."
    names = name_list(120, 20, min_entries=3)


class ThemeNamesForm(NameListForm):
    item_label = "Thema"
    empty_message = "Houd minstens één thema over. Bijvoorbeeld: Overig."
    double_message = "Dit thema staat er twee keer in. Haal er één weg."
    names = name_list(60, 40)


class FirstRoundForm(CadenceForm):
    meeting_on = DateField("Datum van het eerste overleg",
                           validators=[InputRequired(message="Vul de datum van het eerste overleg in.")],
                           description="Dan kiezen jullie samen de top 5 signalen en 1 of 2 acties.")

    def validate_meeting_on(self, field):
        if field.data and field.data < date.today():
            raise ValidationError("Deze datum is al voorbij. Kies vandaag of een latere datum.")


class FirstPlanForm(BaseForm):
    """Template 1's minimum: step 5, feedback to residents (verplicht), and the question it is for."""

    question = PlanForm.question
    feedback_what = PlanForm.feedback_what
    feedback_channel_when = PlanForm.feedback_channel_when
    feedback_owner = PlanForm.feedback_owner
