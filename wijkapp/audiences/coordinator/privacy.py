"""Residents' requests about their data (per receipt code), the retention settings and the audit log."""
from __future__ import annotations

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from forms.coordinator.privacy import EraseRequestForm, PrivacyLookupForm, RetentionSettingsForm
from wijkapp.audiences.coordinator import bp
from wijkapp.models import Signal
from wijkapp.presenters import receipt
from wijkapp.services import audit, privacy

AUDIT_PER_PAGE = 50


def _signal_or_404(code: str) -> Signal:
    signal = privacy.signal_by_receipt(code, g.partnership)
    if signal is None:
        abort(404)
    return signal


@bp.route("/privacy", methods=["GET", "POST"])
def privacy_page():
    lookup = PrivacyLookupForm(request.args)
    signal = None
    if "code" in request.args and lookup.validate():
        signal = privacy.signal_by_receipt(lookup.code.data, g.partnership)
        if signal is None:
            lookup.code.errors.append("Geen signaal gevonden met deze code. Controleer de code, bijvoorbeeld K7M2-QX4P.")

    settings = RetentionSettingsForm(obj=g.partnership)
    if settings.validate_on_submit():
        settings.populate_obj(g.partnership)
        audit.record(g.partnership, current_user, "privacy_settings", g.partnership,
                     detail=f"{g.partnership.contact_days_after_feedback} dagen na bericht, "
                            f"max. {g.partnership.contact_max_months} maanden")
        flash("De bewaartermijnen zijn opgeslagen. De privacyverklaring is bijgewerkt.", "success")
        return redirect(url_for("coordinator.privacy_page"))

    return render_template("coordinator/privacy/privacy.html", lookup=lookup, signal=signal, settings=settings,
                           erase_form=EraseRequestForm()), 422 if settings.is_submitted() else 200


@bp.get("/privacy/<code>/export.<any(json, csv):fmt>")
def privacy_export(code: str, fmt: str):
    signal = _signal_or_404(code)
    audit.record(g.partnership, current_user, "privacy_export", signal,
                 detail=f"{receipt(signal.receipt_code)} als {fmt.upper()}")
    if fmt == "json":
        body, mimetype = privacy.receipt_json(signal), "application/json"
    else:
        body, mimetype = privacy.receipt_csv(signal), "text/csv; charset=utf-8"
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="gegevens-{signal.receipt_code}.{fmt}"'})


@bp.post("/privacy/<code>/erase")
def privacy_erase(code: str):
    signal = _signal_or_404(code)
    form = EraseRequestForm()
    if not form.validate_on_submit():
        lookup = PrivacyLookupForm(data={"code": receipt(signal.receipt_code)})
        return render_template("coordinator/privacy/privacy.html", lookup=lookup, signal=signal,
                               settings=RetentionSettingsForm(obj=g.partnership), erase_form=form), 422
    privacy.erase_on_request(signal)
    audit.record(g.partnership, current_user, "privacy_erase", signal, detail=receipt(signal.receipt_code))
    flash(f"Alles bij code {receipt(signal.receipt_code)} is gewist: het e-mailadres en de tekst van het signaal.",
          "success")
    return redirect(url_for("coordinator.privacy_page", code=receipt(signal.receipt_code)))


@bp.get("/audit")
def audit_log():
    page = audit.events_page(g.partnership, request.args.get("page", 1, type=int), AUDIT_PER_PAGE)
    return render_template("coordinator/privacy/audit.html", page=page, action_label=audit.action_label)
