"""Kiezen: the bundling workspace, a bundle's page, and the top 3 / top 5 of a round or period.

Every change goes form → services.bundling → redirect; the request commits (wijkapp.web). A
`BundlingError` re-renders the page with the message next to the field (422); a stale form (someone
else merged or changed the bundle meanwhile) reaches `stale_form` below, which changes nothing and
shows the fresh state with the reason.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from forms.coordinator.bundles import (AcceptGroupForm, AcceptSuggestionForm, BundleForm, BundleSignalsForm, MergeForm,
                           PeriodForm, WorkspaceForm, version_of)
from forms.choices import id_or_none, theme_choices
from forms.common import NO_CHOICE, EmptyForm
from wijkapp.access import scoped_get_or_404
from wijkapp.audiences.coordinator import bp
from wijkapp.extensions import db
from wijkapp.models import Bundle, Round, Signal
from wijkapp.services import feedback as feedback_service
from wijkapp.services import bundling, ranking, rounds, team
from wijkapp.services.bundling import BundlingError, StaleFormError

UNBUNDLED_SHOWN = 300


# --- the period: a round or two dates ------------------------------------------------------------

@dataclass
class Period:
    form: PeriodForm
    window: ranking.Window
    round: Round | None
    title: str          # "Ronde 4" or "1 maart 2027 – 31 maart 2027"
    new_words: str      # "deze ronde" / "in deze periode", after "5 nieuw"
    args: dict = field(default_factory=dict)  # query args that keep this period across pages


def current_period() -> Period:
    """The period from the query string; the current round when none (or a bad one) is given."""
    from wijkapp.presenters import nl_date

    form = PeriodForm(request.args)
    all_rounds = rounds.rounds_of(g.partnership)
    form.round.choices = [(NO_CHOICE, "Kies een ronde")] + [
        (r.id, f"{r.label} (vanaf {nl_date(r.starts_on)})") for r in all_rounds]
    valid = not request.args.keys() & {"round", "date_from", "date_to"} or form.validate()
    if valid and form.date_from.data and form.date_to.data:
        first, last = form.date_from.data, form.date_to.data
        return Period(form, ranking.Window.for_dates(first, last), None, f"{nl_date(first)} – {nl_date(last)}",
                      "in deze periode", {"date_from": first.isoformat(), "date_to": last.isoformat()})
    chosen = next((r for r in all_rounds if r.id == form.round.data), None) if valid else None
    if chosen is None:
        chosen = rounds.round_for_date(g.partnership, date.today())  # round 1 may be made here
        form.round.data = chosen.id
        if not form.round.choices[1:]:
            form.round.choices.append((chosen.id, chosen.label))
    return Period(form, ranking.Window.for_round(chosen), chosen, chosen.label, "deze ronde", {"round": chosen.id})


# --- the top 3 / top 5: the coordinator's home --------------------------------------------------

def top_page(limit: int):
    period = current_period()
    page = ranking.top_page(g.partnership, period.window, limit=limit)
    return render_template(
        "coordinator/bundles/home.html", period=period, top=page.top, limit=limit, total=page.signals,
        unbundled=page.unbundled, returning=ranking.rounds_per_bundle(g.partnership, [r.bundle_id for r in page.top]),
        score_sentence=ranking.SCORE_SENTENCE,
        due=feedback_service.due_items(g.partnership, date.today()),
        departed=team.departed_owner_actions(g.partnership),
    ), 422 if period.form.errors else 200


@bp.get("/top5")
def top5():
    return top_page(limit=5)


# --- suggestions: the place where the suggestion engine plugs in ---------------------------------

@dataclass(frozen=True)
class SuggestionOption:
    bundle: Bundle
    score: float
    shared_terms: tuple[str, ...]
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class SignalSuggestions:
    signal: Signal
    options: list[SuggestionOption]


@dataclass(frozen=True)
class GroupProposal:
    signals: list[Signal]
    name: str
    shared_terms: tuple[str, ...]
    score: float


@dataclass(frozen=True)
class WorkspaceSuggestions:
    per_signal: list[SignalSuggestions]
    groups: list[GroupProposal]

    def __bool__(self) -> bool:
        return bool(self.per_signal or self.groups)


def engine_output(unbundled: list[Signal], bundles: list[Bundle]) -> tuple[dict, list]:
    """The suggestion engine's raw output for the signals on this page and the live bundles."""
    return bundling.suggestions_for(unbundled, bundles)


def workspace_suggestions(unbundled: list[Signal], bundles: list[Bundle]) -> WorkspaceSuggestions:
    per_signal, groups = engine_output(unbundled, bundles)
    return suggestion_rows(per_signal, groups, unbundled, bundles)


def suggestion_rows(per_signal: dict, groups: list, unbundled: list[Signal],
                    bundles: list[Bundle]) -> WorkspaceSuggestions:
    """Map the engine's ids back to this page's rows; ids that are not shown here are dropped."""
    signals_by_id = {s.id: s for s in unbundled}
    bundles_by_id = {b.id: b for b in bundles}
    rows = []
    for signal in unbundled:
        options = [
            SuggestionOption(bundles_by_id[s.bundle_id], float(s.score), tuple(s.shared_terms), tuple(s.reasons))
            for s in per_signal.get(signal.id, [])[:3] if s.bundle_id in bundles_by_id
        ]
        if options:
            rows.append(SignalSuggestions(signal, options))
    proposals = []
    for group in groups:
        members = [signals_by_id[i] for i in group.signal_ids if i in signals_by_id]
        if len(members) >= 2:
            proposals.append(GroupProposal(members, group.name, tuple(group.shared_terms), float(group.score)))
    return WorkspaceSuggestions(rows, proposals)


NO_BUTTON = "Klik op een van de knoppen om te kiezen wat er met de signalen gebeurt."


# --- the workspace ------------------------------------------------------------------------------

# Pages whose fresh state is the workspace itself, whichever bundle the error names.
WORKSPACE_PAGES = {"coordinator.bundle_workspace", "coordinator.suggestion_accept", "coordinator.group_accept"}


@bp.errorhandler(StaleFormError)
@bp.errorhandler(StaleDataError)
def stale_form(error: StaleFormError | StaleDataError):
    """Nothing was applied: say so, and show the fresh state.

    StaleDataError is the database's side of the same story: an UPDATE "WHERE version = ?" found
    the bundle (or action) changed by a request that committed first.
    """
    db.session.rollback()
    flash(getattr(error, "message", None) or bundling.STALE_CHANGED, "error")
    if request.endpoint in WORKSPACE_PAGES:
        return redirect(url_for("coordinator.bundle_workspace", **request.args), 303)
    fresh_id = getattr(error, "fresh_bundle_id", None) or (request.view_args or {}).get("bundle_id")
    if fresh_id is not None:
        return redirect(url_for("coordinator.bundle_detail", bundle_id=fresh_id), 303)
    return redirect(request.path, 303)


def _field_error(form, error: BundlingError, default_field: str):
    db.session.rollback()
    target = getattr(form, error.field or default_field, None) or getattr(form, default_field)
    if not isinstance(target.errors, list):
        target.errors = list(target.errors)
    target.errors.append(error.message)


def _workspace_form() -> WorkspaceForm:
    form = WorkspaceForm()
    form.bundle.choices = [(NO_CHOICE, "Kies een bundel")] + [
        (b.id, b.name) for b in bundling.active_bundles(g.partnership)]
    form.theme.choices = theme_choices(g.partnership)
    return form


def _render_workspace(form: WorkspaceForm, status: int = 200):
    period = current_period()
    unbundled = bundling.unbundled_signals(g.partnership, period.window, limit=UNBUNDLED_SHOWN + 1)
    more = len(unbundled) > UNBUNDLED_SHOWN
    unbundled = unbundled[:UNBUNDLED_SHOWN]
    counts = bundling.bundle_counts(g.partnership, period.window)
    return render_template(
        "coordinator/bundles/bundle_workspace.html", period=period, form=form, unbundled=unbundled, more=more,
        bundle_counts=counts, checked=set(form.signal_ids.data or []),
        suggestions=workspace_suggestions(unbundled, [c.bundle for c in counts]),
        accept_form=EmptyForm(),
    ), status


@bp.route("/bundles", methods=["GET", "POST"])
def bundle_workspace():
    form = _workspace_form()
    back = url_for("coordinator.bundle_workspace", **request.args)
    if not form.validate_on_submit():
        return _render_workspace(form, 422 if form.is_submitted() else 200)
    action = request.form.get("action")
    try:
        if action == "new":
            if not form.signal_ids.data:  # an empty bundle from here is a slip, not a plan
                raise BundlingError("Kies minstens één signaal (vink het vakje ervoor aan).", "signal_ids")
            bundle = bundling.create_bundle(g.partnership, current_user, form.name.data,
                                            theme_id=id_or_none(form.theme.data), signal_ids=form.signal_ids.data)
            message = f"Bundel ‘{bundle.name}’ is gemaakt met {len(form.signal_ids.data)} signalen."
        elif action == "add":
            if not form.bundle.data:
                raise BundlingError("Kies de bundel waar de signalen bij horen.", "bundle")
            bundle = scoped_get_or_404(Bundle, form.bundle.data)
            bundling.add_signals(g.partnership, current_user, bundle, form.signal_ids.data)
            message = f"{len(form.signal_ids.data)} signalen toegevoegd aan ‘{bundle.name}’."
        else:  # no known button: a changed page or a hand-made request
            raise BundlingError(NO_BUTTON, "signal_ids")
    except BundlingError as error:
        _field_error(form, error, "signal_ids")
        return _render_workspace(form, 422)
    flash(message, "success")
    return redirect(back, 303)


@bp.post("/bundles/suggestions/accept")
def suggestion_accept():
    """One click on a suggestion: add that signal to that bundle."""
    form = AcceptSuggestionForm()
    back = url_for("coordinator.bundle_workspace", **request.args)
    if not form.validate_on_submit():
        flash("Dit voorstel kon niet worden gelezen. Kies het opnieuw.", "error")
        return redirect(back, 303)
    signal = scoped_get_or_404(Signal, form.signal_id.data)
    bundle = scoped_get_or_404(Bundle, form.bundle_id.data)
    bundling.add_signals(g.partnership, current_user, bundle, [signal.id])
    flash(f"Signaal toegevoegd aan ‘{bundle.name}’.", "success")
    return redirect(back, 303)


@bp.post("/bundles/suggestions/accept-group")
def group_accept():
    """One click on a proposed group: a new bundle with that name from those signals."""
    form = AcceptGroupForm()
    back = url_for("coordinator.bundle_workspace", **request.args)
    if not form.validate_on_submit():
        flash("Dit voorstel kon niet worden gelezen. Kies het opnieuw.", "error")
        return redirect(back, 303)
    try:
        if not form.signal_ids.data:
            raise BundlingError("Kies minstens één signaal (vink het vakje ervoor aan).", "signal_ids")
        bundle = bundling.create_bundle(g.partnership, current_user, form.name.data, signal_ids=form.signal_ids.data)
    except BundlingError as error:
        db.session.rollback()
        flash(f"{error.message} Er is niets opgeslagen.", "error")
        return redirect(back, 303)
    flash(f"Bundel ‘{bundle.name}’ is gemaakt met {len(form.signal_ids.data)} signalen.", "success")
    return redirect(back, 303)


# --- a bundle's page ----------------------------------------------------------------------------

def _live_or_redirect(bundle_id: int):
    bundle = scoped_get_or_404(Bundle, bundle_id)
    if bundle.is_merged:
        live = bundling.live_bundle(bundle)
        flash(f"Bundel ‘{bundle.name}’ is samengevoegd met ‘{live.name}’. Je ziet nu ‘{live.name}’.", "info")
        return bundle, redirect(url_for("coordinator.bundle_detail", bundle_id=live.id), 303)
    return bundle, None


def _other_bundle_choices(bundle: Bundle, empty: str) -> list[tuple[int, str]]:
    return [(NO_CHOICE, empty)] + [(b.id, b.name) for b in bundling.active_bundles(g.partnership) if b.id != bundle.id]


def _render_detail(bundle: Bundle, signals_form: BundleSignalsForm | None = None,
                   merge_form: MergeForm | None = None, status: int = 200):
    signals_form = signals_form or BundleSignalsForm(formdata=None, version=bundle.version)
    merge_form = merge_form or MergeForm(formdata=None, version=bundle.version)
    signals_form.target.choices = _other_bundle_choices(bundle, "Kies een bundel")
    merge_form.target.choices = _other_bundle_choices(bundle, "Kies een bundel")
    signals = bundling.bundle_signals(bundle)
    return render_template(
        "coordinator/bundles/bundle_detail.html", bundle=bundle, signals=signals,
        quotes=bundling.representative_quotes(signals), rounds=bundling.rounds_of_bundle(bundle),
        history=bundling.history(bundle), signals_form=signals_form, merge_form=merge_form,
        checked=set(signals_form.signal_ids.data or []),
        sources=len({s.source for s in signals}), locations=len({s.location_id for s in signals if s.location_id}),
    ), status


@bp.get("/bundles/<int:bundle_id>")
def bundle_detail(bundle_id: int):
    bundle, moved = _live_or_redirect(bundle_id)
    return moved or _render_detail(bundle)


@bp.route("/bundles/<int:bundle_id>/edit", methods=["GET", "POST"])
def bundle_edit(bundle_id: int):
    bundle, moved = _live_or_redirect(bundle_id)
    if moved:
        return moved
    form = BundleForm(name=bundle.name, description=bundle.description, theme=bundle.theme_id or NO_CHOICE,
                      version=bundle.version)
    form.theme.choices = theme_choices(g.partnership)
    if form.validate_on_submit():
        try:
            bundling.edit_bundle(g.partnership, current_user, bundle, name=form.name.data,
                                 theme_id=id_or_none(form.theme.data), description=form.description.data,
                                 version=version_of(form.version))
            flash("De bundel is opgeslagen.", "success")
            return redirect(url_for("coordinator.bundle_detail", bundle_id=bundle.id), 303)
        except BundlingError as error:
            _field_error(form, error, "name")
    return render_template("coordinator/bundles/bundle_edit.html", bundle=bundle, form=form), \
        422 if form.is_submitted() else 200


@bp.post("/bundles/<int:bundle_id>/signals")
def bundle_signals(bundle_id: int):
    """Selected signals of this bundle: move them, split them off, or take them out."""
    bundle = scoped_get_or_404(Bundle, bundle_id)
    here = url_for("coordinator.bundle_detail", bundle_id=bundle.id)
    form = BundleSignalsForm()
    form.target.choices = _other_bundle_choices(bundle, "Kies een bundel")
    if not form.validate_on_submit():
        return _render_detail(bundle, signals_form=form, status=422)
    action = request.form.get("action")
    version = version_of(form.version)
    try:
        if action == "move":
            target = scoped_get_or_404(Bundle, form.target.data) if form.target.data else None
            bundling.move_signals(g.partnership, current_user, bundle, form.signal_ids.data, target, version)
            message = f"{len(form.signal_ids.data)} signalen verplaatst naar ‘{target.name}’."
        elif action == "split":
            new = bundling.split_bundle(g.partnership, current_user, bundle, form.signal_ids.data,
                                        name=form.name.data, version=version)
            message = f"Nieuwe bundel ‘{new.name}’ gemaakt met {len(form.signal_ids.data)} signalen."
        elif action == "remove":
            bundling.remove_signals(g.partnership, current_user, bundle, form.signal_ids.data, version)
            message = f"{len(form.signal_ids.data)} signalen uit de bundel gehaald. Ze staan weer bij Bundelen."
        else:  # no known button: a changed page or a hand-made request
            raise BundlingError(NO_BUTTON, "signal_ids")
    except BundlingError as error:
        _field_error(form, error, "signal_ids")
        return _render_detail(bundle, signals_form=form, status=422)
    flash(message, "success")
    return redirect(here, 303)


@bp.post("/bundles/<int:bundle_id>/merge")
def bundle_merge(bundle_id: int):
    bundle = scoped_get_or_404(Bundle, bundle_id)
    form = MergeForm()
    form.target.choices = _other_bundle_choices(bundle, "Kies een bundel")
    if not form.validate_on_submit():
        return _render_detail(bundle, merge_form=form, status=422)
    target = scoped_get_or_404(Bundle, form.target.data) if form.target.data else None
    try:
        bundling.merge_bundles(g.partnership, current_user, bundle, target, version_of(form.version))
    except BundlingError as error:
        _field_error(form, error, "target")
        return _render_detail(bundle, merge_form=form, status=422)
    flash(f"‘{bundle.name}’ is samengevoegd met ‘{target.name}’. Alle signalen staan nu hier.", "success")
    return redirect(url_for("coordinator.bundle_detail", bundle_id=target.id), 303)
