"""People without an account and their personal links (issue 11, item 4).

A contact owns or works on an action, or answers the two questions, through a link that opens one
page and nothing else, without a password.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests.conftest import PASSWORD, count
from tests.rounds_helpers import action_form
from wijkapp.extensions import db
from wijkapp.models import (Action, ActionUpdate, AuditEvent, Contact, OutboxMessage, PasswordReset, PersonalLink,
                            Role, Round, Signal, Source, User)
from wijkapp.services import accounts, actions, personal_links

TEAM = "/p/noord/coordinator/team"


def link_in(text: str) -> str:
    match = re.search(r"https://wijk\.example\.nl(/link/[A-Za-z0-9_-]+)", text)
    assert match, f"no personal link in: {text[:400]}"
    return match.group(1)


def last_mail_to(address: str) -> OutboxMessage:
    return db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.to_address == address)
                              .order_by(OutboxMessage.id.desc())).first()


def add_contact(client, **changes):
    data = {"contact-name": "Ria Smit", "contact-organisation": "Gemeente", "contact-email": "ria@gemeente.nl"}
    data.update(changes)
    return client.post(f"{TEAM}/contacts", data=data)


def choose_action(client, round_id, owner_id, **changes):
    return client.post(f"/p/noord/coordinator/rounds/{round_id}/actions/new", data=action_form(owner_id, **changes),
                       follow_redirects=True)


# --- contacts on the team page -----------------------------------------------------------------

def test_a_contact_is_a_person_without_password_or_membership(app, client, coordinator_setup):
    partnership, _, _ = coordinator_setup
    response = add_contact(client, **{"contact-gets_micro_survey": "y"})
    assert response.status_code == 302
    page = client.get(TEAM).get_data(as_text=True)
    assert "Ria Smit" in page and "Gemeente · ria@gemeente.nl · krijgt de twee vragen" in page
    with app.app_context():
        contact = db.session.scalar(db.select(Contact))
        assert (contact.organisation, contact.gets_micro_survey, contact.partnership_id) == ("Gemeente", True,
                                                                                            partnership.id)
        assert contact.user.email == "ria@gemeente.nl" and not contact.user.has_password
        assert contact.user.memberships == []
        assert not accounts.password_matches(contact.user, "")
        assert count(AuditEvent, AuditEvent.action == "contact_added") == 1


def test_contact_form_keeps_what_was_typed_and_refuses_a_team_member(client, coordinator_setup, make):
    partnership, _, _ = coordinator_setup
    make.user(partnership, Role.HOST, email="host@example.org")
    bad = add_contact(client, **{"contact-email": "geen-adres", "contact-name": ""})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "Dit lijkt geen e-mailadres" in page and 'value="geen-adres"' in page
    assert "Vul de naam in." in page and 'href="#contact-name"' in page  # in the summary, linked to the field
    member = add_contact(client, **{"contact-email": "host@example.org"})
    assert member.status_code == 422 and "zit al in het team" in member.get_data(as_text=True)
    assert add_contact(client).status_code == 302
    again = add_contact(client, **{"contact-name": "R. Smit"})
    assert again.status_code == 422 and "staat al bij de contactpersonen" in again.get_data(as_text=True)


def test_a_contact_cannot_log_in_or_ask_for_a_password(app, client, make):
    partnership = make.partnership(slug="noord")
    contact = make.contact(partnership, email="ria@gemeente.nl")
    response = client.post("/login", data={"email": contact.email, "password": ""})
    assert response.status_code != 302
    client.post("/password/forgot", data={"email": contact.email})
    with app.app_context():
        assert count(PasswordReset) == 0 and count(OutboxMessage) == 0


# --- an action owned by a contact --------------------------------------------------------------

def test_choosing_a_contact_as_owner_mails_a_personal_link(app, client, coordinator_setup, make):
    partnership, coordinator, _ = coordinator_setup
    contact = make.contact(partnership, email="ria@gemeente.nl")
    round_ = make.round(partnership)
    form = client.get(f"/p/noord/coordinator/rounds/{round_.id}/actions/new").get_data(as_text=True)
    assert "Ria Smit (Gemeente), contactpersoon" in form
    page = choose_action(client, round_.id, contact.id).get_data(as_text=True)
    assert "Eigenaar: Ria Smit" in page
    assert "geen mailserver" in page  # no SMTP in tests: the link is shown to hand over
    shown = link_in(page)
    with app.app_context():
        mail = last_mail_to("ria@gemeente.nl")
        assert "Drempel aanvragen bij de gemeente" in mail.body and link_in(mail.body) == shown
        link = db.session.scalar(db.select(PersonalLink))
        assert shown.rsplit("/", 1)[1] not in link.token_hash  # only the hash is stored
        assert (link.user_id, link.purpose, link.action_id) == (contact.id, "action", db.session.scalar(
            db.select(Action.id)))


def test_the_contact_updates_the_action_through_the_link_and_the_coordinator_sees_it(app, client, coordinator_setup,
                                                                                      make):
    partnership, coordinator, _ = coordinator_setup
    contact = make.contact(partnership, email="ria@gemeente.nl")
    round_ = make.round(partnership)
    shown = link_in(choose_action(client, round_.id, contact.id).get_data(as_text=True))
    client.post("/logout")
    page = client.get(shown).get_data(as_text=True)
    assert "Drempel aanvragen bij de gemeente" in page and "persoonlijke link voor Ria Smit" in page
    assert "/coordinator" not in page and "/mine" not in page  # one page, and nothing else
    response = client.post(shown, data={"text": "Aanvraag is verstuurd", "status": "bezig", "stop_reason": ""})
    assert response.status_code == 302
    with app.app_context():
        update = db.session.scalars(db.select(ActionUpdate).order_by(ActionUpdate.id.desc())).first()
        assert (update.user_id, update.text, update.status_to, update.via_personal_link) == (
            contact.id, "Aanvraag is verstuurd", "bezig", True)
        assert db.session.scalar(db.select(Action.status)) == "bezig"
        uses = db.session.scalars(db.select(AuditEvent.detail).where(AuditEvent.action == "personal_link_used")).all()
        assert [u.rsplit(": ", 1)[1] for u in uses] == ["bekeken", "update"]
        assert db.session.scalar(db.select(PersonalLink.use_count)) == 2
    client.post("/login", data={"email": coordinator.email, "password": PASSWORD})
    with app.app_context():
        action_id = db.session.scalar(db.select(Action.id))
    detail = client.get(f"/p/noord/coordinator/actions/{action_id}").get_data(as_text=True)
    assert "Ria Smit" in detail and "(via persoonlijke link)" in detail and "Aanvraag is verstuurd" in detail
    assert "Laatst gebruikt op" in detail and "(2 keer)" in detail


def test_bad_update_through_the_link_keeps_the_text_and_stores_nothing(app, client, make):
    partnership = make.partnership(slug="noord")
    contact = make.contact(partnership)
    action = make.action(partnership, make.round(partnership), contact.id)
    with app.test_request_context():
        sent = personal_links.send_action_link(db.session.get(Action, action.id), db.session.get(User, contact.id),
                                               None)
        db.session.commit()
    shown = link_in(sent.link)
    response = client.post(shown, data={"text": "We stoppen ermee", "status": "gestopt", "stop_reason": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Schrijf op waarom de actie stopt" in page and "We stoppen ermee" in page
    with app.app_context():
        assert count(ActionUpdate) == 1 and db.session.get(Action, action.id).status == "gepland"


def _link_for(app, action_id: int, user_id: int) -> str:
    with app.test_request_context():
        sent = personal_links.send_action_link(db.session.get(Action, action_id), db.session.get(User, user_id), None)
        db.session.commit()
    return link_in(sent.link)


def test_the_link_stops_when_the_action_closes_is_revoked_or_replaced(app, client, make):
    partnership = make.partnership(slug="noord")
    contact = make.contact(partnership)
    action = make.action(partnership, make.round(partnership), contact.id)
    first = _link_for(app, action.id, contact.id)
    second = _link_for(app, action.id, contact.id)
    old = client.get(first)
    assert old.status_code == 404 and "Deze link werkt niet meer" in old.get_data(as_text=True)
    assert client.get(second).status_code == 200
    assert client.post(second, data={"text": "Drempel ligt er", "status": "klaar", "stop_reason": ""}).status_code == 302
    assert client.get(second).status_code == 404  # the action is done: the link has done its work
    with app.app_context():
        link = db.session.scalars(db.select(PersonalLink).order_by(PersonalLink.id.desc())).first()
        assert link.revoked_at is None  # it ended with the action, not by hand


@pytest.mark.parametrize("token", ["x", "A" * 43, "A" * 500, "a.b~c", "%C3%A9%F0%9F%98%80"])
def test_unknown_or_tampered_links_get_a_friendly_page(client, make, token):
    make.partnership(slug="noord")
    response = client.get(f"/link/{token}")
    assert response.status_code == 404 and "Vraag de coördinator" in response.get_data(as_text=True)
    assert client.post(f"/link/{token}", data={"text": "x"}).status_code in (400, 404)  # never a 500


def test_coordinator_revokes_and_resends_a_link(app, client, coordinator_setup, make):
    partnership, coordinator, _ = coordinator_setup
    contact = make.contact(partnership)
    action = make.action(partnership, make.round(partnership), contact.id, user=coordinator)
    shown = _link_for(app, action.id, contact.id)
    with app.app_context():
        link_id = db.session.scalar(db.select(PersonalLink.id).where(PersonalLink.revoked_at.is_(None)))
    assert client.post(f"/p/noord/coordinator/actions/{action.id}/links/{link_id}/revoke").status_code == 302
    assert client.get(shown).status_code == 404
    page = client.post(f"/p/noord/coordinator/actions/{action.id}/people/{contact.id}/link",
                       follow_redirects=True).get_data(as_text=True)
    assert client.get(link_in(page)).status_code == 200
    with app.app_context():
        assert count(AuditEvent, AuditEvent.action == "personal_link_revoked") == 1
    # Nobody off the action gets a link through this route.
    stranger = make.contact(partnership, name="Piet", email="piet@example.org")
    assert client.post(f"/p/noord/coordinator/actions/{action.id}/people/{stranger.id}/link").status_code == 404


def test_partners_and_feedback_owner_can_be_contacts_and_leaving_the_action_ends_the_link(app, client,
                                                                                           coordinator_setup, make):
    partnership, coordinator, _ = coordinator_setup
    owner = make.contact(partnership, name="Ria Smit", email="ria@gemeente.nl")
    partner = make.contact(partnership, name="Kees Bakker", organisation="Woonstad", email="kees@woonstad.nl")
    round_ = make.round(partnership)
    page = client.post(f"/p/noord/coordinator/rounds/{round_.id}/actions/new",
                       data={**action_form(owner.id, feedback_owner_id=str(coordinator.id)),
                             "partner_ids": [str(partner.id)]}, follow_redirects=True).get_data(as_text=True)
    assert "Partners: Kees Bakker, Gemeente" in page
    with app.app_context():
        action = db.session.scalar(db.select(Action))
        assert action.partner_ids == [partner.id]
        assert "partner" in last_mail_to("kees@woonstad.nl").body
        partner_link = link_in(last_mail_to("kees@woonstad.nl").body)
        form = action_form(owner.id, feedback_owner_id=str(coordinator.id))
        version = action.version
    assert client.get(partner_link).status_code == 200
    response = client.post(f"/p/noord/coordinator/actions/{action.id}/edit", data={**form, "version": str(version)})
    assert response.status_code == 302
    assert client.get(partner_link).status_code == 404  # no longer a partner: the link stopped
    with app.app_context():
        assert db.session.get(Action, action.id).partner_ids == []


def test_an_unknown_partner_id_is_refused_with_a_message(app, client, coordinator_setup, make):
    partnership, _, _ = coordinator_setup
    other = make.partnership(slug="zuid")
    outsider = make.contact(other, email="ander@example.org")
    owner = make.contact(partnership)
    response = client.post(f"/p/noord/coordinator/rounds/{make.round(partnership).id}/actions/new",
                           data={**action_form(owner.id), "partner_ids": [str(outsider.id), "abc"]})
    assert response.status_code == 422
    with app.app_context():
        assert count(Action) == 0


def test_removing_a_contact_ends_their_links_but_keeps_their_name(app, client, coordinator_setup, make):
    partnership, _, _ = coordinator_setup
    contact = make.contact(partnership)
    action = make.action(partnership, make.round(partnership), contact.id)
    shown = _link_for(app, action.id, contact.id)
    with app.app_context():
        contact_id = db.session.scalar(db.select(Contact.id))
    assert client.post(f"{TEAM}/contacts/{contact_id}/remove").status_code == 302
    assert client.get(shown).status_code == 404
    home = client.get("/p/noord/coordinator/").get_data(as_text=True)
    assert "Eigenaar vertrokken" in home and "Ria Smit" in home
    with app.app_context():
        assert db.session.get(Action, action.id).owner.display_name == "Ria Smit"


def test_an_action_owned_by_a_contact_is_not_a_departed_owner(client, coordinator_setup, make):
    partnership, _, _ = coordinator_setup
    contact = make.contact(partnership)
    make.action(partnership, make.round(partnership), contact.id)
    assert "Eigenaar vertrokken" not in client.get("/p/noord/coordinator/").get_data(as_text=True)


def test_inviting_a_contact_to_the_team_turns_the_same_person_into_an_account(app, client, coordinator_setup, make):
    partnership, _, _ = coordinator_setup
    contact = make.contact(partnership, email="ria@gemeente.nl")
    page = client.post(TEAM, data={"name": "Ria Smit", "email": "ria@gemeente.nl", "roles": ["host"]},
                       follow_redirects=True).get_data(as_text=True)
    invitation = re.search(r"https://wijk\.example\.nl(/invitation/[A-Za-z0-9_-]+)", page).group(1)
    client.post("/logout")
    client.post(invitation, data={"name": "Ria Smit", "password": "een-heel-nieuw-wachtwoord",
                                  "password_again": "een-heel-nieuw-wachtwoord"})
    with app.app_context():
        user = db.session.get(User, contact.id)
        assert user.has_password and user.roles_in(partnership.id) == {Role.HOST}
        assert count(User, User.email == "ria@gemeente.nl") == 1


# --- the two questions through a personal link -------------------------------------------------

def test_opening_a_round_mails_the_two_questions_to_professionals_and_survey_contacts(app, client,
                                                                                      coordinator_setup, make):
    partnership, _, _ = coordinator_setup
    make.user(partnership, Role.PROFESSIONAL, email="huisarts@example.org")
    assistant = make.contact(partnership, name="Anna", organisation="Huisartsenpraktijk", email="anna@praktijk.nl",
                             gets_micro_survey=True)
    make.contact(partnership, name="Geen vragen", email="niet@example.org")
    make.round(partnership, day=date.today() - timedelta(days=40))
    page = client.post("/p/noord/coordinator/rounds/open", data={"starts_on": date.today().isoformat(),
                                                                "meeting_on": ""},
                       follow_redirects=True).get_data(as_text=True)
    assert page.count("deze persoonlijke link") == 2
    with app.app_context():
        assert {m.to_address for m in db.session.scalars(db.select(OutboxMessage))} == {
            "huisarts@example.org", "anna@praktijk.nl"}
        mail = last_mail_to("anna@praktijk.nl")
        assert mail.subject.startswith("Twee vragen") and "Wat hoor je deze maand vaak van bewoners?" in mail.body
        link = link_in(mail.body)
        round_2 = db.session.scalar(db.select(Round).where(Round.number == 2))
    client.post("/logout")
    form = client.get(link).get_data(as_text=True)
    assert "Twee vragen voor deze ronde" in form and "Ronde 2" in form
    response = client.post(link, data={"answer_1": "Veel eenzaamheid bij ouderen", "answer_2": ""})
    assert response.status_code == 302
    with app.app_context():
        signal = db.session.scalar(db.select(Signal))
        assert (signal.text, signal.source, signal.created_by_id, signal.round_id) == (
            "Veel eenzaamheid bij ouderen", Source.PROFESSIONAL_MICRO.value, assistant.id, round_2.id)
    empty = client.post(link, data={"answer_1": "", "answer_2": ""})
    assert empty.status_code == 422 and "Beantwoord minstens één" in empty.get_data(as_text=True)


def test_a_micro_survey_link_stops_when_the_next_round_starts(app, client, make):
    partnership = make.partnership(slug="noord")
    assistant = make.contact(partnership, gets_micro_survey=True)
    round_1 = make.round(partnership, day=date.today() - timedelta(days=10))
    with app.test_request_context():
        link = link_in(personal_links.send_micro_survey_link(db.session.get(Round, round_1.id),
                                                             db.session.get(User, assistant.id), None).link)
        db.session.commit()
    assert client.get(link).status_code == 200
    with app.app_context():
        from wijkapp.services import rounds
        rounds.open_next_round(db.session.get(type(partnership), partnership.id), date.today(), None)
        db.session.commit()
    assert client.get(link).status_code == 404


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True}])
def test_personal_links_are_rate_limited(client, make, app_config):
    make.partnership(slug="noord")
    statuses = [client.get(f"/link/geraden-{n}").status_code for n in range(32)]
    assert statuses[:30] == [404] * 30 and statuses[30:] == [429, 429]


def test_action_rules_accept_a_contact_but_not_a_contact_of_another_partnership(app, make):
    noord, zuid = make.partnership(slug="noord"), make.partnership(slug="zuid")
    theirs = make.contact(zuid, email="zuid@example.org")
    ours = make.contact(noord, email="noord@example.org")
    with app.app_context():
        assert actions.can_work_on_actions(db.session.get(type(noord), noord.id), ours.id)
        assert not actions.can_work_on_actions(db.session.get(type(noord), noord.id), theirs.id)
