"""What residents reach without an account: the QR form per location and its thank-you page."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user

from forms.choices import id_or_none, theme_choices
from forms.common import EmptyForm
from forms.public import ResidentSignalForm
from wijkapp import database
from wijkapp.extensions import db, limiter
from wijkapp.models import Source
from wijkapp.services.intake import ResidentContactDetails, record_signal_once
from wijkapp.services.locations import location_by_code
from wijkapp.services import accounts, audit, first_start, intake, privacy

bp = Blueprint("public", __name__)

RESIDENT_POST_LIMIT = "10 per minute;60 per hour"
# The signed link cannot be guessed, but trying is still slow: per address, every method.
WITHDRAW_LIMIT = "10 per minute;60 per hour"


@bp.get("/healthz")
def healthz():
    if not database.answers(db.session):
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


@bp.get("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for("auth.start"))
    if not accounts.has_accounts():
        first_start.announce_setup_link()
        return render_template("public/first_start.html")
    return render_template("public/index.html")


@bp.route("/s/<code>", methods=["GET", "POST"])
@limiter.limit(RESIDENT_POST_LIMIT, methods=["POST"])
def resident_form(code: str):
    if request.method == "POST":
        database.reads_before_writing()  # the write lock is taken for the insert only
    location = location_by_code(code)
    if location is None:
        return render_template("public/unknown_location.html"), 404
    partnership = location.partnership
    if not location.is_active:
        return render_template("public/inactive_location.html", location=location, partnership=partnership)

    form = ResidentSignalForm()
    form.theme.choices = theme_choices(partnership, empty_label="Weet ik niet / sla over")
    if form.validate_on_submit():
        if form.website.data:
            # A bot filled the honeypot: answer like a success, store nothing.
            return redirect(url_for("public.thanks", code=location.code))
        sent_before = session.get("sent_receipts", [])
        resent = intake.earlier_send(sent_before, location.id, form.text.data)
        if resent is not None:  # Back and send again: the first thank-you page, nothing stored
            session["last_receipt"] = resent.receipt_code
            return redirect(url_for("public.thanks", code=location.code))
        contact = ResidentContactDetails(email=form.email.data) if form.wants_update.data and form.email.data else None
        database.begin_writing(db.session)
        signal = record_signal_once(
            partnership,
            form.text.data,
            Source.RESIDENT_QR,
            form.submission_token.data,  # empty in a hand-made post: then simply stored
            location_id=location.id,
            theme_id=id_or_none(form.theme.data),
            contact=contact,
        )
        # Read before commit: afterwards the ORM would reload them in a second write transaction
        # (BEGIN IMMEDIATE on SQLite), holding the write lock until the request ends.
        receipt_code, location_code = signal.receipt_code, location.code
        # Commits itself (web.end_transaction then has nothing left): the write lock is freed now,
        # not after the redirect is built.
        db.session.commit()
        session["last_receipt"] = receipt_code
        session["sent_receipts"] = ([c for c in sent_before if c != receipt_code] + [receipt_code])[
            -intake.RESENDS_REMEMBERED:]
        return redirect(url_for("public.thanks", code=location_code))

    return render_template("public/resident_form.html", form=form, location=location, partnership=partnership), \
        422 if form.is_submitted() else 200


@bp.get("/s/<code>/bedankt")
def thanks(code: str):
    location = location_by_code(code)
    if location is None:
        return render_template("public/unknown_location.html"), 404
    receipt_code = session.get("last_receipt")
    signal = None
    if receipt_code:
        signal = privacy.signal_by_receipt(receipt_code)
    withdraw_link = None
    if signal is not None and signal.contact is not None:
        withdraw_link = url_for("public.privacy_withdraw", token=privacy.withdraw_token(signal))
    return render_template("public/thanks.html", location=location, partnership=location.partnership, signal=signal,
                           withdraw_link=withdraw_link)


@bp.get("/privacy/<slug>")
def privacy_statement(slug: str):
    partnership = accounts.partnership_by_slug(slug)
    if partnership is None:
        abort(404)
    return render_template("public/privacy_statement.html", partnership=partnership,
                           rate_limited=current_app.config.get("RATELIMIT_ENABLED", False))


@bp.route("/privacy/withdraw/<token>", methods=["GET", "POST"])
@limiter.limit(WITHDRAW_LIMIT)
def privacy_withdraw(token: str):
    """One link, no login: the resident takes back consent and the address is erased at once."""
    signal = privacy.signal_for_withdraw_token(token)
    if signal is None:
        return render_template("public/privacy_link_invalid.html"), 404
    form = EmptyForm()
    if form.validate_on_submit():
        if privacy.erase_contact(signal):
            audit.record(signal.partnership, None, "contact_withdrawn", signal)
            session["privacy_withdrawn"] = signal.receipt_code  # "gewist" once; after that "al geregeld"
        return redirect(url_for("public.privacy_withdraw", token=token))
    if signal.contact is None:
        just_now = session.pop("privacy_withdrawn", None) == signal.receipt_code
        return render_template("public/privacy_withdrawn.html", just_now=just_now,
                               partnership=signal.partnership)
    return render_template("public/privacy_withdraw.html", form=form, signal=signal,
                           partnership=signal.partnership)
