from __future__ import annotations

from wtforms import BooleanField, DateField, HiddenField, SelectField, SelectMultipleField
from wtforms.validators import InputRequired, Optional

from forms.common import BaseForm, line_field, object_id, options, text_field
from wijkapp.models import ActionStatus
from wijkapp.models.signal import FORM_LABELS
from wijkapp.services.rounds import CADENCES

SCORE_CHOICES = [(None, "Nog niet gescoord")] + [(n, str(n)) for n in range(1, 6)]


def optional_int(value):
    """A select that may stay empty: a person, a bundle or a score; out of range is no choice."""
    if value in (None, "", "None", "0", 0):
        return None
    return object_id(value)


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


class ActionForm(BaseForm):
    # 1. Signaal uit de wijk
    bundle_id = SelectField("Bundel waar deze actie op antwoordt", coerce=optional_int, validate_choice=False)
    signal_summary = text_field("1. Signaal uit de wijk", 2000, "Beschrijf kort wat jullie horen of zien in de wijk.",
                                description="Wat horen of zien we? Kort en concreet.")
    # 2. Beoogde opbrengst
    intended_result = line_field("2. Beoogde opbrengst voor inwoners", "Schrijf in 1 zin wat er voor inwoners verandert.",
                                 300, description="De gewenste verandering in 1 zin.")
    # 3. Actie
    title = line_field("3. De actie", "Schrijf op wat jullie gaan doen.", 200,
                       description="Klein, concreet en uitvoerbaar. Bijvoorbeeld: ‘Drempel aanvragen bij de gemeente’.")
    description = text_field("Toelichting (mag je overslaan)", 2000)
    # 4. Eigenaarschap en partners
    owner_id = SelectField("4. Eigenaar", coerce=optional_int, validate_choice=False,
                           description="Eén persoon uit het team, of een contactpersoon zonder account.")
    partner_ids = SelectMultipleField("Partners die meedoen (mag je overslaan)", coerce=object_id, choices=[])
    partners = text_field("Andere partners (mag je overslaan)", 1000,
                          description="Organisaties zonder vaste persoon. Bijvoorbeeld: gemeente, woningcorporatie.")
    # 5. Eerste stap
    first_step = text_field("5. Eerste stap", 500, "Schrijf op wat de eerste stap is.")
    first_step_on = DateField("Datum eerste stap", validators=[InputRequired(message="Vul de datum van de eerste stap in.")],
                              description="Binnen 2 weken.")
    # 6. Checkmoment
    check_on = DateField("6. Checkmoment", validators=[InputRequired(message="Vul de datum van het checkmoment in.")],
                         description="Over 6 tot 8 weken: werkt het?")
    # 7. Terugkoppeling
    feedback_sentence = line_field("7. Terugkoppeling aan inwoners (1 zin)", "Schrijf in 1 zin wat bewoners van ons horen.",
                                   300, description="In gewone taal. Bijvoorbeeld: ‘We vragen een drempel aan; in mei horen jullie meer.’")
    feedback_owner_id = SelectField("Wie zorgt voor de terugkoppeling? (mag je overslaan)", coerce=optional_int,
                                    validate_choice=False)
    next_update_on = DateField("Volgende update aan bewoners (mag je overslaan)", validators=[Optional()])
    # Kiezen
    choice_reason = text_field("Waarom kiezen jullie deze actie?", 1000,
                               "Schrijf op waarom jullie deze actie kiezen. Bewoners gaan ernaar vragen.",
                               description="Bijvoorbeeld: veel bewoners noemen het, en de gemeente kan snel iets doen.")
    feasibility = score_field("Haalbaarheid (1–5)")
    impact = score_field("Impact voor inwoners (1–5)")
    over_limit_reason = text_field("Waarom een derde actie in deze ronde?", 1000,
                                   description="De afspraak is 1 of 2 acties per ronde.")
    confirm_dates = BooleanField("Ja, deze datums kloppen, ook al vallen ze buiten de afspraak")
    version = HiddenField()


class ActionUpdateForm(BaseForm):
    text = text_field("Wat is er gebeurd?", 1000)
    status = SelectField("Status", choices=options((s.value, s.label) for s in ActionStatus))
    stop_reason = text_field("Waarom stopt de actie?", 1000, description="Alleen nodig bij ‘Gestopt’.")


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
