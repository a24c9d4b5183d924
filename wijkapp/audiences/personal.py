"""Personal links: one page for one person, without a password.

The contact at the municipality updates the action they own; the GP assistant answers the two
questions of this round. The token in the URL is the key, so the page shows only its own action
or questions, links nowhere else in the app, is rate-limited per address and per link, and logs
every use (services.personal_links.record_use).
"""
from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for

from forms.choices import id_or_none
from forms.professional import partnership_micro_survey_form
from forms.coordinator.actions import ActionUpdateForm
from wijkapp.extensions import db, limiter
from wijkapp.models import LinkPurpose, Partnership, PersonalLink
from wijkapp.services import actions as action_service
from wijkapp.services import micro_survey, personal_links

bp = Blueprint("personal", __name__, url_prefix="/link")


def _token_key() -> str:
    # Guessing tokens from many addresses is slow too; per link, a shared link cannot be hammered.
    return "personal-link:" + (request.view_args or {}).get("token", "-")[:100]


@bp.route("/<token>", methods=["GET", "POST"])
@limiter.limit("30 per minute;300 per hour")
@limiter.limit("60 per hour", key_func=_token_key, methods=["POST"])
def page(token: str):
    link = personal_links.link_by_token(token, date.today())
    if link is None:
        return render_template("personal/link_invalid.html"), 404
    partnership = link.partnership
    if link.purpose == LinkPurpose.ACTION:
        return _action_page(token, link, partnership)
    return _micro_survey_page(token, link, partnership)


def _action_page(token: str, link: PersonalLink, partnership: Partnership):
    action = link.action
    form = ActionUpdateForm(status=action.status) if request.method == "GET" else ActionUpdateForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            action_service.add_update(action, link.user, form.text.data or "", form.status.data,
                                      form.stop_reason.data or "", via_personal_link=True)
        except action_service.ActionRuleError as error:
            db.session.rollback()
            for name, message in error.problems.errors.items():
                form[name].errors = list(form[name].errors) + [message]
        else:
            personal_links.record_use(link, "update")
            flash("Dank je. Je update staat in het logboek; de coördinator ziet hem ook.", "success")
            return redirect(url_for("personal.page", token=token, _anchor="logboek"))
    if request.method == "GET":
        personal_links.record_use(link, "bekeken")
    return render_template("personal/action.html", link=link, action=action, partnership=partnership, form=form,
                           token=token, overdue=action_service.overdue(action, date.today()),
                           closes=action.status not in action_service.OPEN_STATUSES), \
        422 if request.method == "POST" else 200


def _micro_survey_page(token: str, link: PersonalLink, partnership: Partnership):
    form = partnership_micro_survey_form(partnership)
    if form.validate_on_submit():
        saved = micro_survey.record_answers(
            partnership, link.user, (form.answer_1.data, form.answer_2.data),
            location_id=id_or_none(form.location.data), theme_id=id_or_none(form.theme.data),
        )
        personal_links.record_use(link, f"{len(saved)} antwoorden")
        flash(f"Dank je. {len(saved)} {'antwoord' if len(saved) == 1 else 'antwoorden'} opgeslagen. "
              "Je mag deze ronde vaker antwoorden via dezelfde link.", "success")
        return redirect(url_for("personal.page", token=token))
    if request.method == "GET":
        personal_links.record_use(link, "bekeken")
    return render_template("personal/micro_survey.html", link=link, partnership=partnership, form=form,
                           token=token, answered_today=micro_survey.answers_today(partnership, link.user)), \
        422 if form.is_submitted() else 200
