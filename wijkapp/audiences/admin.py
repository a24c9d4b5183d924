"""The instance's beheerder: every partnership at a glance, and a new one with its first
coordinator. Closed by default: anyone else gets a 404, as for a partnership they have no role in."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from forms.admin import NewPartnershipForm
from wijkapp.services import instance_admin, team

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def require_instance_admin():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path))
    if not current_user.is_instance_admin:
        abort(404)


@bp.route("/partnerships", methods=["GET", "POST"])
def partnerships():
    form = NewPartnershipForm()
    if form.validate_on_submit():
        partnership, sent = instance_admin.create_partnership(
            form.partnership_name.data, form.neighbourhood.data, form.name.data, form.email.data, current_user)
        if sent.added_existing:
            flash(f"‘{partnership.name}’ is aangemaakt. {form.name.data} had al een account en is daar nu "
                  "coördinator. Bij het inloggen staat de eerste start klaar.", "success")
        elif sent.link:
            # No mail server: the link is shown once, never stored; the beheerder hands it over.
            flash(f"‘{partnership.name}’ is aangemaakt. Er is geen mailserver ingesteld, dus de uitnodiging is niet "
                  f"verstuurd. Geef {form.name.data} deze link zelf (hij werkt één keer, 7 dagen): {sent.link}",
                  "warning")
        else:
            flash(f"‘{partnership.name}’ is aangemaakt. De uitnodiging voor {form.name.data} staat klaar om te "
                  "versturen.", "success")
        return redirect(url_for("admin.partnerships"))
    return render_template("admin/partnerships.html", form=form, rows=instance_admin.overview(current_user, date.today()),
                           mail_configured=team.mail_configured()), \
        422 if form.is_submitted() else 200
