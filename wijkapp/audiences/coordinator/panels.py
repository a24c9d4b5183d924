"""Wijkpanel and theme sessions (form C): attendees counted, never named."""
from __future__ import annotations

from datetime import date

from flask import flash, g, redirect, render_template, url_for
from flask_login import current_user

from forms.choices import id_or_none, theme_choices
from forms.common import NO_CHOICE
from forms.coordinator import PanelSessionForm
from forms.host import QuickSignalForm
from wijkapp.access import scoped_get_or_404
from wijkapp.audiences.coordinator import bp
from wijkapp.extensions import db
from wijkapp.models import PanelSession, Source
from wijkapp.services.intake import record_signal

@bp.route("/panel-sessions", methods=["GET", "POST"])
def panel_sessions():
    form = PanelSessionForm(held_on=date.today())
    form.theme.choices = theme_choices(g.partnership)
    if form.validate_on_submit():
        session = PanelSession(
            partnership_id=g.partnership.id, created_by_id=current_user.id, kind=form.kind.data,
            topic=form.topic.data, theme_id=id_or_none(form.theme.data), held_on=form.held_on.data,
            core_attendees=form.core_attendees.data, extra_attendees=form.extra_attendees.data,
        )
        db.session.add(session)
        flash("De bijeenkomst is vastgelegd. Voeg nu de signalen toe.", "success")
        return redirect(url_for("coordinator.panel_session", session_id=session.id))
    sessions = db.session.scalars(
        db.select(PanelSession).where(PanelSession.partnership_id == g.partnership.id)
        .order_by(PanelSession.held_on.desc())
    ).all()
    return render_template("coordinator/panel_sessions.html", form=form, sessions=sessions), \
        422 if form.is_submitted() else 200


@bp.route("/panel-sessions/<int:session_id>", methods=["GET", "POST"])
def panel_session(session_id: int):
    session = scoped_get_or_404(PanelSession, session_id)
    form = QuickSignalForm(theme=session.theme_id or NO_CHOICE)
    form.theme.choices = theme_choices(g.partnership)
    if form.validate_on_submit():
        record_signal(
            g.partnership, form.text.data, Source.PANEL_SESSION,
            theme_id=id_or_none(form.theme.data), created_by=current_user, panel_session_id=session.id,
        )
        flash("Opgeslagen. Typ het volgende signaal.", "success")
        # No #fragment: a fragment makes browsers skip autofocus, and the host must be able to
        # type the next signal straight away.
        return redirect(url_for("coordinator.panel_session", session_id=session.id))
    return render_template("coordinator/panel_session.html", session=session, form=form), \
        422 if form.is_submitted() else 200
