"""One's own account: name, e-mail address, password, logging out everywhere, one's roles."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from forms.common import EmptyForm
from forms.team import AccountNameForm, EmailChangeForm, PasswordChangeForm
from wijkapp.extensions import db, limiter
from wijkapp.models import Membership, Partnership, Role
from wijkapp.services import accounts, team

bp = Blueprint("account", __name__, url_prefix="/account")

WRONG_PASSWORD = "Dit is niet je huidige wachtwoord. Probeer het opnieuw."


def _page(name_form=None, email_form=None, password_form=None, status=200):
    rows = db.session.execute(
        db.select(Partnership, Membership.role).join(Membership, Membership.partnership_id == Partnership.id)
        .where(Membership.user_id == current_user.id).order_by(Partnership.name, Membership.role)
    ).all()
    places: dict[Partnership, list[Role]] = {}
    for partnership, role in rows:
        places.setdefault(partnership, []).append(Role(role))
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
        db.session.commit()
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
            db.session.commit()
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
    db.session.commit()
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
            db.session.commit()
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
        db.session.commit()
        logout_user()
        session.clear()
        flash("Je bent overal uitgelogd, ook hier.", "info")
        return redirect(url_for("auth.login"))
    return redirect(url_for("account.account"))
