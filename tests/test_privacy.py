"""What residents and coordinators see of personal data: the withdrawal link, the privacy
statement, requests per receipt code, retention settings and the audit log."""
from __future__ import annotations

import json

import pytest

from tests.conftest import count, csrf_token_from
from wijkapp.extensions import db
from wijkapp.models import AuditEvent, Partnership, ResidentContact, Role, Signal
from wijkapp.presenters import receipt
from wijkapp.services import audit, privacy
from wijkapp.services.intake import ResidentContactDetails


@pytest.fixture
def signal_with_contact(make):
    partnership = make.partnership(name="Wijkverband Zuid", slug="zuid")
    location = make.location(partnership, name="Bibliotheek Zuid")
    return make.signal(partnership, "De lantaarn bij nummer 12 is stuk", location_id=location.id,
                       contact=ResidentContactDetails(email="bewoner@example.org"))


def withdraw_path(app, signal) -> str:
    with app.test_request_context():
        return f"/privacy/withdraw/{privacy.withdraw_token(db.session.get(Signal, signal.id))}"


# --- The resident's one link -------------------------------------------------------------------

def test_withdraw_link_asks_first_then_erases_at_once(app, client, signal_with_contact):
    path = withdraw_path(app, signal_with_contact)

    page = client.get(path)
    assert page.status_code == 200
    assert "Ja, wis mijn e-mailadres" in page.get_data(as_text=True)
    with app.app_context():
        assert count(ResidentContact) == 1  # a GET (a mail scanner opening links) erases nothing

    done = client.post(path, follow_redirects=True)
    assert done.status_code == 200
    assert "Je e-mailadres is gewist" in done.get_data(as_text=True)
    with app.app_context():
        assert count(ResidentContact) == 0
        signal = db.session.get(Signal, signal_with_contact.id)
        assert signal.text == "De lantaarn bij nummer 12 is stuk"
        assert db.session.scalar(db.select(AuditEvent.action)) == "contact_withdrawn"


def test_a_used_withdraw_link_says_kindly_it_is_already_done(app, client, signal_with_contact):
    path = withdraw_path(app, signal_with_contact)
    client.post(path, follow_redirects=True)

    again = client.get(path)
    assert again.status_code == 200
    assert "Dit is al geregeld" in again.get_data(as_text=True)
    second_post = client.post(path, follow_redirects=True)
    assert second_post.status_code == 200
    with app.app_context():
        assert count(AuditEvent) == 1


def test_a_damaged_withdraw_link_explains_what_to_do(client, signal_with_contact):
    response = client.get("/privacy/withdraw/not-a-real-token")
    assert response.status_code == 404
    assert "Deze link werkt niet" in response.get_data(as_text=True)


def test_withdraw_needs_a_csrf_token_when_csrf_is_on(app, make, signal_with_contact):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    path = withdraw_path(app, signal_with_contact)
    assert client.post(path).status_code == 400
    token = csrf_token_from(client.get(path).data)
    assert client.post(path, data={"csrf_token": token}).status_code == 302
    with app.app_context():
        assert count(ResidentContact) == 0


def test_thank_you_page_offers_the_withdraw_link_and_the_privacy_statement(app, client, make):
    partnership = make.partnership(slug="oost")
    location = make.location(partnership)
    client.post(f"/s/{location.code}", data={"text": "Meer bankjes graag", "theme": "0", "submission_token": "t1",
                                             "wants_update": "y", "email": "ik@example.org"})
    html = client.get(f"/s/{location.code}/bedankt").get_data(as_text=True)
    assert "/privacy/withdraw/" in html
    assert "/privacy/oost" in html
    assert "/privacy/oost" in client.get(f"/s/{location.code}").get_data(as_text=True)


def test_privacy_statement_is_built_from_the_partnerships_settings(app, client, make):
    partnership = make.partnership(name="Wijkverband West", slug="west")
    with app.app_context():
        stored = db.session.get(Partnership, partnership.id)
        stored.contact_days_after_feedback = 14
        stored.contact_max_months = 6
        stored.privacy_contact = "privacy@west.example.nl"
        db.session.commit()

    html = client.get("/privacy/west").get_data(as_text=True)
    assert "14 dagen nadat we je het bericht hebben gestuurd" in html
    assert "uiterlijk 6 maanden" in html
    assert "privacy@west.example.nl" in html
    assert "IP-adres" in html
    assert client.get("/privacy/bestaat-niet").status_code == 404


# --- The coordinator: requests per receipt code --------------------------------------------------

@pytest.fixture
def coordinator_and_signal(make, auth, signal_with_contact):
    partnership = Partnership(id=signal_with_contact.partnership_id)
    coordinator = make.user(partnership, Role.COORDINATOR, email="coord@example.org")
    auth.login(coordinator)
    return coordinator, signal_with_contact


def test_lookup_by_receipt_code_shows_what_is_held(client, coordinator_and_signal):
    _, signal = coordinator_and_signal
    html = client.get(f"/p/zuid/coordinator/privacy?code={receipt(signal.receipt_code).lower()}").get_data(as_text=True)
    assert "De lantaarn bij nummer 12 is stuk" in html
    assert "bewoner@example.org" in html

    missing = client.get("/p/zuid/coordinator/privacy?code=AAAA-BBBB").get_data(as_text=True)
    assert "Geen signaal gevonden met deze code" in missing


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_per_receipt_code_downloads_and_is_audit_logged(app, client, coordinator_and_signal, fmt):
    coordinator, signal = coordinator_and_signal
    response = client.get(f"/p/zuid/coordinator/privacy/{signal.receipt_code}/export.{fmt}")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    assert "bewoner@example.org" in body and "De lantaarn bij nummer 12 is stuk" in body
    if fmt == "json":
        assert json.loads(body)["contactgegevens"]["e-mailadres"] == "bewoner@example.org"
    with app.app_context():
        event = db.session.scalar(db.select(AuditEvent))
        assert (event.action, event.user_id, event.object_id) == ("privacy_export", coordinator.id, signal.id)


def test_erase_per_receipt_code_needs_confirmation_then_erases_and_logs(app, client, coordinator_and_signal):
    coordinator, signal = coordinator_and_signal
    path = f"/p/zuid/coordinator/privacy/{signal.receipt_code}/erase"

    unconfirmed = client.post(path)
    assert unconfirmed.status_code == 422
    assert "Zet het vinkje aan" in unconfirmed.get_data(as_text=True)
    with app.app_context():
        assert count(ResidentContact) == 1

    assert client.post(path, data={"confirm": "y"}).status_code == 302
    with app.app_context():
        stored = db.session.get(Signal, signal.id)
        assert stored.text == "[verwijderd op verzoek]"
        assert count(ResidentContact) == 0
        event = db.session.scalar(db.select(AuditEvent))
        assert (event.action, event.user_id, event.detail) == ("privacy_erase", coordinator.id, receipt(signal.receipt_code))


def test_another_partnerships_receipt_code_is_not_found(client, make, auth, signal_with_contact):
    other = make.partnership(slug="ander")
    auth.login(make.user(other, Role.COORDINATOR))
    assert "bewoner@example.org" not in client.get(
        f"/p/ander/coordinator/privacy?code={signal_with_contact.receipt_code}").get_data(as_text=True)
    assert client.get(f"/p/ander/coordinator/privacy/{signal_with_contact.receipt_code}/export.json").status_code == 404
    assert client.post(f"/p/ander/coordinator/privacy/{signal_with_contact.receipt_code}/erase",
                       data={"confirm": "y"}).status_code == 404


def test_a_host_cannot_reach_the_privacy_pages(client, make, auth, signal_with_contact):
    host = make.user(Partnership(id=signal_with_contact.partnership_id), Role.HOST)
    auth.login(host)
    assert client.get("/p/zuid/coordinator/privacy").status_code == 403
    assert client.get("/p/zuid/coordinator/audit").status_code == 403


def test_retention_settings_are_validated_saved_and_logged(app, client, coordinator_and_signal):
    bad = client.post("/p/zuid/coordinator/privacy", data={"contact_days_after_feedback": "0",
                                                          "contact_max_months": "abc"})
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert "Vul een getal in tussen 1 en 365." in html and 'value="abc"' in html

    good = client.post("/p/zuid/coordinator/privacy", data={"contact_days_after_feedback": "10",
                                                           "contact_max_months": "6",
                                                           "privacy_contact": "Bel 020-1234567"})
    assert good.status_code == 302
    with app.app_context():
        stored = db.session.scalar(db.select(Partnership).where(Partnership.slug == "zuid"))
        assert (stored.contact_days_after_feedback, stored.contact_max_months, stored.privacy_contact) == \
            (10, 6, "Bel 020-1234567")
        assert db.session.scalar(db.select(AuditEvent.action)) == "privacy_settings"
    assert "10 dagen" in client.get("/privacy/zuid").get_data(as_text=True)


def test_audit_log_lists_events_newest_first_in_pages(app, client, coordinator_and_signal):
    coordinator, signal = coordinator_and_signal
    with app.app_context():
        partnership = db.session.get(Partnership, signal.partnership_id)
        for n in range(60):
            audit.record(partnership, None, "export_signals_csv", detail=f"download {n}")
        db.session.commit()

    first = client.get("/p/zuid/coordinator/audit").get_data(as_text=True)
    assert "download 59" in first and "download 5<" not in first
    assert "Signalen gedownload (CSV)" in first
    assert "Pagina 1 van 2" in first
    second = client.get("/p/zuid/coordinator/audit?page=2").get_data(as_text=True)
    assert "download 0<" in second
