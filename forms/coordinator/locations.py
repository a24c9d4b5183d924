from __future__ import annotations

from wtforms import BooleanField

from forms.common import BaseForm, line_field, text_field


class LocationForm(BaseForm):
    name = line_field("Naam van de locatie", "Vul de naam van de locatie in.", 120,
                      description="Bijvoorbeeld: Buurthuis De Schakel")
    description = text_field("Korte beschrijving (mag je overslaan)", 500)
    is_active = BooleanField("Actief: bewoners kunnen hier een signaal geven", default=True)
