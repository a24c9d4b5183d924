"""Ervaringsdeskundige (form D): adds signals as a source of their own, and reviews feedback texts
for plain language before residents read them."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, url_for
from flask_login import current_user

from forms.choices import id_or_none, location_choices, theme_choices
from forms.expert import ExpertSignalForm, ReviewForm
from wijkapp.access import partnership_blueprint, scoped_get_or_404
from wijkapp.models import Feedback, Role, Source
from wijkapp.services import feedback as feedback_service, plain_language
from wijkapp.services.intake import record_signal, signals_recorded_by

bp = partnership_blueprint("expert", "expert", {Role.ERVARINGSDESKUNDIGE, Role.COORDINATOR})


@bp.route("/", methods=["GET", "POST"])
def home():
    form = ExpertSignalForm()
    form.location.choices = location_choices(g.partnership)
    form.theme.choices = theme_choices(g.partnership)
    if form.validate_on_submit():
        record_signal(
            g.partnership, form.text.data, Source.ERVARINGSDESKUNDIGE,
            location_id=id_or_none(form.location.data), theme_id=id_or_none(form.theme.data),
            created_by=current_user,
        )
        flash("Het signaal is opgeslagen.", "success")
        return redirect(url_for("expert.home"))
    mine = signals_recorded_by(g.partnership, current_user, Source.ERVARINGSDESKUNDIGE)
    return render_template("expert/home.html", form=form, mine=mine), 422 if form.is_submitted() else 200


# ---------------------------------------------------------------- reviewing feedback texts


@bp.get("/feedback")
def feedback_reviews():
    return render_template("expert/feedback_reviews.html", drafts=feedback_service.drafts_to_review(g.partnership))


@bp.route("/feedback/<int:feedback_id>", methods=["GET", "POST"])
def feedback_review(feedback_id: int):
    draft = scoped_get_or_404(Feedback, feedback_id)
    if draft.version != 0:
        abort(404)  # published versions are history: they are not reviewed afterwards
    form = ReviewForm()
    if form.validate_on_submit():
        approve = form.decision.data == "approve"
        feedback_service.review(draft, current_user, approve, form.comment.data or "")
        flash("Goedgekeurd. De coördinator kan de tekst nu publiceren." if approve
              else "Teruggestuurd met je opmerking. De coördinator ziet die bij de tekst.", "success")
        return redirect(url_for("expert.feedback_reviews"))
    words = plain_language.word_list(g.partnership)
    parts = {"heard": draft.heard, "done": draft.done, "not_possible": draft.not_possible,
             "next_update_channel": draft.next_update_channel, "contact": draft.contact}
    whole, per_part = plain_language.check_parts(parts, words)
    return render_template("expert/feedback_review.html", draft=draft, form=form, check=whole,
                           part_checks=per_part, parts=feedback_service.PARTS), 422 if form.is_submitted() else 200
