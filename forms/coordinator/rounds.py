"""Rounds: the cadence, opening a round, the meeting date, and scoring the top 5."""
from __future__ import annotations

from wtforms import DateField, SelectField
from wtforms.validators import InputRequired, Optional

from forms.common import BaseForm, optional_int, options
from wijkapp.services.rounds import CADENCES

SCORE_CHOICES = [(None, "Nog niet gescoord")] + [(n, str(n)) for n in range(1, 6)]


def score_field(label: str) -> SelectField:
    return SelectField(label, choices=options(SCORE_CHOICES), coerce=optional_int, default=None)


class CadenceForm(BaseForm):
    cadence = SelectField("Hoe vaak overleggen jullie?", choices=options(CADENCES.items()))


class OpenRoundForm(BaseForm):
    starts_on = DateField("Start van de nieuwe ronde", validators=[InputRequired(message="Vul de startdatum in.")],
                          description="Signalen vanaf deze dag vallen in de nieuwe ronde.")
    meeting_on = DateField("Datum van het overleg", validators=[Optional()],
                           description="Voorstel op basis van jullie ritme. Je mag het aanpassen.")


class MeetingDateForm(BaseForm):
    meeting_on = DateField("Datum van het overleg", validators=[Optional()])


def scores_form(bundle_ids: list[int], formdata=None, data: dict | None = None) -> BaseForm:
    """One feasibility and one impact select per top-5 bundle."""

    class ScoresForm(BaseForm):
        pass

    for bundle_id in bundle_ids:
        setattr(ScoresForm, f"feasibility_{bundle_id}", score_field("Haalbaarheid"))
        setattr(ScoresForm, f"impact_{bundle_id}", score_field("Impact voor inwoners"))
    return ScoresForm(formdata=formdata, data=data or {})
