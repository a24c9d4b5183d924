"""What residents read about what happened with their signals (step 4). No login, no JavaScript."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, redirect, render_template, url_for

from forms.feedback import ReceiptLookupForm
from wijkapp.extensions import limiter
from wijkapp.services import accounts, feedback as feedback_service, receipts
from wijkapp.services.codes import normalise_receipt_code
from wijkapp.services.locations import location_by_code

bp = Blueprint("feedback", __name__)

# Shared by the form and the link, per address: guessing codes is slow whichever way it is tried.
RECEIPT_LIMIT = limiter.shared_limit("10 per minute;60 per hour", scope="receipt-lookup")
UNKNOWN_CODE = ("We vinden deze code niet. Kijk nog eens goed: een code heeft 8 letters en cijfers, "
                "zoals K7M2-QX4P. Een 0 en een O, of een 1 en een I, lijken op elkaar; in de code zitten ze niet.")


def _round_blocks(partnership, round_ids=None):
    """The newest published feedback per round, with its actions and earlier versions."""
    blocks = []
    for feedback in feedback_service.latest_published_per_round(partnership, round_ids):
        blocks.append({
            "feedback": feedback,
            "actions": feedback_service.round_actions(feedback.round),
            "earlier": feedback_service.published_versions(feedback.round)[1:],
        })
    return blocks


def _rounds_without_feedback(partnership, blocks, round_ids=None):
    return feedback_service.rounds_waiting(partnership, {b["feedback"].round_id for b in blocks}, round_ids)


@bp.get("/w/<slug>")
def partnership_feedback(slug: str):
    partnership = accounts.partnership_by_slug(slug)
    if partnership is None:
        abort(404)
    blocks = _round_blocks(partnership)
    return render_template("feedback/partnership.html", partnership=partnership, location=None, blocks=blocks,
                           waiting=_rounds_without_feedback(partnership, blocks),
                           status_labels=feedback_service.STATUS_LABELS)


@bp.get("/w/<slug>/<code>")
def location_feedback(slug: str, code: str):
    location = location_by_code(code)
    if location is None or location.partnership.slug != slug:
        abort(404)
    partnership = location.partnership
    heard_here = feedback_service.rounds_heard_at(location)
    blocks = _round_blocks(partnership, heard_here)
    return render_template("feedback/partnership.html", partnership=partnership, location=location, blocks=blocks,
                           waiting=_rounds_without_feedback(partnership, blocks, heard_here),
                           status_labels=feedback_service.STATUS_LABELS)


@bp.route("/r", methods=["GET", "POST"])
@RECEIPT_LIMIT
def receipt_lookup():
    form = ReceiptLookupForm()
    if form.validate_on_submit():
        code = normalise_receipt_code(form.code.data)
        if code and receipts.signal_for_code(code) is not None:
            return redirect(url_for("feedback.receipt_status", code=code))
        form.code.errors.append(UNKNOWN_CODE)
    return render_template("feedback/receipt_lookup.html", form=form), 422 if form.is_submitted() else 200


@bp.get("/r/<code>")
@RECEIPT_LIMIT
def receipt_status(code: str):
    signal = receipts.signal_for_code(code)
    if signal is None:
        form = ReceiptLookupForm(data={"code": code[:40]})
        form.code.errors = [UNKNOWN_CODE]
        return render_template("feedback/receipt_lookup.html", form=form), 404
    if code != signal.receipt_code:
        return redirect(url_for("feedback.receipt_status", code=signal.receipt_code))
    status = receipts.status_of(signal, date.today())
    receipts.count_lookup(signal)
    return render_template("feedback/receipt_status.html", status=status, code=signal.receipt_code,
                           partnership=status.partnership, status_labels=feedback_service.STATUS_LABELS)
