"""Actions (Template 2): choose, edit with optimistic locking, follow up, practice conversation."""
from __future__ import annotations

from datetime import date

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from forms.common import EmptyForm, version_number
from forms.coordinator.actions import ActionForm, ActionUpdateForm
from wijkapp.access import scoped_get_or_404
from wijkapp.audiences.coordinator import bp
from wijkapp.audiences.coordinator.team import hand_over_links
from wijkapp.audiences.mine import post_action_update
from wijkapp.extensions import db
from wijkapp.models import Action, Bundle, PersonalLink, Round
from wijkapp.models.account import ROLE_LABELS
from wijkapp.presenters import nl_date
from wijkapp.services import actions as action_service
from wijkapp.services import bundling, choosing, contacts, personal_links, practice
from wijkapp.services import team as team_service


FIELD_LABELS = {
    "bundle_id": "Bundel", "signal_summary": "Signaal uit de wijk", "intended_result": "Beoogde opbrengst",
    "title": "Actie", "description": "Toelichting", "owner_id": "Eigenaar", "partners": "Partners",
    "first_step": "Eerste stap", "first_step_on": "Datum eerste stap", "check_on": "Checkmoment",
    "feedback_sentence": "Terugkoppeling aan inwoners", "feedback_owner_id": "Eigenaar terugkoppeling",
    "next_update_on": "Volgende update", "choice_reason": "Waarom gekozen", "feasibility": "Haalbaarheid",
    "impact": "Impact", "over_limit_reason": "Waarom een derde actie", "partner_ids": "Partners die meedoen",
}


def _people() -> list[tuple[int, str]]:
    """The team with their roles, then the contacts without an account with their organisation."""
    team = [(m.user.id, f"{m.user.display_name} ({', '.join(sorted(ROLE_LABELS[r].lower() for r in m.roles))})")
            for m in team_service.members(g.partnership) if m.user.active]  # only active people can own
    in_team = {user_id for user_id, _ in team}
    outside = [(c.user_id, f"{c.label}, contactpersoon") for c in contacts.contacts(g.partnership)
               if c.user_id not in in_team]
    return team + outside


def _prepare(form: ActionForm, action: Action | None = None) -> ActionForm:
    chosen_on = action.created_at.date() if action is not None else date.today()
    latest_first, first_check, last_check = action_service.date_ranges(chosen_on)
    form.first_step_on.description = f"Binnen 2 weken: uiterlijk {nl_date(latest_first)}."
    form.check_on.description = f"Over 6 tot 8 weken: tussen {nl_date(first_check)} en {nl_date(last_check)}."
    people = _people()
    form.owner_id.choices = [(None, "Kies een eigenaar")] + people
    form.feedback_owner_id.choices = [(None, "Nog niet bekend")] + people
    form.partner_ids.choices = people
    form.bundle_id.choices = [(None, "Geen bundel")] + [(b.id, b.name) for b in bundling.active_bundles(g.partnership)]
    return form


NULLABLE = {"owner_id", "bundle_id", "feedback_owner_id", "feasibility", "impact", "next_update_on"}


def _fields(form: ActionForm) -> action_service.ActionFields:
    values = {}
    for name in action_service.FIELD_NAMES:
        value = form[name].data
        values[name] = "" if value is None and name not in NULLABLE else value
    values["partner_ids"] = list(form.partner_ids.data or [])
    return action_service.ActionFields(**values)


def _check(form: ActionForm, round_: Round, action: Action | None) -> tuple[bool, bool]:
    """Run WTForms' checks and the service's rules together, so every message shows at once.
    Returns (ok to save, dates need a confirmation)."""
    valid = form.validate()
    if form.first_step_on.data is None or form.check_on.data is None:
        return False, False
    problems = action_service.check_rules(g.partnership, round_, _fields(form), date.today(), action=action)
    blocking = problems.blocking(bool(form.confirm_dates.data))
    for name, message in blocking.items():
        if message not in form[name].errors:
            form[name].errors = list(form[name].errors) + [message]
    return valid and not blocking, bool(problems.warnings)


def _render_form(form, round_, action=None, conflict=None, needs_confirm=False, status=200):
    return render_template(
        "coordinator/actions/action_form.html", form=form, r=round_, action=action, conflict=conflict,
        needs_confirm=needs_confirm or bool(form.confirm_dates.data),
        over_limit=action_service.needs_over_limit_reason(round_, action),
        limit=action_service.ACTIONS_PER_ROUND), status


@bp.route("/rounds/<int:round_id>/actions/new", methods=["GET", "POST"])
def action_new(round_id: int):
    round_ = scoped_get_or_404(Round, round_id)
    if request.method == "GET":
        first_step_on, check_on = action_service.default_dates(date.today())
        form = ActionForm(formdata=None, first_step_on=first_step_on, check_on=check_on)
        bundle_id = request.args.get("bundle", type=int)
        if bundle_id:
            bundle = scoped_get_or_404(Bundle, bundle_id)
            ranked = {c.ranked.bundle_id: c for c in choosing.candidates(round_)}.get(bundle.id)
            form.bundle_id.data = bundle.id
            form.signal_summary.data = choosing.signal_summary(bundle, ranked)
            if ranked:
                form.feasibility.data, form.impact.data = ranked.feasibility, ranked.impact
        return _render_form(_prepare(form), round_)
    form = _prepare(ActionForm())
    ok, needs_confirm = _check(form, round_, None)
    if ok:
        try:
            action = action_service.create_action(g.partnership, round_, _fields(form), current_user,
                                                  date.today(), confirmed=bool(form.confirm_dates.data))
        except action_service.ActionRuleError as error:  # a race with another new action
            for name, message in error.problems.blocking(bool(form.confirm_dates.data)).items():
                form[name].errors = list(form[name].errors) + [message]
        else:
            sent = personal_links.send_missing_action_links(action, current_user)
            flash(f"De actie ‘{action.title}’ is gekozen. Eigenaar: {action.owner.display_name}.", "success")
            hand_over_links(sent)
            return redirect(url_for("coordinator.action_detail", action_id=action.id))
    return _render_form(form, round_, needs_confirm=needs_confirm, status=422)


def _display(name: str, value) -> str:
    if value in (None, ""):
        return "(leeg)"
    named = action_service.name_behind(name, value)
    if named is not None:
        return named
    if isinstance(value, date):
        return nl_date(value)
    return str(value)


def _conflict(action: Action, form: ActionForm) -> list[tuple[str, str, str]]:
    """What the other person saved next to what this person typed, for each field that differs."""
    mine = _fields(form)
    return [(FIELD_LABELS[name], _display(name, getattr(action, name)), _display(name, getattr(mine, name)))
            for name in action_service.changed_fields(action, mine)]


def _stale(action_id: int, form: ActionForm):
    db.session.rollback()
    action = scoped_get_or_404(Action, action_id)
    db.session.refresh(action)
    conflict = _conflict(action, form)
    form.version.data = str(action.version)
    form.version.raw_data = [str(action.version)]  # the next save is based on what they now see
    return _render_form(form, action.round, action=action, conflict=conflict, status=409)


@bp.route("/actions/<int:action_id>/edit", methods=["GET", "POST"])
def action_edit(action_id: int):
    action = scoped_get_or_404(Action, action_id)
    if request.method == "GET":
        return _render_form(_prepare(ActionForm(formdata=None, obj=action), action), action.round, action=action)
    form = _prepare(ActionForm(), action)
    based_on = version_number(form.version.data)
    if based_on != action.version:
        return _stale(action.id, form)
    ok, needs_confirm = _check(form, action.round, action)
    if ok:
        try:
            action_service.update_action(action, _fields(form), current_user, based_on, date.today(),
                                         confirmed=bool(form.confirm_dates.data))
            sent = personal_links.send_missing_action_links(action, current_user)
            db.session.flush()  # an edit saved meanwhile by someone else shows up here (StaleDataError)
        except (action_service.StaleAction, StaleDataError):
            return _stale(action_id, form)
        except action_service.ActionRuleError as error:
            db.session.rollback()
            for name, message in error.problems.blocking(bool(form.confirm_dates.data)).items():
                form[name].errors = list(form[name].errors) + [message]
        else:
            flash("De actie is opgeslagen.", "success")
            hand_over_links(sent)
            return redirect(url_for("coordinator.action_detail", action_id=action_id))
    return _render_form(form, action.round, action=action, needs_confirm=needs_confirm, status=422)


@bp.get("/actions")
def actions_list():
    today = date.today()
    rows = action_service.actions_of(g.partnership)
    return render_template("coordinator/actions/actions.html", actions=rows,
                           overdue={a.id: action_service.overdue(a, today) for a in rows})


@bp.route("/actions/<int:action_id>", methods=["GET", "POST"])
def action_detail(action_id: int):
    action = scoped_get_or_404(Action, action_id)
    form = ActionUpdateForm(status=action.status) if request.method == "GET" else ActionUpdateForm()
    if request.method == "POST":
        if post_action_update(action, form):
            return redirect(url_for("coordinator.action_detail", action_id=action.id, _anchor="logboek"))
    return render_template("coordinator/actions/action.html", action=action, form=form,
                           overdue=action_service.overdue(action, date.today()),
                           link_people=[p for p in personal_links.action_people(action)
                                        if contacts.needs_link(g.partnership, p)],
                           links=personal_links.action_links(action), button_form=EmptyForm(),
                           open_statuses=action_service.OPEN_STATUSES), \
        422 if request.method == "POST" else 200


@bp.post("/actions/<int:action_id>/people/<int:person_id>/link")
def action_link_send(action_id: int, person_id: int):
    """A new personal link for someone on the action; an older one stops working."""
    action = scoped_get_or_404(Action, action_id)
    person = next((p for p in personal_links.action_people(action) if p.id == person_id), None)
    if person is None or not contacts.needs_link(g.partnership, person):
        abort(404)
    if EmptyForm().validate_on_submit():
        if action.status not in action_service.OPEN_STATUSES:
            flash("Deze actie is afgesloten. Een persoonlijke link werkt alleen bij een open actie.", "error")
        else:
            sent = personal_links.send_action_link(action, person, current_user)
            hand_over_links([sent])
    return redirect(url_for("coordinator.action_detail", action_id=action.id, _anchor="persoonlijke-links"))


@bp.post("/actions/<int:action_id>/links/<int:link_id>/revoke")
def action_link_revoke(action_id: int, link_id: int):
    action = scoped_get_or_404(Action, action_id)
    link = scoped_get_or_404(PersonalLink, link_id)
    if link.action_id != action.id:
        abort(404)
    if EmptyForm().validate_on_submit():
        personal_links.revoke(link, current_user)
        flash(f"De persoonlijke link van {link.user.display_name} werkt niet meer.", "success")
    return redirect(url_for("coordinator.action_detail", action_id=action.id, _anchor="persoonlijke-links"))


@bp.get("/actions/<int:action_id>/practice")
def action_practice(action_id: int):
    action = scoped_get_or_404(Action, action_id)
    return render_template("coordinator/actions/practice.html", case=practice.for_action(action), action=action,
                           today=date.today())


@bp.get("/bundles/<int:bundle_id>/practice")
def bundle_practice(bundle_id: int):
    bundle = scoped_get_or_404(Bundle, bundle_id)
    if bundle.merged_into_id:
        bundle = scoped_get_or_404(Bundle, bundle.merged_into_id)
    return render_template("coordinator/actions/practice.html", case=practice.for_bundle(bundle), action=None,
                           today=date.today())
