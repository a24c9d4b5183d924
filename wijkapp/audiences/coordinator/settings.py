"""The partnership's own lists: themes and the two micro-survey questions."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, url_for

from forms.common import EmptyForm
from forms.coordinator.settings import MicroQuestionsForm, ThemeForm
from wijkapp.access import scoped_get_or_404
from wijkapp.audiences.coordinator import bp
from wijkapp.models import Theme
from wijkapp.services import themes as theme_service


@bp.route("/themes", methods=["GET", "POST"])
def themes():
    form = ThemeForm()
    if form.validate_on_submit():
        try:
            theme_service.add_theme(g.partnership, form.name.data)
        except theme_service.ThemeExists as error:
            form.name.errors.append(str(error))
        else:
            flash(f"Thema ‘{form.name.data}’ is toegevoegd.", "success")
            return redirect(url_for("coordinator.themes"))
    return render_template("coordinator/settings/themes.html", form=form, themes=theme_service.themes_of(g.partnership),
                           toggle_form=EmptyForm()), \
        422 if form.is_submitted() else 200


@bp.post("/themes/<int:theme_id>/toggle")
def theme_toggle(theme_id: int):
    theme = scoped_get_or_404(Theme, theme_id)
    if EmptyForm().validate_on_submit():
        theme.is_active = not theme.is_active
        flash(f"Thema ‘{theme.name}’ is {'weer zichtbaar' if theme.is_active else 'verborgen'}.", "success")
    return redirect(url_for("coordinator.themes"))


def set_micro_questions_from_form() -> tuple[MicroQuestionsForm, bool]:
    """The form with the partnership's two questions, and whether a valid post set new ones
    (not committed yet). Also the first-start wizard's step."""
    form = MicroQuestionsForm(question_1=g.partnership.micro_question_1, question_2=g.partnership.micro_question_2)
    if not form.validate_on_submit():
        return form, False
    g.partnership.micro_question_1 = form.question_1.data
    g.partnership.micro_question_2 = form.question_2.data
    return form, True


@bp.route("/micro-survey", methods=["GET", "POST"])
def micro_questions():
    form, saved = set_micro_questions_from_form()
    if saved:
        flash("De twee vragen zijn opgeslagen. Nieuwe antwoorden krijgen deze vragen.", "success")
        return redirect(url_for("coordinator.micro_questions"))
    return render_template("coordinator/settings/micro_questions.html", form=form), 422 if form.is_submitted() else 200
