"""Mijn acties: every person with any role sees the actions they own, and their calendar feed.

Hosts and professionals never open the coordinator's pages, so their actions live here, in a
blueprint every role can reach.
"""
from __future__ import annotations

from datetime import date

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from forms.common import EmptyForm
from forms.coordinator.actions import ActionUpdateForm
from wijkapp.access import partnership_blueprint, scoped_get_or_404
from wijkapp.audiences.auth import START_ENDPOINT_OF_ROLE
from wijkapp.extensions import db
from wijkapp.models import Action, Role
from wijkapp.services import actions as action_service
from wijkapp.services import calendar_feed

bp = partnership_blueprint("mine", "mine", set(Role))


def post_action_update(action: Action, form: ActionUpdateForm) -> bool:
    """Log an update (and maybe a status change); False when the form must be shown again."""
    if not form.validate_on_submit():
        return False
    try:
        action_service.add_update(action, current_user, form.text.data or "", form.status.data,
                                  form.stop_reason.data or "")
    except action_service.ActionRuleError as error:
        db.session.rollback()
        for name, message in error.problems.errors.items():
            form[name].errors = list(form[name].errors) + [message]
        return False
    flash("De update staat in het logboek.", "success")
    return True


@bp.get("/")
def home():
    today = date.today()
    mine = action_service.actions_owned_by(g.partnership, current_user)
    own_work = [(role, url_for(START_ENDPOINT_OF_ROLE[role])) for role in sorted(g.roles, key=lambda r: r.value)]
    return render_template("mine/home.html", actions=mine, today=today, own_work=own_work,
                           overdue={a.id: action_service.overdue(a, today) for a in mine},
                           feed=calendar_feed.feed_of(g.partnership, current_user), feed_form=EmptyForm(),
                           feed_url=calendar_feed.feed_url,
                           open_statuses=action_service.OPEN_STATUSES)


def _own_action(action_id: int) -> Action:
    action = scoped_get_or_404(Action, action_id)
    if current_user.id not in (action.owner_id, action.feedback_owner_id) and Role.COORDINATOR not in g.roles:
        abort(404)
    return action


@bp.route("/actions/<int:action_id>", methods=["GET", "POST"])
def action(action_id: int):
    action = _own_action(action_id)
    form = ActionUpdateForm(status=action.status) if request.method == "GET" else ActionUpdateForm()
    if request.method == "POST" and post_action_update(action, form):
        return redirect(url_for("mine.action", action_id=action.id, _anchor="logboek"))
    return render_template("mine/action.html", action=action, form=form,
                           overdue=action_service.overdue(action, date.today())), \
        422 if request.method == "POST" else 200


@bp.post("/calendar")
def calendar_token():
    if EmptyForm().validate_on_submit():
        calendar_feed.new_token(g.partnership, current_user)
        flash("Je agenda-link is klaar. Een eerdere link werkt niet meer.", "success")
    return redirect(url_for("mine.home", _anchor="agenda"))
