from __future__ import annotations

import secrets

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, SelectField, StringField, TextAreaField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.i18n import get_translations
from wtforms.validators import DataRequired, Email, Length

from wijkapp.models.base import MAX_ID
from wijkapp.services.intake import SIGNAL_MAX_LENGTH
from wijkapp.services.text import clean_text

NO_CHOICE = 0


def object_id(value) -> int:
    """A posted id: a whole number the database can hold, or ValueError ("choose from the list")."""
    number = int(value)
    if not 0 < number <= MAX_ID:
        raise ValueError("not an id")
    return number


def version_number(value) -> int:
    """The version a form was built on; anything odd counts as stale (-1), never an error."""
    text = (value or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else -1


def submission_token_field() -> HiddenField:
    """One random token per rendered form, sent back with it: a tap that arrives twice, or five
    times, stores one signal (intake.record_signal_once). A post without it (a page rendered
    before the field existed) gets a token of its own, so it is simply stored."""
    return HiddenField(default=lambda: secrets.token_urlsafe(24),
                       filters=[lambda v: v.strip()[:64] if isinstance(v, str) else v])


def options(pairs) -> list[SelectChoice]:
    """Static (value, label) pairs as WTForms' SelectChoice (plain tuples are deprecated in 3.3)."""
    return [SelectChoice(value, label) for value, label in pairs]


class PlainDutchTranslations:
    """WTForms' built-in messages in plain Dutch that say what to do; the rest from WTForms' nl."""

    MESSAGES = {
        "Not a valid choice.": "Kies een van de opties uit de lijst.",
        "Invalid Choice: could not coerce.": "Kies een van de opties uit de lijst.",
        "Not a valid date value.": "Vul een echte datum in, bijvoorbeeld 14-03-2027.",
        "Not a valid integer value.": "Vul een heel getal in, bijvoorbeeld 12.",
        "This field is required.": "Vul dit veld in.",
        "Invalid email address.": "Dit lijkt geen e-mailadres. Controleer het, bijvoorbeeld naam@voorbeeld.nl.",
    }

    def __init__(self):
        self._fallback = get_translations(["nl"])

    def gettext(self, string: str) -> str:
        return self.MESSAGES.get(string) or self._fallback.gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._fallback.ngettext(singular, plural, n)


TRANSLATIONS = PlainDutchTranslations()


class BaseForm(FlaskForm):
    """Every form of the app: Dutch messages for WTForms' own validation."""

    class Meta:
        def get_translations(self, form):
            return TRANSLATIONS


class EmptyForm(BaseForm):
    """For POST-only buttons: carries the CSRF token and nothing else."""


class EndNotBeforeStart:
    """For the last day of a period: not before its first day. Checked only when both are real dates;
    put it after Optional() so that an empty end is left to the form."""

    message = "De einddatum ligt voor de begindatum. Kies een latere einddatum."

    def __init__(self, start_field: str):
        self.start_field = start_field

    def __call__(self, form, field):
        start = form[self.start_field].data
        if field.data and start and field.data < start:
            raise ValidationError(self.message)


def _clean(value):
    return clean_text(value) if isinstance(value, str) else value


def _clean_line(value):
    return clean_text(value, single_line=True) if isinstance(value, str) else value


def signal_text_field(label: str, empty_message: str = "Vul het signaal in.") -> TextAreaField:
    return TextAreaField(
        label,
        filters=[_clean],
        validators=[
            DataRequired(message=empty_message),
            Length(max=SIGNAL_MAX_LENGTH,
                   message=f"Dit is te lang. Gebruik maximaal {SIGNAL_MAX_LENGTH} tekens."),
        ],
    )


def line_field(label: str, required_message: str | None, max_length: int, **kwargs) -> StringField:
    validators = [DataRequired(message=required_message)] if required_message else []
    validators.append(Length(max=max_length, message=f"Gebruik maximaal {max_length} tekens."))
    return StringField(label, filters=[_clean_line], validators=validators, **kwargs)


def text_field(label: str, max_length: int, required_message: str | None = None, **kwargs) -> TextAreaField:
    validators = [DataRequired(message=required_message)] if required_message else []
    validators.append(Length(max=max_length, message=f"Gebruik maximaal {max_length} tekens."))
    return TextAreaField(label, filters=[_clean], validators=validators, **kwargs)


def optional_id_field(label: str) -> SelectField:
    """A select whose first option means "none"; the view fills the rest and checks it belongs."""
    return SelectField(label, coerce=int, default=NO_CHOICE, validate_choice=True)


def _email(value):
    # clean_text drops NUL too: PostgreSQL refuses it in a query with an error, not "no match".
    return clean_text(value, single_line=True).lower() if isinstance(value, str) else value


def email_field(label: str) -> EmailField:
    return EmailField(label, filters=[_email],
                      validators=[DataRequired(message="Vul het e-mailadres in."),
                                  Email(message="Dit lijkt geen e-mailadres. Controleer het, bijvoorbeeld "
                                                "naam@voorbeeld.nl.", check_deliverability=False)])


def code_field(label: str = "Code uit je app") -> StringField:
    return StringField(label, filters=[lambda v: v.strip() if isinstance(v, str) else v],
                       validators=[DataRequired(message="Vul de code van 6 cijfers uit je app in."),
                                   Length(max=40, message="Vul de code van 6 cijfers uit je app in.")])


def optional_int(value):
    """A select that may stay empty: a person, a bundle or a score; out of range is no choice."""
    if value in (None, "", "None", "0", 0):
        return None
    return object_id(value)
