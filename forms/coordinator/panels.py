from __future__ import annotations

from wtforms import DateField, IntegerField, SelectField
from wtforms.validators import InputRequired, NumberRange

from forms.common import BaseForm, line_field, optional_id_field, options


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
