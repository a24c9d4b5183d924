"""One's own account: name, e-mail address, password, logging out everywhere, one's roles."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from forms.common import EmptyForm
from forms.account import AccountNameForm, EmailChangeForm, PasswordChangeForm, TwoStepEnableForm, TwoStepOffForm
from wijkapp.extensions import db, limiter
from wijkapp.services import accounts, team, two_step

bp = Blueprint("account", __name__, url_prefix="/account")

WRONG_PASSWORD = "Dit is niet je huidige wachtwoord. Probeer het opnieuw."


def _page(name_form=None, email_form=None, password_form=None, status=200):
    places = accounts.roles_by_partnership(current_user)
    password_form = password_form or PasswordChangeForm(formdata=None)
    return render_template(
        "account/account.html", places=places,
        name_form=name_form or AccountNameForm(formdata=None, name=current_user.name),
        email_form=email_form or EmailChangeForm(formdata=None), password_form=password_form,
        button_form=EmptyForm(),
    ), status


@bp.get("/")
@login_required
def account():
    return _page()


@bp.post("/name")
@login_required
def change_name():
    form = AccountNameForm()
    if form.validate_on_submit():
        current_user.name = form.name.data
        flash("Je naam is opgeslagen.", "success")
        return redirect(url_for("account.account"))
    return _page(name_form=form, status=422)


@bp.post("/email")
@login_required
@limiter.limit("5 per hour")
def change_email():
    form = EmailChangeForm()
    if form.validate_on_submit():
        if not accounts.password_matches(current_user, form.current_password.data):
            form.current_password.errors.append(WRONG_PASSWORD)
        else:
            link = team.request_email_change(current_user, form.new_email.data)
            # The same message whether or not the new address has an account already.
            message = f"We hebben een e-mail gestuurd naar {form.new_email.data}. Open de link daarin om te bevestigen."
            if link:
                message = f"Er is geen mailserver ingesteld. Open deze link om {form.new_email.data} te bevestigen: {link}"
            flash(message, "success" if not link else "warning")
            return redirect(url_for("account.account"))
    return _page(email_form=form, status=422)


@bp.get("/email/<token>")
@limiter.limit("20 per minute")
def confirm_email(token: str):
    try:
        user = team.confirm_email_change(token)
    except team.EmailChangeRefused as error:
        db.session.rollback()
        return render_template("account/email_not_changed.html", reason=str(error)), 404
    flash(f"Je e-mailadres is nu {user.email}. Log daarmee voortaan in.", "success")
    return redirect(url_for("account.account") if current_user.is_authenticated else url_for("auth.login"))


@bp.post("/password")
@login_required
@limiter.limit("10 per hour")
def change_password():
    form = PasswordChangeForm()
    form.account_email, form.account_name = current_user.email, current_user.name
    if form.validate_on_submit():
        if not accounts.password_matches(current_user, form.current_password.data):
            form.current_password.errors.append(WRONG_PASSWORD)
        else:
            user = current_user._get_current_object()
            user.set_password(form.password.data)  # ends every session, this one included…
            session.clear()
            login_user(user)  # …so this device logs in again with the new token
            flash("Je nieuwe wachtwoord is opgeslagen. Op andere apparaten ben je uitgelogd.", "success")
            return redirect(url_for("account.account"))
    return _page(password_form=form, status=422)


@bp.post("/logout-everywhere")
@login_required
def logout_everywhere():
    if EmptyForm().validate_on_submit():
        current_user.end_sessions()
        logout_user()
        session.clear()
        flash("Je bent overal uitgelogd, ook hier.", "info")
        return redirect(url_for("auth.login"))
    return redirect(url_for("account.account"))


# --- two-step login ----------------------------------------------------------------------------

PENDING_SECRET = "two_step_secret"


def _two_step_page(enable_form=None, off_form=None, status=200, recovery_codes=None):
    user = current_user._get_current_object()
    secret = None
    if not user.has_two_step:
        secret = session.get(PENDING_SECRET) or two_step.new_secret()
        session[PENDING_SECRET] = secret  # confirmed by the first code; only then stored
    uri = two_step.provisioning_uri(secret, user) if secret else None
    return render_template(
        "account/two_step.html", secret=secret, qr=two_step.qr_svg(uri) if uri else None,
        enable_form=enable_form or TwoStepEnableForm(formdata=None),
        off_form=off_form or TwoStepOffForm(formdata=None), renew_form=EmptyForm(),
        recovery_codes=recovery_codes, unused=two_step.unused_recovery_codes(user) if user.has_two_step else 0,
        required=two_step.required_for(user),
    ), status


@bp.get("/two-step")
@login_required
def two_step_setup():
    return _two_step_page()


@bp.post("/two-step/enable")
@login_required
@limiter.limit("10 per minute")
def two_step_enable():
    form = TwoStepEnableForm()
    secret = session.get(PENDING_SECRET)
    if current_user.has_two_step:
        return redirect(url_for("account.two_step_setup"))
    if form.validate_on_submit():
        codes = two_step.enable(current_user, secret, form.code.data) if secret else None
        if codes is not None:
            session.pop(PENDING_SECRET, None)
            flash("Inloggen in twee stappen staat aan.", "success")
            return _two_step_page(recovery_codes=codes)
        form.code.errors.append("Deze code klopt niet. Kijk of de tijd op je telefoon goed staat en probeer de "
                                "nieuwste code.")
    return _two_step_page(enable_form=form, status=422)


@bp.post("/two-step/recovery-codes")
@login_required
def two_step_new_codes():
    if EmptyForm().validate_on_submit() and current_user.has_two_step:
        codes = two_step.new_recovery_codes(current_user)
        flash("Je hebt nieuwe herstelcodes. De oude werken niet meer.", "success")
        return _two_step_page(recovery_codes=codes)
    return redirect(url_for("account.two_step_setup"))


@bp.post("/two-step/off")
@login_required
@limiter.limit("10 per hour")
def two_step_off():
    form = TwoStepOffForm()
    if form.validate_on_submit() and current_user.has_two_step:
        if two_step.required_for(current_user):
            form.code.errors.append("Je wijkverband vraagt inloggen in twee stappen voor coördinatoren. Je kunt het "
                                    "niet uitzetten.")
        elif not accounts.password_matches(current_user, form.current_password.data):
            form.current_password.errors.append(WRONG_PASSWORD)
        elif not two_step.verify(current_user, form.code.data):
            form.code.errors.append("Deze code klopt niet. Gebruik de nieuwste code uit je app, of een herstelcode.")
        else:
            two_step.disable(current_user)
            flash("Inloggen in twee stappen staat uit.", "success")
            return redirect(url_for("account.two_step_setup"))
    return _two_step_page(off_form=form, status=422)
