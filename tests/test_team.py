"""Team self-service: invitations, roles, leaving, and a forgotten password (issue 11)."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.conftest import PASSWORD, count
from wijkapp.extensions import db
from wijkapp.models import Action, AuditEvent, Invitation, Membership, OutboxMessage, PasswordReset, Role, User
from wijkapp.models.base import utcnow

TEAM = "/p/noord/coordinator/team"
NEW_PASSWORD = "een-heel-nieuw-wachtwoord"


def link_in(text: str, path: str) -> str:
    match = re.search(rf"https://wijk\.example\.nl({path}/[A-Za-z0-9_.-]+)", text)
    assert match, f"no {path} link in: {text[:300]}"
    return match.group(1)


def invite(client, name="Fatima de Vries", email="fatima@example.org", roles=("host",)):
    return client.post(TEAM, data={"name": name, "email": email, "roles": list(roles)}, follow_redirects=True)


def outbox_to(address: str) -> OutboxMessage:
    return db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.to_address == address)
                              .order_by(OutboxMessage.id.desc())).first()


def test_team_page_lists_members_with_roles_and_last_login(client, coordinator_setup, make):
    partnership, coordinator, _ = coordinator_setup
    make.user(partnership, Role.HOST, email="host@example.org")
    page = client.get(TEAM).get_data(as_text=True)
    assert "coordinator@example.org" in page and "host@example.org" in page
    assert "laatst ingelogd: nog nooit" in page  # the host never logged in
    assert 'value="host" checked' in page


def test_invitation_without_mail_server_shows_the_link_and_queues_the_mail(app, client, coordinator_setup):
    page = invite(client, roles=("host", "professional")).get_data(as_text=True)
    assert "geen mailserver" in page
    shown = link_in(page, "/invitation")
    with app.app_context():
        invitation = db.session.scalar(db.select(Invitation))
        assert invitation.email == "fatima@example.org" and invitation.role_values == ["host", "professional"]
        assert invitation.expires_at - utcnow() > timedelta(days=6, hours=23)
        assert shown.rsplit("/", 1)[1] not in invitation.token_hash  # only the hash is stored
        mail = outbox_to("fatima@example.org")
        assert link_in(mail.body, "/invitation") == shown
        assert count(AuditEvent, AuditEvent.action == "team_invited") == 1


def test_accepting_an_invitation_sets_the_password_and_lands_on_the_roles_home(app, client, coordinator_setup):
    shown = link_in(invite(client).get_data(as_text=True), "/invitation")
    client.post("/logout")
    form = client.get(shown).get_data(as_text=True)
    assert "Welkom bij Wijkverband Noord" in form and "fatima@example.org" in form
    response = client.post(shown, data={"name": "Fatima", "password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.get(response.location).location.endswith("/p/noord/host/")
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "fatima@example.org"))
        assert user.check_password(NEW_PASSWORD) and user.roles_in(user.memberships[0].partnership_id) == {Role.HOST}
    # Once only.
    client.post("/logout")
    again = client.get(shown)
    assert again.status_code == 404 and "Deze link werkt niet meer" in again.get_data(as_text=True)


def test_accepting_keeps_what_was_typed_and_applies_the_password_rules(app, client, coordinator_setup):
    shown = link_in(invite(client).get_data(as_text=True), "/invitation")
    client.post("/logout")
    response = client.post(shown, data={"name": "Fatima Zahra", "password": "kort", "password_again": "kort"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Er gaat iets mis" in page and 'value="Fatima Zahra"' in page
    with app.app_context():
        assert count(User, User.email == "fatima@example.org") == 0


@pytest.mark.parametrize("mangle", ["expired", "revoked", "tampered", "resent"])
def test_a_dead_invitation_link_gets_a_friendly_page(app, client, coordinator_setup, mangle):
    shown = link_in(invite(client).get_data(as_text=True), "/invitation")
    with app.app_context():
        invitation = db.session.scalar(db.select(Invitation))
        invitation_id = invitation.id
        if mangle == "expired":
            invitation.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    if mangle == "revoked":
        client.post(f"{TEAM}/invitations/{invitation_id}/revoke")
    if mangle == "tampered":
        shown = shown[:-3] + ("aaa" if not shown.endswith("aaa") else "bbb")
    if mangle == "resent":
        page = client.post(f"{TEAM}/invitations/{invitation_id}/resend", follow_redirects=True).get_data(as_text=True)
        assert link_in(page, "/invitation") != shown
    client.post("/logout")
    response = client.get(shown)
    assert response.status_code == 404
    assert "Vraag de coördinator" in response.get_data(as_text=True)
    assert client.post(shown, data={"name": "X", "password": NEW_PASSWORD,
                                    "password_again": NEW_PASSWORD}).status_code == 404
    with app.app_context():
        assert count(User, User.email == "fatima@example.org") == 0


def test_inviting_someone_with_an_account_adds_a_membership(app, client, coordinator_setup, make):
    other = make.partnership(slug="zuid")
    existing = make.user(other, Role.PROFESSIONAL, email="huisarts@example.org")
    page = invite(client, name="Dokter", email="HuisArts@example.org", roles=("professional",)).get_data(as_text=True)
    assert "had al een account" in page
    with app.app_context():
        assert count(User, User.email == "huisarts@example.org") == 1
        assert count(Invitation) == 0
        assert count(Membership, Membership.user_id == existing.id) == 2
    assert "/invitation/" not in page  # no link to hand over: the account exists


def test_change_roles_and_a_colleagues_change_is_not_overwritten(app, client, coordinator_setup, make):
    partnership, _, _ = coordinator_setup
    host = make.user(partnership, Role.HOST, email="host@example.org")
    url = f"{TEAM}/members/{host.id}/roles"
    prefix = f"m{host.id}-"
    ok = client.post(url, data={prefix + "roles": ["host", "ervaringsdeskundige"], prefix + "roles_stamp": "host"})
    assert ok.status_code == 302
    # A second coordinator still has the form built on "host" only.
    stale = client.post(url, data={prefix + "roles": ["professional"], prefix + "roles_stamp": "host"})
    assert stale.status_code == 422
    assert "Iemand anders heeft de rollen" in stale.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, host.id).roles_in(partnership.id) == {Role.HOST, Role.ERVARINGSDESKUNDIGE}
        assert count(AuditEvent, AuditEvent.action == "team_roles_changed") == 1


def test_the_last_coordinator_cannot_leave_or_lose_the_role(app, client, coordinator_setup, make):
    partnership, coordinator, _ = coordinator_setup
    prefix = f"m{coordinator.id}-"
    response = client.post(f"{TEAM}/members/{coordinator.id}/roles",
                           data={prefix + "roles": ["host"], prefix + "roles_stamp": "coordinator"})
    assert response.status_code == 422 and "altijd minstens één coördinator" in response.get_data(as_text=True)
    page = client.post(f"{TEAM}/members/{coordinator.id}/remove", follow_redirects=True).get_data(as_text=True)
    assert "altijd minstens één coördinator" in page
    with app.app_context():
        assert db.session.get(User, coordinator.id).roles_in(partnership.id) == {Role.COORDINATOR}


def test_removing_a_member_ends_their_session_and_flags_their_actions(app, client, coordinator_setup, make):
    partnership, coordinator, _ = coordinator_setup
    host = make.user(partnership, Role.HOST, email="host@example.org")
    host_client = app.test_client()
    host_client.post("/login", data={"email": host.email, "password": PASSWORD})
    assert host_client.get("/p/noord/host/").status_code == 200
    with app.app_context():
        from wijkapp.services import rounds

        round_ = rounds.round_for_date(db.session.get(type(partnership), partnership.id), utcnow().date())
        today = utcnow().date()
        db.session.add(Action(partnership_id=partnership.id, round_id=round_.id, version=1, title="Lamp repareren",
                              signal_summary="s", intended_result="r", description="d", owner_id=host.id,
                              partners="", first_step="Bellen", first_step_on=today + timedelta(days=7),
                              check_on=today + timedelta(days=45), feedback_sentence="We doen het",
                              choice_reason="Vaak genoemd"))
        db.session.commit()
    response = client.post(f"{TEAM}/members/{host.id}/remove")
    assert response.status_code == 302
    # The host's open session is over at once.
    assert host_client.get("/p/noord/host/").status_code == 302
    home = client.get("/p/noord/coordinator/").get_data(as_text=True)
    assert "Eigenaar vertrokken" in home and "Lamp repareren" in home
    with app.app_context():
        assert count(Membership, Membership.user_id == host.id) == 0
        assert db.session.get(User, host.id) is not None  # their name stays on their work
        assert count(AuditEvent, AuditEvent.action == "team_member_removed") == 1


def test_only_coordinators_reach_the_team_page(client, make, auth):
    partnership = make.partnership(slug="noord")
    host = make.user(partnership, Role.HOST)
    auth.login(host)
    assert client.get(TEAM).status_code == 403


# --- password reset ----------------------------------------------------------------------------

def test_login_links_to_the_reset_page(client):
    page = client.get("/login").get_data(as_text=True)
    assert re.search(r'<a href="/password/forgot">[^<]*vergeten', page)


def test_forgot_password_answers_the_same_for_known_and_unknown_addresses(app, client, make):
    partnership = make.partnership(slug="noord")
    make.user(partnership, Role.HOST, email="host@example.org")
    known = client.post("/password/forgot", data={"email": "host@example.org"})
    unknown = client.post("/password/forgot", data={"email": "niemand@example.org"})
    assert known.status_code == unknown.status_code == 200
    strip = lambda r: r.get_data(as_text=True).replace("host@example.org", "X").replace("niemand@example.org", "X")
    assert strip(known) == strip(unknown)
    with app.app_context():
        assert count(PasswordReset) == 1
        assert outbox_to("niemand@example.org") is None
        assert outbox_to("host@example.org").partnership_id is None


def test_a_reset_link_works_once_and_ends_every_other_session(app, client, make):
    partnership = make.partnership(slug="noord")
    host = make.user(partnership, Role.HOST, email="host@example.org")
    elsewhere = app.test_client()
    elsewhere.post("/login", data={"email": host.email, "password": PASSWORD})
    assert elsewhere.get("/p/noord/host/").status_code == 200
    client.post("/password/forgot", data={"email": "host@example.org"})
    with app.app_context():
        link = link_in(outbox_to("host@example.org").body, "/password/reset")
    weak = client.post(link, data={"password": "host", "password_again": "host"})
    assert weak.status_code == 422 and "Er gaat iets mis" in weak.get_data(as_text=True)
    response = client.post(link, data={"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.get("/p/noord/host/").status_code == 200  # the person who reset is logged in
    assert elsewhere.get("/p/noord/host/").status_code == 302  # every other session ended
    with app.app_context():
        assert db.session.get(User, host.id).check_password(NEW_PASSWORD)
    assert client.get(link).status_code == 404


def test_an_expired_reset_link_gets_a_friendly_page(app, client, make):
    partnership = make.partnership(slug="noord")
    make.user(partnership, Role.HOST, email="host@example.org")
    client.post("/password/forgot", data={"email": "host@example.org"})
    with app.app_context():
        link = link_in(outbox_to("host@example.org").body, "/password/reset")
        reset = db.session.scalar(db.select(PasswordReset))
        reset.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    response = client.get(link)
    assert response.status_code == 404 and "Vraag een nieuwe link aan" in response.get_data(as_text=True)


def test_forgot_password_keeps_a_bad_address_and_says_what_to_do(client):
    response = client.post("/password/forgot", data={"email": "geen-adres"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Dit lijkt geen e-mailadres" in page and 'value="geen-adres"' in page


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True}])
def test_forgot_password_is_throttled_per_address(app, client, make, app_config):
    partnership = make.partnership(slug="noord")
    make.user(partnership, Role.HOST, email="host@example.org")
    statuses = [client.post("/password/forgot", data={"email": "host@example.org"},
                            environ_base={"REMOTE_ADDR": f"10.0.0.{n}"}).status_code for n in range(7)]
    assert statuses[:5] == [200] * 5 and statuses[5:] == [429, 429]
    with app.app_context():
        assert count(PasswordReset) == 5


# --- own account -------------------------------------------------------------------------------

def test_account_page_shows_own_roles_and_changes_the_name(app, client, coordinator_setup):
    _, coordinator, _ = coordinator_setup
    page = client.get("/account/").get_data(as_text=True)
    assert "Wijkverband Noord: Coördinator" in page
    assert client.post("/account/name", data={"name": "Sam Jansen"}).status_code == 302
    with app.app_context():
        assert db.session.get(User, coordinator.id).name == "Sam Jansen"
    empty = client.post("/account/name", data={"name": ""})
    assert empty.status_code == 422 and "Vul je naam in." in empty.get_data(as_text=True)


def test_email_change_waits_for_the_new_address_and_works_once(app, client, coordinator_setup):
    _, coordinator, _ = coordinator_setup
    wrong = client.post("/account/email", data={"new_email": "nieuw@example.org", "current_password": "fout"})
    assert wrong.status_code == 422 and 'value="nieuw@example.org"' in wrong.get_data(as_text=True)
    client.post("/account/email", data={"new_email": "Nieuw@example.org", "current_password": PASSWORD})
    with app.app_context():
        assert db.session.get(User, coordinator.id).email == "coordinator@example.org"  # not yet
        link = link_in(outbox_to("nieuw@example.org").body, "/account/email")
    assert client.get(link).status_code == 302
    with app.app_context():
        assert db.session.get(User, coordinator.id).email == "nieuw@example.org"
        assert count(AuditEvent, AuditEvent.action == "email_changed") == 1
    again = client.get(link)
    assert again.status_code == 404 and "niet gewijzigd" in again.get_data(as_text=True)


def test_password_change_keeps_this_session_and_ends_the_others(app, client, coordinator_setup):
    _, coordinator, _ = coordinator_setup
    elsewhere = app.test_client()
    elsewhere.post("/login", data={"email": coordinator.email, "password": PASSWORD})
    response = client.post("/account/password", data={"current_password": PASSWORD, "password": NEW_PASSWORD,
                                                      "password_again": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.get("/p/noord/coordinator/").status_code == 200
    assert elsewhere.get("/p/noord/coordinator/").status_code == 302
    with app.app_context():
        assert db.session.get(User, coordinator.id).check_password(NEW_PASSWORD)


def test_logout_everywhere_ends_every_session(app, client, coordinator_setup):
    _, coordinator, _ = coordinator_setup
    elsewhere = app.test_client()
    elsewhere.post("/login", data={"email": coordinator.email, "password": PASSWORD})
    assert client.post("/account/logout-everywhere").status_code == 302
    assert client.get("/p/noord/coordinator/").status_code == 302
    assert elsewhere.get("/p/noord/coordinator/").status_code == 302


# --- printed addresses -------------------------------------------------------------------------

def client_at(app, host: str, email: str):
    """A browser that reaches the app at `host` (the session cookie belongs to that host)."""
    client = app.test_client()
    client.post("/login", data={"email": email, "password": PASSWORD}, base_url=f"http://{host}")
    return client


@pytest.mark.parametrize("app_config", [{"PUBLIC_BASE_URL": "http://localhost:5000"}])
def test_posters_warn_while_the_printed_address_is_this_computer_only(app, coordinator_setup, app_config):
    _, coordinator, location = coordinator_setup
    pages = ["/p/noord/coordinator/locations", f"/p/noord/coordinator/locations/{location.id}",
             f"/p/noord/coordinator/locations/{location.id}/poster"]
    elsewhere = client_at(app, "192.168.1.20:5000", coordinator.email)
    here = client_at(app, "localhost:5000", coordinator.email)
    for url in pages:
        page = elsewhere.get(url, base_url="http://192.168.1.20:5000").get_data(as_text=True)
        assert "wijzen nu naar http://localhost:5000" in page, url
        assert "https://192.168.1.20:5000" in page
        assert "wijzen nu naar" not in here.get(url, base_url="http://localhost:5000").get_data(as_text=True), url


def test_no_warning_when_the_public_address_is_set(app, coordinator_setup):
    _, coordinator, _ = coordinator_setup
    elsewhere = client_at(app, "192.168.1.20:5000", coordinator.email)
    page = elsewhere.get("/p/noord/coordinator/locations", base_url="http://192.168.1.20:5000")
    assert page.status_code == 200 and "wijzen nu naar" not in page.get_data(as_text=True)


# --- two-step login ----------------------------------------------------------------------------

def current_code(secret: str, offset_steps: int = 0) -> str:
    import time

    import pyotp

    return pyotp.TOTP(secret).at(time.time() + offset_steps * 30)


def enable_two_step(client) -> tuple[str, list[str]]:
    page = client.get("/account/two-step").get_data(as_text=True)
    secret = re.search(r"<code>([A-Z2-7]{32})</code>", page).group(1)
    response = client.post("/account/two-step/enable", data={"code": current_code(secret)})
    assert response.status_code == 200
    codes = re.findall(r"<code>([0-9a-f]{6}-[0-9a-f]{6})</code>", response.get_data(as_text=True))
    return secret, codes


def test_two_step_login_needs_a_fresh_code_or_a_recovery_code(app, client, coordinator_setup):
    _, coordinator, _ = coordinator_setup
    client.get("/account/two-step")
    wrong = client.post("/account/two-step/enable", data={"code": "000000"})
    assert wrong.status_code == 422 and "Deze code klopt niet" in wrong.get_data(as_text=True)
    secret, codes = enable_two_step(client)
    assert len(codes) == 10
    with app.app_context():
        assert db.session.get(User, coordinator.id).totp_secret == secret
    fresh = app.test_client()
    response = fresh.post("/login", data={"email": coordinator.email, "password": PASSWORD})
    assert response.location.endswith("/login/two-step")
    assert fresh.get("/p/noord/coordinator/").status_code == 302  # the password alone is not enough
    # The code used to switch it on was seen: it does not log in.
    assert fresh.post("/login/two-step", data={"code": current_code(secret)}).status_code == 422
    assert fresh.post("/login/two-step", data={"code": codes[0]}).status_code == 302
    assert fresh.get("/p/noord/coordinator/").status_code == 200
    # A recovery code works once.
    again = app.test_client()
    again.post("/login", data={"email": coordinator.email, "password": PASSWORD})
    assert again.post("/login/two-step", data={"code": codes[0]}).status_code == 422
    assert again.post("/login/two-step", data={"code": current_code(secret, 1)}).status_code == 302


def test_the_second_step_without_a_password_first_goes_back_to_login(client):
    response = client.get("/login/two-step")
    assert response.status_code == 302 and response.location.endswith("/login")


def test_a_partnership_can_require_two_step_for_its_coordinators(app, client, coordinator_setup, make):
    partnership, _, _ = coordinator_setup
    host = make.user(partnership, Role.HOST, email="host@example.org")
    assert client.post(f"{TEAM}/two-step", data={"required": "1"}).status_code == 302
    response = client.get("/p/noord/coordinator/")
    assert response.status_code == 302 and response.location.endswith("/account/two-step")
    host_client = app.test_client()
    host_client.post("/login", data={"email": host.email, "password": PASSWORD})
    assert host_client.get("/p/noord/host/").status_code == 200  # only coordinators are asked
    enable_two_step(client)
    assert client.get("/p/noord/coordinator/").status_code == 200
    off = client.post("/account/two-step/off", data={"current_password": PASSWORD, "code": "123456"})
    assert off.status_code == 422 and "niet uitzetten" in off.get_data(as_text=True)
    with app.app_context():
        assert count(AuditEvent, AuditEvent.action == "two_step_required") == 1


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True}])
def test_two_step_codes_are_throttled_per_account(app, client, coordinator_setup, app_config):
    _, coordinator, _ = coordinator_setup
    enable_two_step(client)
    statuses = []
    for n in range(12):
        guesser = app.test_client()
        guesser.post("/login", data={"email": coordinator.email, "password": PASSWORD},
                     environ_base={"REMOTE_ADDR": f"10.0.1.{n}"})
        statuses.append(guesser.post("/login/two-step", data={"code": "000000"},
                                     environ_base={"REMOTE_ADDR": f"10.0.1.{n}"}).status_code)
    assert statuses[:10] == [422] * 10 and statuses[10:] == [429, 429]


def test_team_changes_read_in_dutch_in_the_audit_log(client, coordinator_setup):
    invite(client)
    page = client.get("/p/noord/coordinator/audit").get_data(as_text=True)
    assert "Iemand uitgenodigd" in page and "team_invited" not in page
