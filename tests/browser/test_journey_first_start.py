"""Journey 5 (issue 11, "done when"): a partnership starts without a system administrator.

On a fresh instance the coordinator runs the setup wizard and invites a host, a professional and an
external action owner; mail goes through a real local SMTP server (aiosmtpd) and every person
follows the link in their own mail. The host enters a signal, the professional answers through a
personal link without logging in, the external owner updates the action through theirs, the host
resets a forgotten password, and removing the host ends the host's open session.
"""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.browser.helpers import assert_accessible
from tests.mail_server import free_port, running_inbox, smtp_config
from wijkapp.extensions import db
from wijkapp.models import Action, ActionUpdate, Partnership, Role, Round, Signal, Source, User
from wijkapp.services import notify

pytestmark = pytest.mark.browser

COORDINATOR_PASSWORD = "zonnebloem-in-de-wijk"
HOST_PASSWORD = "koffie-op-het-plein"
HOST_NEW_PASSWORD = "lantaarn-bij-de-speeltuin"
PROFESSIONAL_PASSWORD = "spreekuur-op-dinsdag"


@pytest.fixture
def smtp_port():
    return free_port()


@pytest.fixture
def app_config(tmp_path, smtp_port) -> dict:
    return {"WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": False, **smtp_config(smtp_port),
            "MAIL_FROM": "Wijkapp <noreply@wijk.example.nl>"}


@pytest.fixture
def inbox(smtp_port):
    with running_inbox(smtp_port) as received:
        yield received


def send_mail(app) -> None:
    """What `flask send-mail` does on the server every few minutes."""
    with app.app_context():
        report = notify.send_pending()
        assert report.failed == 0, report


def click(page, name: str, role: str = "button") -> None:
    with page.expect_navigation():
        page.get_by_role(role, name=name).click()


def status_text(page) -> str:
    return " ".join(page.get_by_role("status").all_inner_texts())


def test_a_partnership_starts_and_runs_without_a_system_administrator(pages, live_server, app, inbox):
    from wijkapp.services import first_start

    # 1. The setup wizard, at a desk.
    coordinator = pages.open("desktop", "/")
    with app.app_context():
        token = first_start.setup_token()
    coordinator.goto(live_server(f"/setup/{token}"))
    for name, value in (("partnership_name", "Hecht wijkverband Noord"), ("neighbourhood", "Noord"),
                        ("name", "Sanne de Vries"), ("email", "sanne@noord.example.org"),
                        ("password", COORDINATOR_PASSWORD), ("password_again", COORDINATOR_PASSWORD)):
        coordinator.locator(f"input[name={name}]").fill(value)
    click(coordinator, "Account en wijkverband aanmaken")
    coordinator.locator("input[name=names-0]").fill("Buurthuis De Schakel")
    click(coordinator, "Locaties opslaan en verder")
    click(coordinator, "Thema's opslaan en verder")       # the toolkit's themes as they are
    click(coordinator, "Vragen opslaan en verder")        # the two default questions
    coordinator.locator("select[name=cadence]").select_option("4w")
    coordinator.locator("input[name=meeting_on]").fill((date.today() + timedelta(days=21)).isoformat())
    click(coordinator, "Opslaan en verder")
    coordinator.locator("textarea[name=feedback_what], input[name=feedback_what]").fill(
        "Wat we hoorden, wat we doen en wat niet lukt")
    coordinator.locator("input[name=feedback_channel_when], textarea[name=feedback_channel_when]").fill(
        "Inloop in het buurthuis en de nieuwsbrief, elke 4 weken")
    click(coordinator, "Afspraken opslaan en verder")
    click(coordinator, "Nodig je team uit", role="link")
    assert coordinator.get_by_role("heading", level=1).inner_text() == "Team"

    # 2. Invite a host and a professional; add the municipality's contact, who never logs in.
    for name, email, role in (("Fatima Host", "fatima@noord.example.org", "host"),
                              ("Daan Praktijk", "daan@praktijk.example.org", "professional")):
        coordinator.locator("#name").fill(name)
        coordinator.locator("#email").fill(email)
        coordinator.locator(f"#roles-{role}").check()
        click(coordinator, "Uitnodiging maken")
        assert f"De uitnodiging voor {name} staat klaar om te versturen." in status_text(coordinator)
    coordinator.locator("#contact-name").fill("Ria Smit")
    coordinator.locator("#contact-organisation").fill("Gemeente")
    coordinator.locator("#contact-email").fill("ria@gemeente.example.org")
    click(coordinator, "Contactpersoon toevoegen")
    send_mail(app)

    # 3. Each accepts, from the link in their own mail.
    host = pages.open("tablet", inbox.link_to("fatima@noord.example.org", "/invitation"))
    host.locator("input[name=password]").fill(HOST_PASSWORD)
    host.locator("input[name=password_again]").fill(HOST_PASSWORD)
    click(host, "Wachtwoord opslaan en beginnen")
    assert host.url.endswith("/host/")
    professional_setup = pages.open("phone", inbox.link_to("daan@praktijk.example.org", "/invitation"))
    professional_setup.locator("input[name=password]").fill(PROFESSIONAL_PASSWORD)
    professional_setup.locator("input[name=password_again]").fill(PROFESSIONAL_PASSWORD)
    click(professional_setup, "Wachtwoord opslaan en beginnen")
    assert professional_setup.get_by_role("heading", level=1).inner_text() == "Micro-uitvraag"

    # 4. The host enters a signal on the tablet.
    host.locator("select[name=location]").select_option(label="Buurthuis De Schakel")
    click(host, "Start gesprek")
    host.locator("textarea[name=text]").fill("De lantaarnpaal bij de speeltuin is al weken kapot.")
    with host.expect_navigation():
        host.locator("textarea[name=text]").press("Enter")
    assert status_text(host).startswith("Opgeslagen")

    # 5. The coordinator sends the round's two questions; the professional answers through the
    #    personal link in the mail, on a phone where nobody is logged in.
    with app.app_context():
        partnership = db.session.scalar(db.select(Partnership))
        slug, round_id = partnership.slug, db.session.scalar(db.select(Round.id))
    coordinator.goto(live_server(f"/p/{slug}/coordinator/rounds/{round_id}"))
    click(coordinator, "Stuur de twee vragen opnieuw aan iedereen")
    assert "Daan Praktijk krijgt een persoonlijke link per e-mail." in status_text(coordinator)
    send_mail(app)
    professional = pages.open("phone", inbox.link_to("daan@praktijk.example.org", "/link"))
    assert professional.get_by_role("heading", level=1).inner_text() == "Twee vragen voor deze ronde"
    assert_accessible(professional, "the two questions through a personal link")
    professional.locator("textarea[name=answer_1]").fill("Ouderen weten niet waar ze met vragen terechtkunnen.")
    click(professional, "Opslaan")
    assert "1 antwoord opgeslagen" in status_text(professional)

    # 6. An action owned by the municipality's contact; she updates it through her link.
    coordinator.goto(live_server(f"/p/{slug}/coordinator/rounds/{round_id}/actions/new"))
    for name, value in (("signal_summary", "De lantaarnpaal bij de speeltuin is kapot."),
                        ("intended_result", "Het pad naar de speeltuin is weer verlicht."),
                        ("title", "Lantaarnpaal laten maken"), ("first_step", "Melding bij de gemeente"),
                        ("feedback_sentence", "We vragen de gemeente de lamp te maken."),
                        ("choice_reason", "Onveilig in het donker, en snel te regelen.")):
        coordinator.locator(f"[name={name}]").fill(value)
    coordinator.locator("select[name=owner_id]").select_option(label="Ria Smit (Gemeente), contactpersoon")
    click(coordinator, "Kies deze actie")
    assert "Ria Smit krijgt een persoonlijke link per e-mail." in status_text(coordinator)
    send_mail(app)
    owner = pages.open("tablet", inbox.link_to("ria@gemeente.example.org", "/link"))
    assert owner.get_by_role("heading", level=1).inner_text().startswith("Lantaarnpaal laten maken")
    owner.locator("textarea[name=text]").fill("Melding gedaan, de monteur komt volgende week.")
    owner.locator("select[name=status]").select_option("bezig")
    click(owner, "Zet in het logboek")
    coordinator.reload()
    log = coordinator.locator("#logboek").inner_text()
    assert "Ria Smit (via persoonlijke link)" in log and "de monteur komt volgende week" in log

    # 7. The host forgot the password, and chooses a new one from the mail.
    forgetful = pages.open("phone", "/login")
    click(forgetful, "Wachtwoord vergeten?", role="link")
    forgetful.locator("input[name=email]").fill("fatima@noord.example.org")
    click(forgetful, "Stuur mij een link")
    send_mail(app)
    forgetful.goto(live_server(inbox.link_to("fatima@noord.example.org", "/password/reset")))
    forgetful.locator("input[name=password]").fill(HOST_NEW_PASSWORD)
    forgetful.locator("input[name=password_again]").fill(HOST_NEW_PASSWORD)
    click(forgetful, "Wachtwoord opslaan")
    assert forgetful.url.endswith("/host/")
    host.reload()  # the reset ended every other session: the tablet asks for the new password
    assert "/login" in host.url

    # 8. Removing the host ends the host's open session at once.
    coordinator.goto(live_server(f"/p/{slug}/coordinator/team"))
    click(coordinator, "Haal Fatima Host uit het team")
    forgetful.reload()
    assert "/login" in forgetful.url

    with app.app_context():
        signals = {s.source: s for s in db.session.scalars(db.select(Signal))}
        daan = db.session.scalar(db.select(User).where(User.email == "daan@praktijk.example.org"))
        ria = db.session.scalar(db.select(User).where(User.email == "ria@gemeente.example.org"))
        assert signals[Source.HOST_CONVERSATION.value].text == "De lantaarnpaal bij de speeltuin is al weken kapot."
        assert signals[Source.PROFESSIONAL_MICRO.value].created_by_id == daan.id
        action = db.session.scalar(db.select(Action))
        assert (action.owner_id, action.status) == (ria.id, "bezig") and not ria.has_password
        assert db.session.scalar(db.select(ActionUpdate.via_personal_link).where(ActionUpdate.user_id == ria.id))
        fatima = db.session.scalar(db.select(User).where(User.email == "fatima@noord.example.org"))
        assert fatima.check_password(HOST_NEW_PASSWORD) and fatima.roles_in(partnership.id) == set()
        assert db.session.get(User, fatima.id).name == "Fatima Host"
        assert Role.COORDINATOR in db.session.scalar(db.select(User).where(User.is_instance_admin)).roles_in(
            partnership.id)
