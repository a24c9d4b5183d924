"""Writing the round's feedback (Template 3) and the partnership's own plain words."""
from __future__ import annotations

from wtforms import BooleanField, DateField
from wtforms.validators import Optional

from forms.common import BaseForm, line_field, text_field

PART_MAX = 4000
CHANNEL_HINT = "Bijvoorbeeld: inloop in het buurthuis, nieuwsbrief, website, wijkkrant."


class FeedbackForm(BaseForm):
    """Template 3. Every part may stay empty while writing; publishing checks them (services.feedback)."""

    heard = text_field("1. Dit hoorden we in de wijk", PART_MAX,
                       description="Wat kwam het vaakst terug? Een paar zinnen of een lijstje.")
    done = text_field("2. Dit hebben we gedaan / gaan we doen", PART_MAX,
                      description="Elke actie met de planning: wat, wie en wanneer.")
    not_possible = text_field("3. Dit lukt (nog) niet — en waarom", PART_MAX,
                              description="Zeg eerlijk wat niet gekozen is, en waarom. Lukt alles, schrijf dat dan.")
    next_update_on = DateField("4. Volgende update: wanneer?", validators=[Optional()],
                               description="De datum waarop bewoners weer iets horen.")
    next_update_channel = line_field("4. Volgende update: via welk kanaal?", None, 200, description=CHANNEL_HINT)
    contact = text_field("5. Contact / meedoen", PART_MAX,
                         description="Waar kunnen bewoners reageren of meedoen?")
    confirm_unreviewed = BooleanField("Ik wil publiceren zonder dat de ervaringsdeskundige de tekst heeft nagekeken")

    def data_for_service(self) -> dict:
        return {name: getattr(self, name).data for name in
                ("heard", "done", "not_possible", "next_update_on", "next_update_channel", "contact")}


class PlainWordForm(BaseForm):
    word = line_field("Moeilijk woord of ambtelijke uitdrukking", "Vul het woord in.", 80)
    alternative = line_field("Gewoner alternatief", "Vul een gewoner woord in.", 200)
