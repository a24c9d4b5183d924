"""Forms of the bundling workspace, the bundle pages and the top-3 period picker.

Bundle names, themes and signal choices are checked by `services.bundling`, the one place that
knows the rules (and says them in Dutch); these forms only parse what was posted.
"""
from __future__ import annotations

from wtforms import DateField, Field, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

from forms.common import NO_CHOICE, BaseForm, EndNotBeforeStart, _clean, _clean_line, object_id, optional_id_field


def bundle_choice_field(label: str) -> SelectField:
    """A bundle to act on. The choice is checked by the service, not against the rendered list:
    a bundle merged meanwhile must get the "someone else merged it" message, not "not a choice"."""
    return SelectField(label, coerce=int, default=NO_CHOICE, validate_choice=False)


class IdListField(Field):
    """Checked checkboxes (or hidden fields) that each post one signal id."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.data = []

    def process_formdata(self, valuelist):
        try:
            self.data = sorted({object_id(v) for v in valuelist})
        except ValueError:
            self.data = []
            raise ValueError("Kies de signalen opnieuw: er ging iets mis met je keuze.")

    def _value(self):
        return ""


class PeriodForm(BaseForm):
    """GET: a round, or a period from/to. Changes nothing, so no CSRF."""

    class Meta:
        csrf = False

    round = optional_id_field("Ronde")
    date_from = DateField("Of een eigen periode: van", validators=[Optional()])
    date_to = DateField("tot en met", validators=[Optional(), EndNotBeforeStart("date_from")])

    def validate(self, extra_validators=None) -> bool:
        # Here, not in a validate_date_to: Optional() would skip that when date_to is empty.
        valid = super().validate(extra_validators)
        if valid and bool(self.date_from.data) != bool(self.date_to.data):
            self.date_to.errors.append("Vul beide data in voor een eigen periode, of kies een ronde.")
            return False
        return valid


class WorkspaceForm(BaseForm):
    """The workspace: selected unbundled signals go to an existing bundle or a new one."""

    signal_ids = IdListField("Signalen")
    bundle = bundle_choice_field("Bestaande bundel")
    name = StringField("Naam nieuwe bundel (max. 120 tekens)", filters=[_clean_line],
                       render_kw={"placeholder": "bijv. Te hard rijden Kerkstraat"})
    theme = optional_id_field("Thema (mag je overslaan)")


class BundleForm(BaseForm):
    name = StringField("Naam", filters=[_clean_line], description="Maximaal 120 tekens")
    theme = optional_id_field("Thema (mag je overslaan)")
    description = TextAreaField("Korte beschrijving (mag je overslaan)", filters=[_clean])
    version = HiddenField()


class BundleSignalsForm(BaseForm):
    """On a bundle's page: selected signals are moved, split off or taken out."""

    signal_ids = IdListField("Signalen")
    target = bundle_choice_field("Naar bundel")
    name = StringField("Naam van de nieuwe bundel", filters=[_clean_line])
    version = HiddenField()


class MergeForm(BaseForm):
    target = bundle_choice_field("Samenvoegen met")
    version = HiddenField()


class AcceptSuggestionForm(BaseForm):
    signal_id = IntegerField(validators=[InputRequired()])
    bundle_id = IntegerField(validators=[InputRequired()])


class AcceptGroupForm(BaseForm):
    signal_ids = IdListField("Signalen")
    name = StringField("Naam van de nieuwe bundel", filters=[_clean_line])


def version_of(field: HiddenField) -> int | None:
    """The bundle version a form was built on; a missing or odd value counts as stale."""
    try:
        return int(field.data)
    except (TypeError, ValueError):
        return -1
