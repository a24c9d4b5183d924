"""Participation agreements (Template 1): one readable page, versioned, per partnership or theme."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from forms.common import EmptyForm, version_number
from forms.coordinator.plan import PlanForm
from wijkapp.access import scoped_get_or_404
from wijkapp.audiences.coordinator import bp
from wijkapp.extensions import db
from wijkapp.models import Theme
from wijkapp.services import calendar_feed, plans
from wijkapp.services import themes as theme_service



def _theme() -> Theme | None:
    theme_id = request.args.get("theme", type=int)
    return scoped_get_or_404(Theme, theme_id) if theme_id else None


@bp.get("/plan")
def plan():
    return render_template("coordinator/plan/plan.html", plan=plans.current(g.partnership, None),
                           theme_plans=plans.current_per_theme(g.partnership),
                           themes=theme_service.themes_of(g.partnership, active_only=True))


@bp.get("/plan/theme/<int:theme_id>")
def plan_theme(theme_id: int):
    theme = scoped_get_or_404(Theme, theme_id)
    return render_template("coordinator/plan/plan_theme.html", plan=plans.current(g.partnership, theme.id),
                           theme=theme)


@bp.route("/plan/edit", methods=["GET", "POST"])
def plan_edit():
    theme = _theme()
    theme_id = theme.id if theme else None
    latest = plans.current(g.partnership, theme_id)
    conflict = None
    if request.method == "GET":
        form = PlanForm(formdata=None, obj=latest, based_on=str(latest.version if latest else 0))
        return render_template("coordinator/plan/plan_form.html", form=form, theme=theme, latest=latest)
    form = PlanForm()
    status = 422
    if form.validate_on_submit():
        data = plans.PlanFields(**{name: form[name].data or "" for name in plans.FIELD_NAMES})
        based_on = version_number(form.based_on.data)
        try:
            saved = plans.save(g.partnership, theme_id, data, current_user, based_on)
        except plans.PlanRuleError as error:
            db.session.rollback()
            for name, message in error.errors.items():
                form[name].errors = list(form[name].errors) + [message]
        except plans.StalePlan as error:
            db.session.rollback()
            latest = error.current
            theirs = plans.fields_of(latest)
            conflict = [(form[name].label.text, getattr(theirs, name) or "(leeg)", getattr(data, name) or "(leeg)")
                        for name in plans.FIELD_NAMES if getattr(theirs, name) != getattr(data, name)]
            form.based_on.data = str(latest.version if latest else 0)  # odd version, no plan yet
            form.based_on.raw_data = [form.based_on.data]
            status = 409
        else:
            flash(f"Versie {saved.version} van de afspraken is opgeslagen. Eerdere versies blijven bewaard.", "success")
            return redirect(url_for("coordinator.plan_theme", theme_id=theme_id) if theme_id
                            else url_for("coordinator.plan"))
    return render_template("coordinator/plan/plan_form.html", form=form, theme=theme, latest=latest,
                           conflict=conflict), status


@bp.get("/plan/history")
def plan_history():
    theme = _theme()
    return render_template("coordinator/plan/plan_history.html", theme=theme,
                           versions=plans.history(g.partnership, theme.id if theme else None))


@bp.route("/calendar", methods=["GET", "POST"])
def calendar():
    form = EmptyForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        calendar_feed.new_token(g.partnership, None)
        flash("De nieuwe agenda-link is klaar. De oude link werkt niet meer.", "success")
        return redirect(url_for("coordinator.calendar"))
    feed = calendar_feed.feed_of(g.partnership, None)
    return render_template("coordinator/plan/calendar.html", feed=feed, form=form,
                           feed_url=calendar_feed.feed_url(feed) if feed else "")
