from __future__ import annotations

from wtforms import BooleanField, DateField, IntegerField, SelectField, ValidationError
from wtforms.validators import InputRequired, NumberRange, Optional

from forms.common import BaseForm, line_field, optional_id_field, options, text_field


class LocationForm(BaseForm):
    name = line_field("Naam van de locatie", "Vul de naam van de locatie in.", 120,
                      description="Bijvoorbeeld: Buurthuis De Schakel")
    description = text_field("Korte beschrijving (mag je overslaan)", 500)
    is_active = BooleanField("Actief: bewoners kunnen hier een signaal geven", default=True)


class ThemeForm(BaseForm):
    name = line_field("Nieuw thema", "Vul de naam van het thema in.", 60)


class MicroQuestionsForm(BaseForm):
    question_1 = line_field("Vraag 1", "Vul vraag 1 in.", 200)
    question_2 = line_field("Vraag 2", "Vul vraag 2 in.", 200)


class PanelSessionForm(BaseForm):
    kind = SelectField("Soort bijeenkomst",
                       choices=options([("panel", "Wijkpanel"), ("theme", "Thema-sessie")]))
    topic = line_field("Onderwerp", "Vul het onderwerp van de bijeenkomst in.", 120)
    theme = optional_id_field("Thema (mag je overslaan)")
    held_on = DateField("Datum", validators=[InputRequired(message="Vul de datum in.")])
    core_attendees = IntegerField(
        "Aantal mensen uit de kern van het panel",
        default=0,
        validators=[InputRequired(message="Vul een aantal in (0 of meer)."),
                    NumberRange(min=0, max=500, message="Vul een getal in tussen 0 en 500.")],
    )
    extra_attendees = IntegerField(
        "Aantal extra mensen voor dit thema",
        default=0,
        validators=[InputRequired(message="Vul een aantal in (0 of meer)."),
                    NumberRange(min=0, max=500, message="Vul een getal in tussen 0 en 500.")],
    )


class SignalFilterForm(BaseForm):
    """GET filters of the signal list; no CSRF because it changes nothing."""

    class Meta:
        csrf = False

    round = optional_id_field("Ronde")
    date_from = DateField("Van", validators=[Optional()])
    date_to = DateField("Tot en met", validators=[Optional()])
    location = optional_id_field("Locatie")
    source = SelectField("Bron", default="")
    form = SelectField("Participatievorm", default="")
    theme = optional_id_field("Thema")

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError("De einddatum ligt voor de begindatum.")
