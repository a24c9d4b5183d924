""""Alles past in één mapje": plan (Template 1), action list (Template 2) and feedback (Template 3)
of one round, as a PDF for the folder on the table and an Excel workbook for whoever wants numbers.

The PDF uses fpdf2's built-in Helvetica, so nothing is downloaded or shipped; it covers Latin-1
(é, ë, ï, ö, …). The few common characters outside it are written as their plain look-alikes.
"""
from __future__ import annotations

import io
from datetime import date, datetime

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from wijkapp.extensions import db
from wijkapp.models import Action, Bundle, Feedback, ParticipationPlan, Partnership, Round, Signal
from wijkapp.models.signal import FORM_LABELS, Form
from wijkapp.presenters import form_label, nl_date, nl_datetime, receipt, source_label
from wijkapp.services.feedback import STATUS_LABELS, current_plan, published_versions, round_actions
from wijkapp.services.ranking import Window, bundle_stats, rank

LATIN1_LOOKALIKES = str.maketrans({
    "—": "-", "–": "-", "‘": "'", "’": "'", "‚": ",", "“": '"', "”": '"', "„": '"', "…": "...",
    "€": "EUR", "•": "-", "\u00a0": " ", "\u2009": " ", "\u200b": "", "−": "-", "×": "x",
})


def pdf_safe(text: str | None) -> str:
    text = (text or "").translate(LATIN1_LOOKALIKES)
    return text.encode("latin-1", "replace").decode("latin-1")


def _plan_rows(plan: ParticipationPlan) -> list[tuple[str, list[tuple[str, str]]]]:
    try:
        base_form = FORM_LABELS[Form(plan.base_form)]
    except ValueError:
        base_form = plan.base_form
    return [
        ("1. Wijkvraag en doelgroep", [("Probleem/vraag", plan.question), ("Voor wie speelt dit?", plan.target_group),
                                       ("Waarop hebben inwoners invloed?", plan.influence)]),
        ("2. Beoogde opbrengst voor inwoners", [("Gewenste verandering", plan.intended_change),
                                                ("Wanneer is verschil merkbaar?", plan.noticeable_when)]),
        ("3. Vorm van participatie (ophalen)", [("Basisvorm", base_form), ("Waar en wanneer?", plan.where_when),
                                                ("Wie organiseert?", plan.organiser)]),
        ("4. Doorwerking in het hechte wijkverband", [("Wanneer agenderen?", plan.agenda_moment),
                                                      ("Wie besluit (mandaat)?", plan.decider),
                                                      ("Welke actie(s) volgen?", plan.follow_up_actions)]),
        ("5. Terugkoppeling aan inwoners (verplicht)", [("Wat koppelen we terug?", plan.feedback_what),
                                                        ("Via welk kanaal en wanneer?", plan.feedback_channel_when),
                                                        ("Wie is eigenaar van de terugkoppeling?", plan.feedback_owner)]),
        ("Eerstvolgende stap (binnen 2–4 weken)", [("Stap", plan.next_step), ("Wie pakt dit op?", plan.next_step_owner)]),
    ]


ACTION_LABELS = (
    "1. Signaal uit de wijk", "2. Beoogde opbrengst voor inwoners", "3. Actie van het hechte wijkverband",
    "4. Eigenaar", "   Partners", "5. Eerste stap (binnen 2 weken)", "6. Checkmoment / evaluatie",
    "7. Terugkoppeling aan inwoners (1 zin)", "Status", "Eigenaar terugkoppeling", "Volgende update",
    "Waarom gekozen",
)


def _action_rows(action: Action) -> list[tuple[str, str]]:
    status = STATUS_LABELS.get(action.status, action.status)
    if action.stop_reason:
        status += f" — {action.stop_reason}"
    values = (
        action.signal_summary,
        action.intended_result,
        "\n".join(p for p in (action.title, action.description) if p),
        action.owner.display_name if action.owner else "",
        action.partners,
        f"{action.first_step} ({nl_date(action.first_step_on)})".strip(),
        nl_date(action.check_on),
        action.feedback_sentence,
        status,
        action.feedback_owner.display_name if action.feedback_owner else "",
        nl_date(action.next_update_on),
        action.choice_reason,
    )
    return list(zip(ACTION_LABELS, values))


def _feedback_rows(feedback: Feedback) -> list[tuple[str, str]]:
    return [
        ("1. Dit hoorden we in de wijk", feedback.heard),
        ("2. Dit hebben we gedaan / gaan we doen", feedback.done),
        ("3. Dit lukt (nog) niet — en waarom", feedback.not_possible),
        ("4. Volgende update", f"{nl_date(feedback.next_update_on)} via {feedback.next_update_channel}"),
        ("5. Contact / meedoen", feedback.contact),
    ]


class _FolderPDF(FPDF):
    title_line = ""

    def header(self):
        self.set_font("Helvetica", "", 8)
        self.set_text_color(90)
        self.cell(0, 5, pdf_safe(self.title_line), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        self.set_text_color(0)
        self.ln(2)

    def footer(self):
        self.set_y(-12)
        self.set_font("Helvetica", "", 8)
        self.set_text_color(90)
        self.cell(0, 5, f"Pagina {self.page_no()} van {{nb}}", align="C")
        self.set_text_color(0)

    def heading(self, text: str, size: int = 15):
        if self.get_y() > self.h - 50:
            self.add_page()
        self.set_font("Helvetica", "B", size)
        self.multi_cell(0, size * 0.5, pdf_safe(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        self.ln(2)

    def field(self, label: str, value: str):
        if self.get_y() > self.h - 30:
            self.add_page()
        self.set_font("Helvetica", "B", 10)
        self.multi_cell(0, 5, pdf_safe(label), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        self.set_font("Helvetica", "", 10)
        self.multi_cell(0, 5, pdf_safe(value) or "-", new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        self.ln(1.5)


def folder_pdf(partnership: Partnership, round_: Round) -> bytes:
    pdf = _FolderPDF(format="A4")
    pdf.set_margins(18, 15, 18)
    pdf.set_auto_page_break(True, margin=18)
    pdf.title_line = f"{partnership.name} · {round_.label} · gemaakt op {nl_date(date.today())}"
    pdf.set_title(pdf_safe(f"Mapje {partnership.name} {round_.label}"))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 20)
    pdf.multi_cell(0, 9, pdf_safe(f"Alles past in één mapje\n{partnership.name} — {round_.label}"),
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
    pdf.set_font("Helvetica", "", 10)
    meeting = f" · overleg {nl_date(round_.meeting_on)}" if round_.meeting_on else ""
    pdf.multi_cell(0, 5, pdf_safe(f"Ronde gestart op {nl_date(round_.starts_on)}{meeting}. "
                                  "Plan (Template 1), actielijst (Template 2) en terugkoppeling (Template 3)."),
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
    pdf.ln(8)

    pdf.heading("Template 1 | Participatieafspraken in het hechte wijkverband")
    plan = current_plan(partnership)
    if plan is None:
        pdf.field("Participatieafspraken", "Nog niet vastgelegd.")
    else:
        pdf.set_font("Helvetica", "I", 9)
        pdf.multi_cell(0, 5, pdf_safe(f"Versie {plan.version}, vastgelegd op {nl_date(plan.created_at)}"),
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        for section, fields in _plan_rows(plan):
            pdf.heading(section, size=12)
            for label, value in fields:
                pdf.field(label, value)

    pdf.add_page()
    pdf.heading("Template 2 | Van signalen naar acties")
    actions = round_actions(round_)
    if not actions:
        pdf.field("Acties", "In deze ronde zijn (nog) geen acties gekozen.")
    for number, action in enumerate(actions, start=1):
        pdf.heading(f"Actie {number}: {action.title}", size=12)
        for label, value in _action_rows(action):
            pdf.field(label, value)

    pdf.add_page()
    pdf.heading("Template 3 | Terugkoppeling aan inwoners")
    versions = published_versions(round_)
    if not versions:
        pdf.field("Terugkoppeling", "Nog niet gepubliceerd.")
    for feedback in versions:
        reviewed = "nagekeken door de ervaringsdeskundige" if feedback.was_reviewed else "niet nagekeken"
        pdf.heading(f"Versie {feedback.version} · gepubliceerd op {nl_datetime(feedback.published_at)} ({reviewed})",
                    size=12)
        for label, value in _feedback_rows(feedback):
            pdf.field(label, value)
    return bytes(pdf.output())


# ---------------------------------------------------------------- Excel


def _sheet(workbook: Workbook, title: str, header: list[str], rows, widths: list[int]):
    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_xlsx_value(v) for v in row])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text typed by people never runs as a formula
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = width
    sheet.freeze_panes = "A2"
    return sheet


def _xlsx_value(value):
    if isinstance(value, str):
        return value
    if isinstance(value, (datetime, date, int, float)) or value is None:
        return value
    return str(value)


def folder_xlsx(partnership: Partnership, round_: Round) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    signals = db.session.scalars(
        db.select(Signal).where(Signal.round_id == round_.id).order_by(Signal.created_at)).all()
    _sheet(workbook, "Signalen",
           ["Nummer", "Datum", "Signaal", "Bron", "Participatievorm", "Locatie", "Thema", "Bundel", "Ontvangstcode"],
           ([s.id, s.created_at, s.text, source_label(s.source), form_label(s.form),
             s.location.name if s.location else "", s.theme.name if s.theme else "",
             s.bundle.name if s.bundle else "", receipt(s.receipt_code)] for s in signals),
           [9, 17, 60, 22, 28, 26, 18, 26, 13])

    ranked = rank(bundle_stats(partnership, Window.for_round(round_)))
    chosen = {a.bundle_id for a in round_actions(round_)}
    bundles = {b.id: b for b in db.session.scalars(db.select(Bundle).where(Bundle.partnership_id == partnership.id))}
    _sheet(workbook, "Bundels",
           ["Plek", "Bundel", "Omschrijving", "Signalen", "Nieuw deze ronde", "Bronnen", "Vormen", "Locaties",
            "Score", "Gekozen"],
           ([r.position, r.stats.name, bundles[r.bundle_id].description if r.bundle_id in bundles else "",
             r.stats.signals, r.stats.new, r.stats.sources, r.stats.forms, r.stats.locations, r.score,
             "ja" if r.bundle_id in chosen else "nee"] for r in ranked),
           [6, 30, 50, 10, 12, 9, 9, 9, 8, 9])

    _sheet(workbook, "Acties",
           [label.strip() for label in ACTION_LABELS],
           ([value for _, value in _action_rows(a)] for a in round_actions(round_)),
           [40, 40, 40, 22, 30, 40, 18, 40, 18, 22, 18, 40])

    _sheet(workbook, "Terugkoppeling",
           ["Versie", "Gepubliceerd", "Nagekeken", "Dit hoorden we in de wijk", "Dit hebben we gedaan / gaan we doen",
            "Dit lukt (nog) niet — en waarom", "Volgende update", "Kanaal", "Contact / meedoen"],
           ([f.version, f.published_at, "ja" if f.was_reviewed else "nee", f.heard, f.done, f.not_possible,
             f.next_update_on, f.next_update_channel, f.contact] for f in published_versions(round_)),
           [8, 17, 10, 50, 50, 50, 14, 30, 40])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
