"""The first-start wizard after the setup link: locations, themes, the two questions, the rhythm
and first meeting, and Template 1's minimum. Each step is a plain form; each POST commits one
complete change and goes on to the next step, so the wizard can be left and resumed at any step."""
from __future__ import annotations

from datetime import date

from flask import flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from forms.coordinator.setup import FirstPlanForm, FirstRoundForm, LocationNamesForm, ThemeNamesForm
from wijkapp.audiences.coordinator import bp
from wijkapp.audiences.coordinator.settings import set_micro_questions_from_form
from wijkapp.extensions import db
from wijkapp.services import locations as location_service
from wijkapp.services import plans, rounds, setup_wizard
from wijkapp.services.rounds import CADENCES

NEW_THEME_INPUTS = 3


def _page(key: str, form, status: int = 200, **context):
    step = setup_wizard.step(key)
    return render_template(f"coordinator/setup/setup_{key}.html", form=form, step=step,
                           number=setup_wizard.number_of(key), total=len(setup_wizard.STEPS),
                           previous=setup_wizard.previous(key), **context), status


def _next(key: str):
    setup_wizard.done(g.partnership, key)
    following = setup_wizard.KEYS.index(key) + 1
    if following < len(setup_wizard.STEPS):
        return redirect(url_for(setup_wizard.STEPS[following].endpoint))
    return redirect(url_for("coordinator.setup_done"))


@bp.get("/setup/")
def setup_resume():
    if setup_wizard.in_progress(g.partnership):
        return redirect(url_for(setup_wizard.step(g.partnership.setup_step).endpoint))
    return redirect(url_for("coordinator.setup_done"))


@bp.route("/setup/locations", methods=["GET", "POST"])
def setup_locations():
    if request.method == "POST" and "skip" in request.form:  # CSRFProtect checked the token already
        return _next("locations")
    form = LocationNamesForm()
    existing = [location.name for location in location_service.locations_of(g.partnership)]
    if form.validate_on_submit() and form.refuse_taken({name.casefold() for name in existing}, form.taken_message):
        for name in form.filled():
            location_service.add_location(g.partnership, name)
        made = len(form.filled())
        flash(f"{made} {'locatie' if made == 1 else 'locaties'} aangemaakt. De QR-posters print je later via "
              "Locaties.", "success")
        return _next("locations")
    return _page("locations", form, 422 if form.is_submitted() else 200, existing=existing)


@bp.route("/setup/themes", methods=["GET", "POST"])
def setup_themes():
    if request.method == "GET":
        names = setup_wizard.active_theme_names(g.partnership) + [""] * NEW_THEME_INPUTS
        form = ThemeNamesForm(formdata=None, data={"names": names})
    else:
        form = ThemeNamesForm()
    if form.validate_on_submit():
        setup_wizard.replace_themes(g.partnership, form.filled())
        return _next("themes")
    return _page("themes", form, 422 if form.is_submitted() else 200)


@bp.route("/setup/questions", methods=["GET", "POST"])
def setup_questions():
    form, saved = set_micro_questions_from_form()
    if saved:
        return _next("questions")
    return _page("questions", form, 422 if form.is_submitted() else 200)


@bp.route("/setup/round", methods=["GET", "POST"])
def setup_round():
    today = date.today()
    latest = rounds.latest_round(g.partnership)
    form = FirstRoundForm(cadence=g.partnership.cadence,
                          meeting_on=(latest.meeting_on if latest and latest.meeting_on
                                      else rounds.proposed_meeting_date(g.partnership, today)))
    if form.validate_on_submit():
        try:
            setup_wizard.first_round(g.partnership, form.cadence.data, form.meeting_on.data, current_user, today)
        except rounds.RoundError as error:
            db.session.rollback()
            getattr(form, error.field).errors.append(str(error))
        else:
            return _next("round")
    return _page("round", form, 422 if form.is_submitted() else 200, cadences=CADENCES)


@bp.route("/setup/plan", methods=["GET", "POST"])
def setup_plan():
    latest = plans.current(g.partnership, None)
    defaults = plans.fields_of(latest)
    form = FirstPlanForm(question=defaults.question or
                         f"Wat speelt er in {g.partnership.neighbourhood or 'de wijk'}, en wat pakken we samen op?",
                         feedback_what=defaults.feedback_what or DEFAULT_FEEDBACK_WHAT,
                         feedback_channel_when=defaults.feedback_channel_when or DEFAULT_FEEDBACK_CHANNEL,
                         feedback_owner=defaults.feedback_owner or current_user.display_name)
    if form.validate_on_submit():
        try:
            setup_wizard.save_plan_minimum(
                g.partnership, {name: form[name].data or "" for name in setup_wizard.PLAN_FIELDS}, current_user)
        except plans.PlanRuleError as error:
            db.session.rollback()
            for name, message in error.errors.items():
                form[name].errors = list(form[name].errors) + [message]
        except plans.StalePlan:
            db.session.rollback()
            flash("Iemand anders heeft de afspraken net opgeslagen. Kijk ze na op de pagina Afspraken.", "warning")
            return redirect(url_for("coordinator.setup_plan"))
        else:
            return _next("plan")
    return _page("plan", form, 422 if form.is_submitted() else 200)


DEFAULT_FEEDBACK_WHAT = ("Wat we hoorden, wat we doen en wanneer, wat (nog) niet kan en waarom, "
                         "en waar je kunt reageren of meedoen.")
DEFAULT_FEEDBACK_CHANNEL = "Na elk overleg: op de terugkoppelpagina, in het buurthuis en in de nieuwsbrief."


@bp.get("/setup/done")
def setup_done():
    resume = setup_wizard.step(g.partnership.setup_step) if setup_wizard.in_progress(g.partnership) else None
    return render_template("coordinator/setup/setup_done.html", resume=resume,
                           resume_number=setup_wizard.number_of(resume.key) if resume else None)
