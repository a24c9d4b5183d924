"""Messages to residents through a real local SMTP server (aiosmtpd), and a server that is down."""
from __future__ import annotations

from datetime import timedelta

import pytest

from tests.mail_server import free_port, running_inbox, smtp_config
from tests.feedback_helpers import build_round, feedback_form
from wijkapp.extensions import db
from wijkapp.models import OutboxMessage, ResidentContact, Role, Round
from wijkapp.models.base import utcnow
from wijkapp.services import feedback as feedback_service, notify


@pytest.fixture
def smtp_port():
    return free_port()


@pytest.fixture
def app_config(smtp_port):
    return {**smtp_config(smtp_port), "MAIL_FROM": "Wijkverband Noord <noreply@wijk.example.nl>"}


@pytest.fixture
def inbox(smtp_port):
    with running_inbox(smtp_port) as received:
        yield received


@pytest.fixture
def published(make, ctx):
    partnership = make.partnership(name="Wijkverband Noord", slug="noord")
    coordinator = make.user(partnership, Role.COORDINATOR)
    scenario = build_round(make, partnership, coordinator, make.location(partnership))
    draft = feedback_service.draft_for(db.session.get(Round, scenario.round_id))
    draft.not_possible = feedback_form()["not_possible"]
    feedback_service.publish(draft, None)
    db.session.commit()
    return scenario


def test_message_arrives_with_plain_dutch_and_the_withdraw_link(app, published, inbox, runner):
    result = runner.invoke(args=["send-mail"])
    assert "Verstuurd: 1" in result.output
    assert len(inbox.messages) == 1
    recipients, message = inbox.messages[0]
    assert recipients == ["bewoner@example.org"]
    assert message["Subject"] == "Nieuws over je signaal – Wijkverband Noord"
    assert message["From"] == "Wijkverband Noord <noreply@wijk.example.nl>"
    body = message.get_content()
    assert "Je vroeg om een bericht als er nieuws is." in body
    assert "Je signaal hoort bij het onderwerp: Te hard rijden in de Kerkstraat." in body
    assert "- Drempels in de Kerkstraat (gepland)" in body
    contact = db.session.get(ResidentContact, published.contact_id)
    assert notify.withdraw_url(contact) in body
    assert notify.withdraw_url(contact).startswith("https://wijk.example.nl/privacy/withdraw/")
    assert f"https://wijk.example.nl/r/{contact.signal.receipt_code}" in body
    db.session.expire_all()
    message_row = db.session.scalar(db.select(OutboxMessage))
    assert message_row.sent_at is not None and message_row.to_address == ""
    assert db.session.get(ResidentContact, published.contact_id).feedback_sent_at == message_row.sent_at
    assert "Verstuurd: 0" in runner.invoke(args=["send-mail"]).output  # never twice
    assert len(inbox.messages) == 1


def test_withdraw_link_in_mail_opens_the_privacy_route(app, published):
    from wijkapp.services import privacy

    contact = db.session.get(ResidentContact, published.contact_id)
    token = notify.withdraw_url(contact).rsplit("/", 1)[1]
    assert privacy.signal_for_withdraw_token(token).id == contact.signal_id
    assert privacy.signal_for_withdraw_token(token + "x") is None


def test_a_down_server_leaves_the_message_queued_and_it_is_retried(app, published, smtp_port, runner):
    # Nobody listens on the port yet: the server is "down".
    report = notify.send_pending()
    assert (report.sent, report.failed) == (0, 1)
    db.session.expire_all()
    message = db.session.scalar(db.select(OutboxMessage))
    assert message.sent_at is None and message.attempts == 1
    assert message.last_error and message.to_address == "bewoner@example.org"
    assert message.next_attempt_at > utcnow()
    # Not due yet: the backoff holds it back.
    assert notify.send_pending().failed == 0

    with running_inbox(smtp_port) as handler:  # the server is back
        report = notify.send_pending(now=utcnow() + timedelta(minutes=6))
    assert report.sent == 1 and len(handler.messages) == 1
    db.session.expire_all()
    assert db.session.scalar(db.select(OutboxMessage)).attempts == 2


def test_backoff_grows_and_is_capped():
    assert notify.backoff(1) == timedelta(minutes=5)
    assert notify.backoff(2) == timedelta(minutes=10)
    assert notify.backoff(20) == notify.LONGEST_WAIT


def test_without_smtp_host_nothing_is_attempted(app, published, runner):
    app.config["SMTP_HOST"] = ""
    result = runner.invoke(args=["send-mail"])
    assert "SMTP_HOST is niet ingesteld; 1 bericht(en)" in result.output
    db.session.expire_all()
    assert db.session.scalar(db.select(OutboxMessage)).attempts == 0


def test_publishing_succeeds_while_the_server_is_down_and_the_coordinator_sees_it(app, client, make, auth):
    with app.app_context():
        partnership = make.partnership(name="Wijkverband Zuid", slug="zuid")
        coordinator = make.user(partnership, Role.COORDINATOR)
        scenario = build_round(make, partnership, coordinator, make.location(partnership))
    auth.login(coordinator)
    url = f"/p/zuid/coordinator/rounds/{scenario.round_id}/feedback"
    client.get(url)
    response = client.post(url, data=feedback_form(publish="1", confirm_unreviewed="y"))
    assert response.status_code == 302
    with app.app_context():
        notify.send_pending()
    page = client.get("/p/zuid/coordinator/outbox").get_data(as_text=True)
    assert "Nieuws over je signaal" in page and "ConnectionRefusedError" in page
    overview = client.get("/p/zuid/coordinator/feedback").get_data(as_text=True)
    assert "1 bericht aan bewoners nog niet verstuurd" in overview
