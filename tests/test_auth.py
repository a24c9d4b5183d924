"""Login, logout, the start page, first start and the closed-by-default staff areas."""
from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, count
from wijkapp.extensions import db
from wijkapp.models import Membership, Partnership, Role, User
from wijkapp.services import first_start

PROTECTED_PAGES = [
    "/start",
    "/p/noord/coordinator/",
    "/p/noord/coordinator/signals",
    "/p/noord/coordinator/signals.csv",
    "/p/noord/coordinator/locations",
    "/p/noord/coordinator/themes",
    "/p/noord/coordinator/micro-survey",
    "/p/noord/coordinator/panel-sessions",
    "/p/noord/host/",
    "/p/noord/professional/",
    "/p/noord/expert/",
]


@pytest.mark.parametrize("path", PROTECTED_PAGES)
def test_login_required(client, make, path):
    make.partnership(slug="noord")
    response = client.get(path)
    assert response.status_code == 302
    assert "/login" in response.location


def test_login_with_right_password_goes_to_the_work(client, make, auth):
    partnership = make.partnership(slug="noord")
    coordinator = make.user(partnership, Role.COORDINATOR)
    response = auth.login(coordinator)
    assert response.status_code == 302 and response.location.endswith("/start")
    assert client.get("/start").location.endswith("/p/noord/coordinator/")


def test_login_email_is_case_insensitive(client, make, auth):
    partnership = make.partnership(slug="noord")
    make.user(partnership, Role.HOST, email="host@example.org")
    assert auth.login("  HOST@Example.org ").status_code == 302


@pytest.mark.parametrize("email", ["host@example.org", "niemand@example.org"])
def test_wrong_login_gives_the_same_message_for_known_and_unknown_accounts(client, make, auth, email):
    partnership = make.partnership(slug="noord")
    make.user(partnership, Role.HOST, email="host@example.org")
    response = auth.login(email, "verkeerd-wachtwoord")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Dit e-mailadres en wachtwoord horen niet bij elkaar." in html
    assert email in html  # the typed address is kept


def test_next_only_goes_to_this_site(client, make):
    partnership = make.partnership(slug="noord")
    user = make.user(partnership, Role.HOST)
    response = client.post("/login?next=https://evil.example/", data={"email": user.email, "password": PASSWORD})
    assert response.location.endswith("/start")
    response = client.post("/logout")
    response = client.post("/login?next=/p/noord/host/", data={"email": user.email, "password": PASSWORD})
    assert response.location.endswith("/p/noord/host/")


def test_logout_needs_post_and_ends_the_login(client, make, auth):
    partnership = make.partnership(slug="noord")
    auth.login(make.user(partnership, Role.HOST))
    assert client.get("/logout").status_code in (404, 405)
    auth.logout()
    assert client.get("/p/noord/host/").status_code == 302


def test_start_page_lists_every_partnership_and_role(client, make, auth):
    first = make.partnership(name="Wijkverband Noord", slug="noord")
    second = make.partnership(name="Wijkverband Zuid", slug="zuid")
    person = make.user(first, Role.HOST, email="beide@example.org")
    make.user(second, Role.PROFESSIONAL, email="beide@example.org")
    auth.login(person)
    html = client.get("/start").get_data(as_text=True)
    assert "Wijkverband Noord" in html and "Wijkverband Zuid" in html
    assert "/p/noord/host/" in html and "/p/zuid/professional/" in html


def test_role_in_one_partnership_gives_nothing_in_another(client, make, auth):
    make.partnership(slug="noord")
    other = make.partnership(slug="zuid")
    auth.login(make.user(other, Role.COORDINATOR))
    assert client.get("/p/noord/coordinator/").status_code == 404
    assert client.get("/p/bestaat-niet/coordinator/").status_code == 404


def test_host_cannot_open_coordinator_pages(client, make, auth):
    partnership = make.partnership(slug="noord")
    auth.login(make.user(partnership, Role.HOST))
    assert client.get("/p/noord/coordinator/").status_code == 403


def test_first_start_shows_how_to_make_the_first_coordinator(client, app, capsys):
    response = client.get("/")
    html = response.get_data(as_text=True)
    assert "Er zijn nog geen accounts" in html
    assert "flask --app app create-user" in html
    printed = capsys.readouterr().out
    with app.app_context():
        token = first_start.setup_token()
    assert f"/setup/{token}" in printed
    assert "/setup/" not in html  # the link is only in the console


def test_setup_link_uses_the_address_the_app_runs_on_and_is_printed_once(client, app, capsys):
    client.get("/", base_url="http://192.168.1.20:8000")
    client.get("/", base_url="http://192.168.1.20:8000")
    printed = capsys.readouterr().out
    with app.app_context():
        token = first_start.setup_token()
    assert printed.count("/setup/") == 1
    assert f"http://192.168.1.20:8000/setup/{token}" in printed


def test_setup_link_creates_partnership_and_coordinator_once(client, app):
    client.get("/")
    with app.app_context():
        token = first_start.setup_token()
    data = {"partnership_name": "Hecht wijkverband Noord", "neighbourhood": "Noord", "name": "Sanne",
            "email": "sanne@example.org", "password": "een-lang-wachtwoord", "password_again": "een-lang-wachtwoord"}
    response = client.post(f"/setup/{token}", data=data)
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(db.select(User))
        partnership = db.session.scalar(db.select(Partnership))
        assert user.email == "sanne@example.org" and user.check_password("een-lang-wachtwoord")
        assert user.roles_in(partnership.id) == {Role.COORDINATOR}
        assert partnership.slug == "hecht-wijkverband-noord"
    assert client.get(f"/setup/{token}").status_code == 404


def test_setup_with_wrong_token_or_bad_input(client, app):
    client.get("/")
    assert client.get("/setup/verkeerd").status_code == 404
    with app.app_context():
        token = first_start.setup_token()
    response = client.post(f"/setup/{token}", data={"partnership_name": "Noord", "name": "Sanne",
                                                    "email": "sanne@example.org", "password": "kort",
                                                    "password_again": "anders"})
    html = response.get_data(as_text=True)
    assert "minimaal 12 tekens" in html and "niet gelijk" in html and "sanne@example.org" in html
    with app.app_context():
        assert count(User) == 0 and count(Membership) == 0


def test_production_hashes_passwords_with_scrypt(app, make):
    partnership = make.partnership()
    with app.app_context():
        app.config.pop("PASSWORD_HASH_METHOD")
        user = make.user(partnership, Role.HOST)
        assert db.session.get(User, user.id).password_hash.startswith("scrypt:")
