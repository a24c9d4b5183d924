"""The participation agreement (Template 1)."""
from __future__ import annotations

from wtforms import HiddenField, SelectField

from forms.common import BaseForm, line_field, options, text_field
from wijkapp.models.signal import FORM_LABELS


class PlanForm(BaseForm):
    question = line_field("Probleem of vraag (1 zin)", None, 300)
    target_group = text_field("Voor wie speelt dit?", 1000)
    influence = text_field("Waarop hebben inwoners invloed?", 1000,
                           description="Wat kunnen inwoners echt mee bepalen, en wat ligt al vast?")
    intended_change = text_field("Gewenste verandering (concreet)", 1000)
    noticeable_when = line_field("Wanneer is het verschil merkbaar?", None, 300)
    base_form = SelectField("Basisvorm", choices=options((f.value, label) for f, label in FORM_LABELS.items()))
    where_when = text_field("Waar en wanneer?", 1000)
    organiser = line_field("Wie organiseert?", None, 200)
    agenda_moment = line_field("Wanneer agenderen?", None, 300, description="Bijvoorbeeld: elk overleg, vast agendapunt van 20 minuten.")
    decider = line_field("Wie besluit (mandaat)?", None, 300)
    follow_up_actions = text_field("Welke actie(s) volgen?", 1000)
    feedback_what = text_field("Wat koppelen we terug?", 1000)
    feedback_channel_when = line_field("Via welk kanaal en wanneer?", None, 300,
                                       description="Bijvoorbeeld: inloop in het buurthuis en de nieuwsbrief, elke 6 weken.")
    feedback_owner = line_field("Wie is eigenaar van de terugkoppeling?", None, 200)
    next_step = text_field("Wat is één concrete stap die jullie binnen 2–4 weken zetten?", 1000)
    next_step_owner = line_field("Wie pakt dit op?", None, 200)
    based_on = HiddenField()
