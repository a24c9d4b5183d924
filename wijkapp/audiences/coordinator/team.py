"""The team page: who is in the partnership, with which roles, and who is invited."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, url_for
from flask_login import current_user

from forms.common import EmptyForm
from forms.coordinator.team import ContactForm, InviteForm, MemberRolesForm, TwoStepRequirementForm
from wijkapp.access import MAX_ID, scoped_get_or_404
from wijkapp.audiences.coordinator import bp
from wijkapp.extensions import db
from wijkapp.models import Contact, Invitation, Role, User
from wijkapp.models.base import utcnow
from wijkapp.services import audit, contacts, personal_links, rounds, team


def _handover(sent: team.InvitationSent, name: str) -> None:
    if sent.link:
        # No mail server: the coordinator hands the link over; it is shown once, never stored.
        flash(f"Er is geen mailserver ingesteld, dus de uitnodiging is niet verstuurd. Geef {name} deze "
              f"link zelf (hij werkt één keer, 7 dagen): {sent.link}", "warning")
    else:
        flash(f"De uitnodiging voor {name} staat klaar om te versturen.", "success")


def hand_over_links(sent: list[personal_links.LinkSent]) -> None:
    """Say who got a personal link; without a mail server, show each link once to hand over."""
    for item in sent:
        if item.link:
            flash(f"Er is geen mailserver ingesteld. Geef {item.person.display_name} deze persoonlijke link "
                  f"zelf: {item.link}", "warning")
        else:
            flash(f"{item.person.display_name} krijgt een persoonlijke link per e-mail.", "success")


def _page(invite_form: InviteForm, status: int = 200, roles_forms: dict | None = None,
          contact_form: ContactForm | None = None):
    members = team.members(g.partnership)
    forms = roles_forms or {}
    for member in members:
        if member.user.id not in forms:
            forms[member.user.id] = MemberRolesForm(
                formdata=None, roles=[r.value for r in member.roles], roles_stamp=member.roles_stamp,
                prefix=f"m{member.user.id}")
    return render_template(
        "coordinator/team/team.html", members=members, invitations=team.open_invitations(g.partnership),
        invite_form=invite_form, roles_forms=forms, button_form=EmptyForm(), now=utcnow(),
        mail_configured=team.mail_configured(), departed=team.departed_owner_actions(g.partnership),
        contacts=contacts.contacts(g.partnership), contact_form=contact_form or ContactForm(formdata=None, prefix="contact"),
    ), status


@bp.route("/team", methods=["GET", "POST"])
def team_page():
    form = InviteForm()
    if form.validate_on_submit():
        try:
            sent = team.invite(g.partnership, form.email.data, form.name.data,
                               [Role(r) for r in form.roles.data], current_user)
        except team.TeamError as error:
            form.email.errors.append(str(error))
        else:
            if sent.added_existing:
                flash(f"{form.name.data} had al een account en is nu lid van dit wijkverband.", "success")
            else:
                _handover(sent, form.name.data)
            return redirect(url_for("coordinator.team_page"))
    return _page(form, 422 if form.is_submitted() else 200)


def scoped_member(user_id: int) -> User:
    """A member of the current partnership; anyone else is a 404, as for every other object."""
    member = team.member(g.partnership, user_id) if 0 < user_id <= MAX_ID else None
    if member is None:
        abort(404)
    return member.user


@bp.post("/team/members/<int:user_id>/roles")
def member_roles(user_id: int):
    user = scoped_member(user_id)
    form = MemberRolesForm(prefix=f"m{user.id}")
    if form.validate_on_submit():
        try:
            team.change_roles(g.partnership, user, [Role(r) for r in form.roles.data], form.roles_stamp.data or "",
                              current_user)
        except team.TeamError as error:
            db.session.rollback()
            form.roles.errors.append(str(error))
            if isinstance(error, team.StaleRoles):
                member = team.member(g.partnership, user_id)
                form = MemberRolesForm(formdata=None, roles=[r.value for r in member.roles],
                                       roles_stamp=member.roles_stamp, prefix=f"m{user.id}")
                form.roles.errors = [str(error)]
        else:
            flash(f"De rollen van {user.display_name} zijn opgeslagen.", "success")
            return redirect(url_for("coordinator.team_page"))
    return _page(InviteForm(formdata=None), 422, {user.id: form})


@bp.post("/team/members/<int:user_id>/remove")
def member_remove(user_id: int):
    user = scoped_member(user_id)
    if EmptyForm().validate_on_submit():
        try:
            team.remove_member(g.partnership, user, current_user)
        except team.TeamError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            flash(f"{user.display_name} is uit het team gehaald. Signalen, acties en terugkoppeling houden "
                  "de naam; open acties staan op je startpagina tot je een nieuwe eigenaar kiest.", "success")
    return redirect(url_for("coordinator.team_page"))


@bp.post("/team/invitations/<int:invitation_id>/resend")
def invitation_resend(invitation_id: int):
    invitation = scoped_get_or_404(Invitation, invitation_id)
    if EmptyForm().validate_on_submit():
        try:
            sent = team.resend(invitation, current_user)
        except team.TeamError as error:
            db.session.rollback()  # the redirect would otherwise commit what resend began
            flash(str(error), "error")
        else:
            _handover(sent, invitation.name or invitation.email)
    return redirect(url_for("coordinator.team_page"))


@bp.post("/team/invitations/<int:invitation_id>/revoke")
def invitation_revoke(invitation_id: int):
    invitation = scoped_get_or_404(Invitation, invitation_id)
    if EmptyForm().validate_on_submit():
        team.revoke(invitation, current_user)
        flash(f"De uitnodiging voor {invitation.name or invitation.email} is ingetrokken. De link werkt niet meer.",
              "success")
    return redirect(url_for("coordinator.team_page"))


@bp.post("/team/two-step")
def two_step_requirement():
    form = TwoStepRequirementForm()
    if form.validate_on_submit():
        g.partnership.require_two_step = form.required.data == "1"
        audit.record(g.partnership, current_user, "two_step_required" if g.partnership.require_two_step
                     else "two_step_not_required", g.partnership)
        flash("Coördinatoren loggen nu in twee stappen in." if g.partnership.require_two_step
              else "Inloggen in twee stappen is niet meer verplicht voor coördinatoren.", "success")
    return redirect(url_for("coordinator.team_page"))


@bp.post("/team/contacts")
def contact_add():
    form = ContactForm(prefix="contact")  # the invitation form on the same page has a name and e-mail too
    if form.validate_on_submit():
        try:
            contact = contacts.add_contact(g.partnership, form.name.data, form.organisation.data or "",
                                           form.email.data, bool(form.gets_micro_survey.data), current_user)
        except contacts.ContactError as error:
            db.session.rollback()
            form.email.errors.append(str(error))
        else:
            flash(f"{contact.user.display_name} staat bij de contactpersonen. Je kunt deze persoon nu kiezen als "
                  "eigenaar of partner van een actie.", "success")
            return redirect(url_for("coordinator.team_page", _anchor="contactpersonen"))
    return _page(InviteForm(formdata=None), 422, contact_form=form)


@bp.post("/team/contacts/<int:contact_id>/remove")
def contact_remove(contact_id: int):
    contact = scoped_get_or_404(Contact, contact_id)
    if EmptyForm().validate_on_submit() and contact.removed_at is None:
        contacts.remove_contact(contact, current_user)
        flash(f"{contact.user.display_name} staat niet meer bij de contactpersonen. Hun persoonlijke links werken "
              "niet meer; hun naam blijft bij hun werk staan.", "success")
    return redirect(url_for("coordinator.team_page", _anchor="contactpersonen"))


@bp.post("/team/contacts/<int:contact_id>/micro-survey-link")
def contact_micro_survey_link(contact_id: int):
    """The two questions of the running round, now: for a contact added after the round opened."""
    contact = scoped_get_or_404(Contact, contact_id)
    if EmptyForm().validate_on_submit() and contact.removed_at is None:
        if not contact.gets_micro_survey:
            flash(f"{contact.user.display_name} krijgt de twee vragen niet. Zet dat eerst aan.", "error")
        else:
            running = rounds.round_for_date(g.partnership, utcnow().date())
            sent = personal_links.send_micro_survey_link(running, contact.user, current_user)
            hand_over_links([sent])
    return redirect(url_for("coordinator.team_page", _anchor="contactpersonen"))
