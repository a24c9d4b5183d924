"""Rounds: cadence, opening the next round, the round page, the meeting screen, agenda and choosing."""
from __future__ import annotations

from datetime import date

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from forms.common import EmptyForm
from forms.coordinator.rounds import CadenceForm, MeetingDateForm, OpenRoundForm, scores_form
from wijkapp.access import scoped_get_or_404
from wijkapp.audiences.coordinator import bp
from wijkapp.audiences.coordinator.team import hand_over_links
from wijkapp.models import Round
from wijkapp.services import audit, choosing, meeting, personal_links, rounds
from wijkapp.services.ranking import SCORE_SENTENCE


def _rounds_page(cadence_form=None, open_form=None, status=200):
    today = date.today()
    current = rounds.round_for_date(g.partnership, today)
    cadence_form = cadence_form or CadenceForm(cadence=g.partnership.cadence)
    open_form = open_form or OpenRoundForm(
        starts_on=today, meeting_on=rounds.proposed_meeting_date(g.partnership, today))
    rows = [(r, rounds.signal_count(r)) for r in rounds.rounds_of(g.partnership)]
    return render_template("coordinator/rounds/rounds.html", rows=rows, current=current, cadence_form=cadence_form,
                           open_form=open_form, cadences=rounds.CADENCES), status


@bp.get("/rounds")
def rounds_list():
    return _rounds_page()


@bp.post("/rounds/cadence")
def rounds_cadence():
    form = CadenceForm()
    if not form.validate_on_submit():
        return _rounds_page(cadence_form=form, status=422)
    g.partnership.cadence = form.cadence.data
    audit.record(g.partnership, current_user, "cadence_set", detail=form.cadence.data)
    flash(f"Jullie ritme is opgeslagen: {rounds.CADENCES[form.cadence.data].lower()}.", "success")
    return redirect(url_for("coordinator.rounds_list"))


@bp.post("/rounds/open")
def rounds_open():
    form = OpenRoundForm()
    if form.validate_on_submit():
        try:
            new = rounds.open_next_round(g.partnership, form.starts_on.data, form.meeting_on.data)
        except rounds.RoundError as error:
            getattr(form, error.field).errors.append(str(error))
        else:
            audit.record(g.partnership, current_user, "round_opened", new)
            sent = personal_links.send_micro_survey_links(new, current_user)
            flash(f"{new.label} is geopend. Nieuwe signalen vallen vanaf nu in deze ronde.", "success")
            hand_over_links(sent)
            return redirect(url_for("coordinator.round_detail", round_id=new.id))
    return _rounds_page(open_form=form, status=422)


def _round_page(round_: Round, meeting_form=None, status=200):
    view = meeting.round_view(round_, date.today())
    return render_template("coordinator/rounds/round.html", view=view, r=round_, today=date.today(),
                           meeting_form=meeting_form or MeetingDateForm(meeting_on=round_.meeting_on),
                           score_sentence=SCORE_SENTENCE, button_form=EmptyForm(),
                           is_latest=rounds.next_round(round_) is None,
                           survey_people=personal_links.micro_survey_people(g.partnership)), status


@bp.post("/rounds/<int:round_id>/micro-survey-links")
def round_micro_survey_links(round_id: int):
    """Everyone who answers the two questions gets a new link for this round; old links stop."""
    round_ = scoped_get_or_404(Round, round_id)
    if EmptyForm().validate_on_submit():
        if rounds.next_round(round_) is not None:
            flash(f"{round_.label} is voorbij. Stuur de twee vragen voor de lopende ronde.", "error")
        else:
            sent = personal_links.send_micro_survey_links(round_, current_user)
            if not sent:
                flash("Er is niemand die de twee vragen krijgt. Geef iemand de rol professional, of zet het aan bij "
                      "een contactpersoon op de teampagina.", "info")
            hand_over_links(sent)
    return redirect(url_for("coordinator.round_detail", round_id=round_.id, _anchor="twee-vragen"))


@bp.get("/rounds/<int:round_id>")
def round_detail(round_id: int):
    return _round_page(scoped_get_or_404(Round, round_id))


@bp.post("/rounds/<int:round_id>/meeting-date")
def round_meeting_date(round_id: int):
    round_ = scoped_get_or_404(Round, round_id)
    form = MeetingDateForm()
    if form.validate_on_submit():
        try:
            rounds.set_meeting_date(round_, form.meeting_on.data)
        except rounds.RoundError as error:
            form.meeting_on.errors.append(str(error))
        else:
            audit.record(g.partnership, current_user, "meeting_date_set", round_, detail=str(form.meeting_on.data))
            flash("De overlegdatum is opgeslagen.", "success")
            return redirect(url_for("coordinator.round_detail", round_id=round_.id))
    return _round_page(round_, meeting_form=form, status=422)


@bp.get("/rounds/<int:round_id>/meeting")
def round_meeting(round_id: int):
    round_ = scoped_get_or_404(Round, round_id)
    return render_template("coordinator/rounds/meeting.html", view=meeting.round_view(round_, date.today()),
                           r=round_, blocks=meeting.BLOCKS, today=date.today())


@bp.get("/rounds/<int:round_id>/agenda")
def round_agenda(round_id: int):
    round_ = scoped_get_or_404(Round, round_id)
    view = meeting.round_view(round_, date.today())
    return render_template("coordinator/rounds/agenda.html", view=view, r=round_, blocks=meeting.BLOCKS,
                           agenda_text=meeting.agenda_text(g.partnership, view))


@bp.get("/rounds/<int:round_id>/agenda.txt")
def round_agenda_txt(round_id: int):
    round_ = scoped_get_or_404(Round, round_id)
    text = meeting.agenda_text(g.partnership, meeting.round_view(round_, date.today()))
    return Response(text, mimetype="text/plain", headers={
        "Content-Disposition": f'attachment; filename="agenda-{g.partnership.slug}-ronde-{round_.number}.txt"'})


@bp.route("/rounds/<int:round_id>/choose", methods=["GET", "POST"])
def round_choose(round_id: int):
    round_ = scoped_get_or_404(Round, round_id)
    items = choosing.candidates(round_)
    ids = [c.ranked.bundle_id for c in items]
    initial = {}
    for c in items:
        initial[f"feasibility_{c.ranked.bundle_id}"] = c.feasibility
        initial[f"impact_{c.ranked.bundle_id}"] = c.impact
    form = scores_form(ids, formdata=request.form if request.method == "POST" else None, data=initial)
    if request.method == "POST":
        if not items:
            abort(404)
        if form.validate_on_submit():
            choosing.save_scores(round_, {
                bundle_id: (form[f"feasibility_{bundle_id}"].data, form[f"impact_{bundle_id}"].data)
                for bundle_id in ids}, current_user)
            flash("De scores zijn opgeslagen. Kies nu 1 of 2 acties.", "success")
            return redirect(url_for("coordinator.round_choose", round_id=round_.id, _anchor="plaatje"))
    return render_template("coordinator/rounds/choose.html", r=round_, items=items, form=form,
                           svg=choosing.matrix_svg(items), actions=meeting.action_service.actions_of_round(round_),
                           limit=meeting.action_service.ACTIONS_PER_ROUND), \
        422 if request.method == "POST" else 200
