from __future__ import annotations


from forms.common import BaseForm, optional_id_field, signal_text_field


class ExpertSignalForm(BaseForm):
    text = signal_text_field("Welk signaal wil je toevoegen?")
    location = optional_id_field("Locatie (mag je overslaan)")
    theme = optional_id_field("Thema (mag je overslaan)")
