from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from wijkapp.services.intake import SIGNAL_MAX_LENGTH
from wijkapp.services.text import clean_text

NO_CHOICE = 0


class EmptyForm(FlaskForm):
    """For POST-only buttons: carries the CSRF token and nothing else."""


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


class ChoiceInPartnership:
    """Rejects a tampered id: the value must be one of the choices the view offered."""

    def __call__(self, form, field):
        if field.data not in {value for value, _label in field.choices}:
            raise ValidationError("Kies een van de opties uit de lijst.")
