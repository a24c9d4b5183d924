from __future__ import annotations

from wtforms import DateField, SelectField
from wtforms.validators import Optional

from forms.common import BaseForm, EndNotBeforeStart, optional_id_field


class SignalFilterForm(BaseForm):
    """GET filters of the signal list; no CSRF because it changes nothing."""

    class Meta:
        csrf = False

    round = optional_id_field("Ronde")
    date_from = DateField("Van", validators=[Optional()])
    date_to = DateField("Tot en met", validators=[Optional(), EndNotBeforeStart("date_from")])
    location = optional_id_field("Locatie")
    source = SelectField("Bron", default="")
    form = SelectField("Participatievorm", default="")
    theme = optional_id_field("Thema")
