"""Log in, log out, first setup, accepting an invitation, a forgotten password, and the start page
that sends each person to their work."""
from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from forms.auth import (AcceptInvitationForm, ForgotPasswordForm, LoginForm, NewPasswordForm, SetupForm,
                        TwoStepLoginForm)
from forms.common import EmptyForm
from wijkapp.extensions import db, limiter
from wijkapp.models import Role, User
from wijkapp.models.base import utcnow
from wijkapp.services import accounts
from wijkapp.services import actions, first_start, setup_wizard, team
from wijkapp.services import two_step as two_step_service
from wijkapp.sessions import load_user

bp = Blueprint("auth", __name__)

LOGIN_FAILED = "Dit e-mailadres en wachtwoord horen niet bij elkaar. Probeer het opnieuw."
START_ENDPOINT_OF_ROLE = {
    Role.COORDINATOR: "coordinator.home",
    Role.HOST: "host.home",
    Role.PROFESSIONAL: "professional.micro_survey_form",
    Role.ERVARINGSDESKUNDIGE: "expert.home",
}


def _login_email_key() -> str:
    # Throttles guessing against one account from many addresses.
    return "login:" + (request.form.get("email", "").strip().lower() or "-")


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute;50 per hour", methods=["POST"])
@limiter.limit("20 per hour", methods=["POST"], key_func=_login_email_key)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("auth.start"))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.user_by_email(form.email.data)
        if accounts.password_matches(user, form.password.data) and user.active:
            target = _safe_next(request.args.get("next")) or url_for("auth.start")
            if user.has_two_step:
                session.clear()
                # Not logged in yet: the second step needs this cookie, and it names the account's
                # current session token, so a password change in between makes it worthless.
                session[TWO_STEP_PENDING] = {"user": user.get_id(), "at": int(time.time()), "next": target}
                return redirect(url_for("auth.two_step"))
            _log_in_fresh(user)  # a fresh session at login: nothing from before carries over
            return redirect(target)
        form.password.errors.append(LOGIN_FAILED)
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    form = EmptyForm()
    if form.validate_on_submit():
        current_user.end_sessions()  # the signed cookie cannot be revoked; its token can
        logout_user()
        session.clear()
        flash("Je bent uitgelogd.", "info")
    return redirect(url_for("auth.login"))


@bp.get("/start")
@login_required
def start():
    """Where each person lands: straight to their work when there is one obvious place."""
    places = accounts.roles_by_partnership(current_user)
    if len(places) == 1:
        (partnership, roles), = places.items()
        if len(roles) == 1 or Role.COORDINATOR in roles:
            role = Role.COORDINATOR if Role.COORDINATOR in roles else roles[0]
            if role is not Role.COORDINATOR and any(
                    a.status in actions.OPEN_STATUSES for a in actions.actions_owned_by(partnership, current_user)):
                return redirect(url_for("mine.home", slug=partnership.slug))  # their actions come first
            return redirect(url_for(START_ENDPOINT_OF_ROLE[role], slug=partnership.slug))
    links = [
        (partnership, [(role, url_for(START_ENDPOINT_OF_ROLE[role], slug=partnership.slug)) for role in roles])
        for partnership, roles in places.items()
    ]
    return render_template("auth/start.html", links=links)


@bp.route("/setup/<token>", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def setup(token: str):
    if accounts.has_accounts() or not first_start.token_matches(token):
        abort(404)
    form = SetupForm()
    if form.validate_on_submit():
        partnership = accounts.create_partnership(form.partnership_name.data, neighbourhood=form.neighbourhood.data)
        user = accounts.ensure_user(form.email.data, form.password.data, name=form.name.data)
        accounts.grant_role(user, partnership, Role.COORDINATOR)
        user.is_instance_admin = True  # the first account looks after the whole instance
        setup_wizard.start(partnership)
        db.session.flush()  # a refused row stops us here, before the one-time link is spent
        first_start.forget_token()
        session.clear()
        login_user(user)
        flash("Welkom! Je account en je wijkverband zijn aangemaakt. Nog vijf korte stappen.", "success")
        return redirect(url_for("coordinator.setup_locations", slug=partnership.slug))
    return render_template("auth/setup.html", form=form, total=len(setup_wizard.STEPS)), \
        422 if form.is_submitted() else 200


TWO_STEP_PENDING = "two_step_pending"
TWO_STEP_MINUTES = 5


def _pending_two_step_user() -> User | None:
    pending = session.get(TWO_STEP_PENDING)
    if not isinstance(pending, dict) or not isinstance(pending.get("at"), int) \
            or time.time() - pending["at"] > TWO_STEP_MINUTES * 60:
        return None
    user = load_user(str(pending.get("user", "")))
    return user if user is not None and user.active and user.has_two_step else None


def _two_step_key() -> str:
    # Throttles guessing codes for one account, whatever address the guesses come from.
    pending = session.get(TWO_STEP_PENDING)
    user = str(pending.get("user", "")).partition(":")[0] if isinstance(pending, dict) else ""
    return "two-step:" + (user or request.remote_addr or "-")


@bp.route("/login/two-step", methods=["GET", "POST"])
@limiter.limit("10 per minute;50 per hour", methods=["POST"])
@limiter.limit("10 per 15 minutes", methods=["POST"], key_func=_two_step_key)
def two_step():
    user = _pending_two_step_user()
    if user is None:
        session.pop(TWO_STEP_PENDING, None)
        flash("Log opnieuw in met je e-mailadres en wachtwoord.", "info")
        return redirect(url_for("auth.login"))
    form = TwoStepLoginForm()
    if form.validate_on_submit():
        if two_step_service.verify(user, form.code.data):
            target = session[TWO_STEP_PENDING].get("next") or url_for("auth.start")
            _log_in_fresh(user)
            return redirect(_safe_next(target) or url_for("auth.start"))
        db.session.commit()  # a code used up in vain stays used, though the 422 below rolls back
        form.code.errors.append("Deze code klopt niet. Gebruik de nieuwste code uit je app, of een herstelcode.")
    return render_template("auth/two_step.html", form=form), 422 if form.is_submitted() else 200


def _forgot_email_key() -> str:
    return "forgot:" + (request.form.get("email", "").strip().lower() or "-")


def _log_in_fresh(user: User) -> None:
    session.clear()
    login_user(user)
    user.last_login_at = utcnow()


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@limiter.limit("20 per minute")
def accept_invitation(token: str):
    invitation = team.invitation_by_token(token)
    if invitation is None:
        return render_template("auth/link_invalid.html", kind="invitation"), 404
    form = AcceptInvitationForm(name=invitation.name)
    form.account_email = invitation.email
    if form.validate_on_submit():
        user = team.accept(invitation, form.name.data, form.password.data)
        _log_in_fresh(user)
        flash(f"Welkom bij {invitation.partnership.name}! Je wachtwoord is opgeslagen.", "success")
        return redirect(url_for("auth.start"))
    return render_template("auth/accept_invitation.html", form=form, invitation=invitation), \
        422 if form.is_submitted() else 200


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("5 per minute;20 per hour", methods=["POST"])
@limiter.limit("5 per hour", methods=["POST"], key_func=_forgot_email_key)
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        team.request_password_reset(form.email.data)
        # The same page whether or not the address has an account: this route tells nobody that.
        return render_template("auth/forgot_sent.html", email=form.email.data)
    return render_template("auth/forgot_password.html", form=form), 422 if form.is_submitted() else 200


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit("20 per minute")
def reset_password(token: str):
    reset = team.reset_by_token(token)
    if reset is None:
        return render_template("auth/link_invalid.html", kind="reset"), 404
    form = NewPasswordForm()
    form.account_email, form.account_name = reset.user.email, reset.user.name
    if form.validate_on_submit():
        user = team.use_reset(reset, form.password.data)
        _log_in_fresh(user)  # every other session ended with the new password
        flash("Je nieuwe wachtwoord is opgeslagen. Op andere apparaten ben je nu uitgelogd.", "success")
        return redirect(url_for("auth.start"))
    return render_template("auth/reset_password.html", form=form), 422 if form.is_submitted() else 200
