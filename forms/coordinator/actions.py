"""Actions (Template 2) and their dated updates (also used by owners under mine/ and personal links)."""
from __future__ import annotations

from wtforms import BooleanField, DateField, HiddenField, SelectField, SelectMultipleField
from wtforms.validators import InputRequired, Optional

from forms.common import BaseForm, line_field, object_id, optional_int, options, text_field
from forms.coordinator.rounds import score_field
from wijkapp.models import ActionStatus


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
