"""Wijkpanel and theme sessions (form C): attendees counted, never named."""
from __future__ import annotations

from datetime import date

from flask import flash, g, redirect, render_template, url_for
from flask_login import current_user

from forms.choices import id_or_none, theme_choices
from forms.common import NO_CHOICE
from forms.coordinator.panels import PanelSessionForm
from forms.host import QuickSignalForm
from wijkapp.access import scoped_get_or_404
from wijkapp.audiences.coordinator import bp
from wijkapp.models import PanelSession, Source
from wijkapp.services import panel_sessions as panel_service
from wijkapp.services.intake import record_signal_once


@bp.route("/panel-sessions", methods=["GET", "POST"])
def panel_sessions():
    form = PanelSessionForm(held_on=date.today())
    form.theme.choices = theme_choices(g.partnership)
    if form.validate_on_submit():
        session = panel_service.record_session(
            g.partnership, current_user, kind=form.kind.data, topic=form.topic.data,
            theme_id=id_or_none(form.theme.data), held_on=form.held_on.data,
            core_attendees=form.core_attendees.data, extra_attendees=form.extra_attendees.data)
        flash("De bijeenkomst is vastgelegd. Voeg nu de signalen toe.", "success")
        return redirect(url_for("coordinator.panel_session", session_id=session.id))
    return render_template("coordinator/panels/panel_sessions.html", form=form,
                           sessions=panel_service.sessions_of(g.partnership)), \
        422 if form.is_submitted() else 200


@bp.route("/panel-sessions/<int:session_id>", methods=["GET", "POST"])
def panel_session(session_id: int):
    session = scoped_get_or_404(PanelSession, session_id)
    form = QuickSignalForm(theme=session.theme_id or NO_CHOICE)
    form.theme.choices = theme_choices(g.partnership)
    if form.validate_on_submit():
        record_signal_once(
            g.partnership, form.text.data, Source.PANEL_SESSION, form.submission_token.data,
            theme_id=id_or_none(form.theme.data), created_by=current_user, panel_session_id=session.id,
        )
        flash("Opgeslagen. Typ het volgende signaal.", "success")
        # No #fragment: a fragment makes browsers skip autofocus, and the host must be able to
        # type the next signal straight away.
        return redirect(url_for("coordinator.panel_session", session_id=session.id))
    return render_template("coordinator/panels/panel_session.html", session=session, form=form), \
        422 if form.is_submitted() else 200
