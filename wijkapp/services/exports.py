"""Exports people open in the tools they already have."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from wijkapp.models import Signal
from wijkapp.presenters import form_label, receipt, source_label

SIGNAL_CSV_COLUMNS = [
    "Nummer", "Datum", "Tijd", "Ronde", "Signaal", "Bron", "Participatievorm", "Locatie", "Thema",
    "Vraag (micro-uitvraag)", "Bundel", "Ontvangstcode",
]


def _csv_cell(value: str) -> str:
    # A cell starting with = + - @ would run as a formula in Excel (CSV injection).
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


def signals_csv(signals: Iterable[Signal]) -> Iterator[str]:
    """UTF-8 with BOM and semicolons: what Dutch Excel opens correctly by double-click."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")

    def flush() -> str:
        value = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
        return value

    writer.writerow(SIGNAL_CSV_COLUMNS)
    yield "\ufeff" + flush()
    for signal in signals:
        writer.writerow([
            signal.id,
            signal.created_at.strftime("%d-%m-%Y"),
            signal.created_at.strftime("%H:%M"),
            signal.round.number if signal.round else "",
            _csv_cell(signal.text),
            source_label(signal.source),
            form_label(signal.form),
            _csv_cell(signal.location.name) if signal.location else "",
            _csv_cell(signal.theme.name) if signal.theme else "",
            _csv_cell(signal.micro_question_text),
            _csv_cell(signal.bundle.name) if signal.bundle else "",
            receipt(signal.receipt_code),
        ])
        yield flush()
