"""Ervaringsdeskundige (form D): adds signals as a source of their own."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, url_for
from flask_login import current_user

from forms.choices import id_or_none, location_choices, theme_choices
from forms.expert import ExpertSignalForm
from wijkapp.access import partnership_blueprint
from wijkapp.extensions import db
from wijkapp.models import Role, Signal, Source
from wijkapp.services.intake import record_signal

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
        db.session.commit()
        flash("Het signaal is opgeslagen.", "success")
        return redirect(url_for("expert.home"))
    mine = db.session.scalars(
        db.select(Signal)
        .where(Signal.partnership_id == g.partnership.id, Signal.created_by_id == current_user.id,
               Signal.source == Source.ERVARINGSDESKUNDIGE.value)
        .order_by(Signal.created_at.desc())
        .limit(20)
    ).all()
    return render_template("expert/home.html", form=form, mine=mine), 422 if form.is_submitted() else 200
