"""Professionals answer the partnership's two fixed questions between appointments (form B)."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, url_for
from flask_login import current_user

from forms.choices import id_or_none
from forms.professional import partnership_micro_survey_form
from wijkapp.access import partnership_blueprint
from wijkapp.models import Role
from wijkapp.services import micro_survey

bp = partnership_blueprint("professional", "professional", {Role.PROFESSIONAL, Role.COORDINATOR})


@bp.route("/", methods=["GET", "POST"])
def micro_survey_form():
    form = partnership_micro_survey_form(g.partnership)
    if form.validate_on_submit():
        saved = micro_survey.record_answers(
            g.partnership, current_user, (form.answer_1.data, form.answer_2.data),
            location_id=id_or_none(form.location.data), theme_id=id_or_none(form.theme.data),
        )
        flash(f"Dank je. {len(saved)} {'antwoord' if len(saved) == 1 else 'antwoorden'} opgeslagen.", "success")
        return redirect(url_for("professional.micro_survey_form"))
    return render_template(
        "professional/micro_survey.html",
        form=form,
        answered_today=micro_survey.answers_today(g.partnership, current_user),
    ), 422 if form.is_submitted() else 200
