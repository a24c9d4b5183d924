"""Small formatting helpers for templates: Dutch dates, labels, counts."""
from __future__ import annotations

from datetime import date, datetime

from wijkapp.models.account import ROLE_LABELS, Role
from wijkapp.models.signal import FORM_LABELS, SOURCE_LABELS, Form, Source
from wijkapp.navigation import staff_menu
from wijkapp.services.links import printed_address_warning

MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december"]
WEEKDAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]


def nl_date(value: date | datetime | None, weekday: bool = False) -> str:
    if value is None:
        return ""
    text = f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    return f"{WEEKDAYS[value.weekday()]} {text}" if weekday else text


def short_date(value: date | datetime | None) -> str:
    """14-03-2027: for tables, where a long date would wrap."""
    return f"{value:%d-%m-%Y}" if value else ""


def nl_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return f"{nl_date(value)} {value:%H:%M}"


def source_label(value: str) -> str:
    try:
        return SOURCE_LABELS[Source(value)]
    except ValueError:
        return value


def form_label(value: str) -> str:
    try:
        return FORM_LABELS[Form(value)]
    except ValueError:
        return value


def role_label(value: str) -> str:
    try:
        return ROLE_LABELS[Role(value)]
    except ValueError:
        return value


def receipt(value: str) -> str:
    """Show receipt codes in two readable groups: K7M2-QX4P."""
    return f"{value[:4]}-{value[4:]}" if len(value) == 8 else value


FILTERS = {
    "nl_date": nl_date,
    "nl_datetime": nl_datetime,
    "short_date": short_date,
    "source_label": source_label,
    "form_label": form_label,
    "role_label": role_label,
    "receipt": receipt,
}

GLOBALS = {"SOURCE_LABELS": SOURCE_LABELS, "FORM_LABELS": FORM_LABELS, "staff_menu": staff_menu,
           "printed_address_warning": printed_address_warning}
