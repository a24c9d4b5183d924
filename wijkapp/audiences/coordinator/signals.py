"""The round's signals: filters, counts and the CSV export."""
from __future__ import annotations

from datetime import date

from flask import Response, g, render_template, request, stream_with_context
from flask_login import current_user

from forms.choices import id_or_none, location_choices, theme_choices
from forms.common import NO_CHOICE
from forms.coordinator.signals import SignalFilterForm
from wijkapp.audiences.coordinator import bp
from wijkapp.models import Form, Source
from wijkapp.models.signal import FORM_LABELS, SOURCE_LABELS
from wijkapp.services import audit, exports, rounds, signal_list

# Past this the offset no longer fits the database's integer; no list is that long.
MAX_PAGE = 100_000


def _filter_form() -> SignalFilterForm:
    form = SignalFilterForm(request.args)
    form.round.choices = [(NO_CHOICE, "Alle rondes")] + [(r.id, r.label) for r in rounds.rounds_of(g.partnership)]
    form.location.choices = location_choices(g.partnership, empty_label="Alle locaties", active_only=False)
    form.theme.choices = theme_choices(g.partnership, empty_label="Alle thema's")
    form.source.choices = [("", "Alle bronnen")] + [(s.value, label) for s, label in SOURCE_LABELS.items()]
    form.form.choices = [("", "Alle vormen")] + [(f.value, label) for f, label in FORM_LABELS.items()]
    return form


def _signal_filter(form: SignalFilterForm) -> signal_list.SignalFilter:
    if request.args.keys() - {"page"} and not form.validate():
        return signal_list.SignalFilter(round_id=-1)  # invalid filter: show nothing, say why
    return signal_list.SignalFilter(
        round_id=id_or_none(form.round.data),
        date_from=form.date_from.data,
        date_to=form.date_to.data,
        location_id=id_or_none(form.location.data),
        source=form.source.data or None,
        form=form.form.data or None,
        theme_id=id_or_none(form.theme.data),
    )


@bp.get("/signals")
def signals():
    form = _filter_form()
    signal_filter = _signal_filter(form)
    page = min(max(request.args.get("page", 1, type=int), 1), MAX_PAGE)
    return render_template(
        "coordinator/signals/signals.html",
        filter_form=form,
        page=signal_list.page_of_signals(g.partnership, signal_filter, page),
        counts=signal_list.counts(g.partnership, signal_filter),
        sources=list(Source),
        forms=list(Form),
        export_args={k: v for k, v in request.args.items() if k != "page"},
    )


@bp.get("/signals.csv")
def signals_csv():
    form = _filter_form()
    signal_filter = _signal_filter(form)
    audit.record(g.partnership, current_user, "export_signals_csv", detail=request.query_string.decode()[:500])
    partnership = g.partnership
    body = exports.signals_csv(signal_list.iter_signals(partnership, signal_filter))
    filename = f"signalen-{partnership.slug}-{date.today():%Y-%m-%d}.csv"
    return Response(
        stream_with_context(body),
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
