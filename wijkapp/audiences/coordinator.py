"""Coordinator at a desk: the round's signals, locations with QR codes, themes, questions, panels."""
from __future__ import annotations

from datetime import date

from flask import Response, flash, g, redirect, render_template, request, stream_with_context, url_for
from flask_login import current_user

from forms.choices import id_or_none, location_choices, theme_choices
from forms.common import NO_CHOICE, EmptyForm
from forms.coordinator import (
    LocationForm, MicroQuestionsForm, PanelSessionForm, SignalFilterForm, ThemeForm,
)
from forms.host import QuickSignalForm
from wijkapp.access import partnership_blueprint, scoped_get_or_404
from wijkapp.extensions import db
from wijkapp.models import Form, Location, PanelSession, Role, Source, Theme
from wijkapp.models.signal import FORM_LABELS, SOURCE_LABELS
from wijkapp.services import audit, exports, locations as location_service, rounds, signal_list
from wijkapp.services.intake import record_signal

bp = partnership_blueprint("coordinator", "coordinator", {Role.COORDINATOR})


@bp.get("/")
def home():
    current = rounds.round_for_date(g.partnership, date.today())
    db.session.commit()  # round 1 may just have been created
    round_filter = signal_list.SignalFilter(round_id=current.id)
    return render_template(
        "coordinator/home.html",
        current_round=current,
        counts=signal_list.counts(g.partnership, round_filter),
        total=sum(signal_list.counts(g.partnership, round_filter)["source"].values()),
        locations=g.partnership.locations,
    )


# --- Signals -------------------------------------------------------------------------------

def _filter_form() -> SignalFilterForm:
    form = SignalFilterForm(request.args)
    form.round.choices = [(NO_CHOICE, "Alle rondes")] + [(r.id, r.label) for r in rounds.rounds_of(g.partnership)]
    form.location.choices = location_choices(g.partnership, empty_label="Alle locaties", active_only=False)
    form.theme.choices = theme_choices(g.partnership, empty_label="Alle thema's")
    form.source.choices = [("", "Alle bronnen")] + [(s.value, label) for s, label in SOURCE_LABELS.items()]
    form.form.choices = [("", "Alle vormen")] + [(f.value, label) for f, label in FORM_LABELS.items()]
    return form


def _signal_filter(form: SignalFilterForm) -> signal_list.SignalFilter:
    if request.args and not form.validate():
        return signal_list.SignalFilter(round_id=-1)  # invalid filter: show nothing, say why
    return signal_list.SignalFilter(
        round_id=id_or_none(form.round.data),
        date_from=form.date_from.data,
        date_to=form.date_to.data,
        location_id=id_or_none(form.location.data),
        source=form.source.data or None,
        form=form.form.data or None,
        theme_id=id_or_none(form.theme.data),
    )


@bp.get("/signals")
def signals():
    form = _filter_form()
    signal_filter = _signal_filter(form)
    page = request.args.get("page", 1, type=int)
    return render_template(
        "coordinator/signals.html",
        filter_form=form,
        page=signal_list.page_of_signals(g.partnership, signal_filter, page),
        counts=signal_list.counts(g.partnership, signal_filter),
        sources=list(Source),
        forms=list(Form),
        export_args={k: v for k, v in request.args.items() if k != "page"},
    )


@bp.get("/signals.csv")
def signals_csv():
    form = _filter_form()
    signal_filter = _signal_filter(form)
    audit.record(g.partnership, current_user, "export_signals_csv", detail=request.query_string.decode()[:500])
    db.session.commit()
    partnership = g.partnership
    body = exports.signals_csv(signal_list.iter_signals(partnership, signal_filter))
    filename = f"signalen-{partnership.slug}-{date.today():%Y-%m-%d}.csv"
    return Response(
        stream_with_context(body),
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


# --- Locations and QR codes -----------------------------------------------------------------

@bp.route("/locations", methods=["GET", "POST"])
def locations():
    form = LocationForm()
    if form.validate_on_submit():
        location = location_service.add_location(g.partnership, form.name.data, form.description.data)
        location.is_active = form.is_active.data
        db.session.commit()
        flash(f"Locatie ‘{location.name}’ is aangemaakt. Print nu de poster.", "success")
        return redirect(url_for("coordinator.location_detail", location_id=location.id))
    all_locations = db.session.scalars(
        db.select(Location).where(Location.partnership_id == g.partnership.id).order_by(Location.name)
    ).all()
    return render_template("coordinator/locations.html", form=form, locations=all_locations), \
        422 if form.is_submitted() else 200


@bp.route("/locations/<int:location_id>", methods=["GET", "POST"])
def location_detail(location_id: int):
    location = scoped_get_or_404(Location, location_id)
    form = LocationForm(obj=location)
    if form.validate_on_submit():
        location.name = form.name.data
        location.description = form.description.data
        location.is_active = form.is_active.data
        db.session.commit()
        flash("De locatie is opgeslagen. De QR-code blijft dezelfde.", "success")
        return redirect(url_for("coordinator.location_detail", location_id=location.id))
    return render_template(
        "coordinator/location_detail.html",
        form=form,
        location=location,
        public_url=location_service.public_url(location),
    ), 422 if form.is_submitted() else 200


@bp.get("/locations/<int:location_id>/qr.png")
def location_qr_png(location_id: int):
    location = scoped_get_or_404(Location, location_id)
    return Response(
        location_service.qr_png(location_service.public_url(location)),
        mimetype="image/png",
        headers={"Content-Disposition": f'inline; filename="qr-{location.code}.png"'},
    )


@bp.get("/locations/<int:location_id>/qr.svg")
def location_qr_svg(location_id: int):
    location = scoped_get_or_404(Location, location_id)
    return Response(
        location_service.qr_svg(location_service.public_url(location)),
        mimetype="image/svg+xml",
        headers={"Content-Disposition": f'inline; filename="qr-{location.code}.svg"'},
    )


@bp.get("/locations/<int:location_id>/poster")
def location_poster(location_id: int):
    location = scoped_get_or_404(Location, location_id)
    return render_template(
        "coordinator/location_poster.html",
        location=location,
        short_url=location_service.short_url_text(location),
    )


# --- Themes and the micro-survey questions --------------------------------------------------

@bp.route("/themes", methods=["GET", "POST"])
def themes():
    form = ThemeForm()
    if form.validate_on_submit():
        exists = db.session.scalar(
            db.select(Theme).where(Theme.partnership_id == g.partnership.id,
                                   db.func.lower(Theme.name) == form.name.data.lower())
        )
        if exists:
            form.name.errors.append("Dit thema bestaat al.")
        else:
            last = db.session.scalar(
                db.select(db.func.max(Theme.position)).where(Theme.partnership_id == g.partnership.id)
            ) or 0
            db.session.add(Theme(partnership_id=g.partnership.id, name=form.name.data, position=last + 1))
            db.session.commit()
            flash(f"Thema ‘{form.name.data}’ is toegevoegd.", "success")
            return redirect(url_for("coordinator.themes"))
    all_themes = db.session.scalars(
        db.select(Theme).where(Theme.partnership_id == g.partnership.id).order_by(Theme.position)
    ).all()
    return render_template("coordinator/themes.html", form=form, themes=all_themes, toggle_form=EmptyForm()), \
        422 if form.is_submitted() else 200


@bp.post("/themes/<int:theme_id>/toggle")
def theme_toggle(theme_id: int):
    theme = scoped_get_or_404(Theme, theme_id)
    if EmptyForm().validate_on_submit():
        theme.is_active = not theme.is_active
        db.session.commit()
        flash(f"Thema ‘{theme.name}’ is {'weer zichtbaar' if theme.is_active else 'verborgen'}.", "success")
    return redirect(url_for("coordinator.themes"))


@bp.route("/micro-survey", methods=["GET", "POST"])
def micro_questions():
    form = MicroQuestionsForm(question_1=g.partnership.micro_question_1, question_2=g.partnership.micro_question_2)
    if form.validate_on_submit():
        g.partnership.micro_question_1 = form.question_1.data
        g.partnership.micro_question_2 = form.question_2.data
        db.session.commit()
        flash("De twee vragen zijn opgeslagen. Nieuwe antwoorden krijgen deze vragen.", "success")
        return redirect(url_for("coordinator.micro_questions"))
    return render_template("coordinator/micro_questions.html", form=form), 422 if form.is_submitted() else 200


# --- Panel and theme sessions (form C) ------------------------------------------------------

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
        db.session.commit()
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
        db.session.commit()
        flash("Opgeslagen. Typ het volgende signaal.", "success")
        return redirect(url_for("coordinator.panel_session", session_id=session.id, _anchor="signaal"))
    return render_template("coordinator/panel_session.html", session=session, form=form), \
        422 if form.is_submitted() else 200
