"""Step 4: write, check and publish the round's feedback; what is due; loop figures; the folder."""
from __future__ import annotations

from datetime import date

from flask import Response, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from forms.common import EmptyForm
from forms.coordinator.feedback import FeedbackForm, PlainWordForm
from wijkapp.access import scoped_get_or_404
from wijkapp.audiences.coordinator import bp
from wijkapp.audiences.coordinator.locations import qr_download
from wijkapp.extensions import db
from wijkapp.models import Location, PlainWord, Round
from wijkapp.services import audit, feedback as feedback_service, folder, notify, plain_language
from wijkapp.services.loop_figures import loop_figures, nl_number, percent
from wijkapp.services.rounds import rounds_of


WORD_MAX_LENGTH = 80  # PlainWord.word


def _check(draft):
    words = plain_language.word_list(g.partnership)
    parts = {"heard": draft.heard, "done": draft.done, "not_possible": draft.not_possible,
             "next_update_channel": draft.next_update_channel, "contact": draft.contact}
    return plain_language.check_parts(parts, words)


@bp.get("/feedback")
def feedback_overview():
    today = date.today()
    all_rounds = rounds_of(g.partnership)
    return render_template(
        "coordinator/feedback/feedback_overview.html",
        rounds=[(r, feedback_service.round_state(r, today)) for r in all_rounds],
        due=feedback_service.due_items(g.partnership, today),
        unsent=notify.unsent(g.partnership),
    )


@bp.route("/rounds/<int:round_id>/feedback", methods=["GET", "POST"])
def feedback_edit(round_id: int):
    round_ = scoped_get_or_404(Round, round_id)
    draft = feedback_service.draft_for(round_, current_user)
    form = FeedbackForm(obj=draft)
    status = 200
    if form.validate_on_submit():
        feedback_service.save_draft(draft, form.data_for_service(), current_user)
        db.session.commit()  # what was typed is kept, even when the 422 below rolls the rest back
        if "publish" not in request.form:
            flash("Het concept is bewaard. Hieronder zie je de leesbaarheidscheck.", "success")
            return redirect(url_for("coordinator.feedback_edit", round_id=round_.id, _anchor="check"))
        problems = feedback_service.missing_parts(draft)
        for name, message in problems.items():
            getattr(form, name).errors.append(message)
        if not problems and not draft.is_approved and not form.confirm_unreviewed.data:
            form.confirm_unreviewed.errors.append(
                "De ervaringsdeskundige heeft deze tekst nog niet goedgekeurd. Vink dit aan om toch te "
                "publiceren; bewoners zien dan dat de tekst niet is nagekeken.")
        if not form.errors:
            try:
                version = feedback_service.publish(draft, current_user)
                db.session.flush()  # two publishers at once clash on the version number here
            except IntegrityError:
                db.session.rollback()
                flash("Iemand anders publiceerde net een versie. Bekijk de tekst en publiceer opnieuw.", "error")
                return redirect(url_for("coordinator.feedback_edit", round_id=round_.id))
            queued = notify.unsent(g.partnership)
            waiting = sum(1 for m in queued if m.feedback_id == version.id)
            flash(f"Versie {version.version} staat online."
                  + (f" {waiting} {'bewoner krijgt' if waiting == 1 else 'bewoners krijgen'} een bericht." if waiting else ""),
                  "success")
            return redirect(url_for("coordinator.feedback_edit", round_id=round_.id))
        status = 422
    elif form.is_submitted():
        status = 422
    whole, per_part = _check(draft)
    return render_template(
        "coordinator/feedback/feedback_edit.html",
        round=round_, draft=draft, form=form, check=whole, part_checks=per_part,
        versions=feedback_service.published_versions(round_), actions=feedback_service.round_actions(round_),
        parts=feedback_service.PARTS, status_labels=feedback_service.STATUS_LABELS,
    ), status


@bp.route("/plain-words", methods=["GET", "POST"])
def plain_words():
    form = PlainWordForm()
    valid = form.validate_on_submit()
    word = " ".join((form.word.data or "").lower().split())
    if valid and len(word) > WORD_MAX_LENGTH:  # lower-casing can lengthen a word: İ becomes i + dot above
        form.word.errors = list(form.word.errors) + [f"Gebruik maximaal {WORD_MAX_LENGTH} tekens."]
        valid = False
    if valid:
        plain_language.save_own_word(g.partnership, current_user, word, form.alternative.data)
        flash(f"‘{word}’ staat in de woordenlijst. De check stelt nu ‘{form.alternative.data}’ voor.", "success")
        return redirect(url_for("coordinator.plain_words"))
    return render_template("coordinator/feedback/plain_words.html", form=form, own=plain_language.own_words(g.partnership),
                           shipped=sorted(plain_language.shipped_words().items()),
                           delete_form=EmptyForm()), 422 if form.is_submitted() else 200


@bp.post("/plain-words/<int:word_id>/delete")
def plain_word_delete(word_id: int):
    word = scoped_get_or_404(PlainWord, word_id)
    if EmptyForm().validate_on_submit():
        plain_language.remove_own_word(word)
        flash(f"‘{word.word}’ is uit jullie eigen lijst gehaald.", "success")
    return redirect(url_for("coordinator.plain_words"))


bp.add_app_template_filter(percent, "percent")
bp.add_app_template_filter(nl_number, "nl_number")


def _charts(figures) -> list[dict]:
    """Rows of (label, value, text, hatched) per chart; the newest round on top."""
    rounds = list(reversed(figures.rounds))
    days = [r.median_days for r in rounds if r.median_days is not None]
    return [
        {"id": "share", "title": "Aandeel signalen met gepubliceerde terugkoppeling", "max": 1,
         "rows": [(r.round.label, r.share or 0,
                   f"{percent(r.share)} ({r.with_feedback} van {r.signals})" if r.share is not None else "geen signalen",
                   False) for r in rounds]},
        {"id": "days", "title": "Mediaan dagen van signaal tot eerste terugkoppeling", "max": max(days, default=1) or 1,
         "rows": [(r.round.label, r.median_days or 0,
                   f"{nl_number(r.median_days)} dagen" if r.median_days is not None else "nog geen", False) for r in rounds]},
        {"id": "ontime", "title": "Op tijd (effen) of te laat (gearceerd)", "max": 1,
         "rows": [(r.round.label, 0 if r.on_time is None else 1,
                   {True: "op tijd", False: "te laat", None: "nog niet aan de beurt"}[r.on_time], r.on_time is False)
                  for r in rounds]},
        {"id": "lookups", "title": "Opgezochte ontvangstcodes", "max": max((r.lookups for r in rounds), default=1) or 1,
         "rows": [(r.round.label, r.lookups, str(r.lookups), False) for r in rounds]},
    ]


@bp.get("/loop")
def loop_dashboard():
    figures = loop_figures(g.partnership, date.today())
    return render_template("coordinator/feedback/loop.html", figures=figures, charts=_charts(figures))


@bp.get("/outbox")
def outbox():
    return render_template("coordinator/feedback/outbox.html", unsent=notify.unsent(g.partnership), form=EmptyForm(),
                           max_attempts=notify.MAX_ATTEMPTS)


@bp.post("/outbox/send")
def outbox_send():
    if EmptyForm().validate_on_submit():
        for message in notify.unsent(g.partnership):
            message.next_attempt_at = message.created_at  # "now" means: do not wait for the backoff
            if message.attempts >= notify.MAX_ATTEMPTS:
                message.attempts = notify.MAX_ATTEMPTS - 1
        report = notify.send_pending(partnership_id=g.partnership.id)
        if report.not_configured:
            flash("Er is geen mailserver ingesteld (SMTP_HOST). De berichten blijven bewaard.", "error")
        elif report.failed:
            flash(f"{report.sent} verstuurd, {report.failed} niet gelukt. We proberen het later opnieuw.", "error")
        else:
            flash(f"{report.sent} {'bericht' if report.sent == 1 else 'berichten'} verstuurd.", "success")
    return redirect(url_for("coordinator.outbox"))


def _folder_name(round_: Round, extension: str) -> str:
    return f"mapje-{g.partnership.slug}-ronde-{round_.number}.{extension}"


FOLDER_FORMATS = {
    "pdf": (folder.folder_pdf, "application/pdf"),
    "xlsx": (folder.folder_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


@bp.get("/rounds/<int:round_id>/folder.pdf", defaults={"extension": "pdf"}, endpoint="folder_pdf")
@bp.get("/rounds/<int:round_id>/folder.xlsx", defaults={"extension": "xlsx"}, endpoint="folder_xlsx")
def folder_download(round_id: int, extension: str):
    """The folder of one round; every download is in the audit log (who viewed which export)."""
    round_ = scoped_get_or_404(Round, round_id)
    build, mimetype = FOLDER_FORMATS[extension]
    body = build(g.partnership, round_)
    audit.record(g.partnership, current_user, f"export_folder_{extension}", round_, detail=round_.label)
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{_folder_name(round_, extension)}"'})


@bp.get("/locations/<int:location_id>/feedback-poster")
def feedback_poster(location_id: int):
    location = scoped_get_or_404(Location, location_id)
    url = feedback_service.location_feedback_url(location)
    return render_template("coordinator/feedback/feedback_poster.html", location=location,
                           content=feedback_service.poster_content(location),
                           short_url=url.split("://", 1)[-1], status_labels=feedback_service.STATUS_LABELS)


@bp.get("/locations/<int:location_id>/feedback-qr.<kind>")
def feedback_qr(location_id: int, kind: str):
    location = scoped_get_or_404(Location, location_id)
    return qr_download(feedback_service.location_feedback_url(location), kind, f"terugkoppeling-{location.code}")
