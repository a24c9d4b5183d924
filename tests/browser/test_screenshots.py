"""Screenshots of the main pages at phone, tablet and desktop width, with the demo partnership's
data, written to docs/screenshots/ on every run (the README shows them)."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from tests.browser.conftest import VIEWPORTS
from tests.browser.helpers import screenshot, sign_in
from tests.conftest import PASSWORD
from wijkapp.extensions import db
from wijkapp.models import Location, Partnership, Source, User
from wijkapp.services import conversations, demo
from wijkapp.services.intake import record_signal

pytestmark = pytest.mark.browser

HOST_NOTES = (
    "De stoep bij de Waalstraat ligt open en er staat geen hek omheen.",
    "Mevrouw op nummer 12 weet niet waar ze heen kan met vragen over haar huur.",
    "Jongeren willen een plek om 's avonds te sporten.",
)


@pytest.fixture
def demo_world(app):
    with app.app_context():
        demo.load_demo(password=PASSWORD)
        partnership = db.session.scalar(db.select(Partnership).where(Partnership.slug == demo.DEMO_SLUG))
        people = {email.split("@")[0]: db.session.scalar(db.select(User).where(User.email == email))
                  for email, _name, _role in demo.DEMO_PEOPLE}
        location = db.session.scalar(db.select(Location).where(Location.code == "demo1"))
        conversation = conversations.start_conversation(partnership, people["host"], location.id, "", date.today())
        for text in HOST_NOTES:
            record_signal(partnership, text, Source.HOST_CONVERSATION, location_id=location.id,
                          created_by=people["host"], conversation_id=conversation.id)
        db.session.commit()
        # sign_in needs only the address; the ORM objects end with this app context.
        people = {key: SimpleNamespace(email=user.email) for key, user in people.items()}
        return {"people": people, "location_id": location.id, "conversation_id": conversation.id}


RESIDENT_SIGNALS = {
    "phone": "Er wordt te hard gereden in de Maasstraat.",
    "tablet": "Kan er een bankje bij de bushalte aan de Rijnlaan?",
    "desktop": "Het grasveld achter de flat staat vaak onder water.",
}


def test_screenshots_of_the_main_pages(pages, live_server, demo_world, app):
    # A printed URL as in production, not the test server's random port: screenshots stay the same.
    app.config["PUBLIC_BASE_URL"] = "https://wijk.example.nl"
    people, location_id = demo_world["people"], demo_world["location_id"]
    written = []
    for device in VIEWPORTS:
        resident = pages.open(device, "/s/demo1")
        written.append(screenshot(resident, "resident-form", device))
        resident.get_by_label("Jouw signaal").fill(RESIDENT_SIGNALS[device])
        with resident.expect_navigation():
            resident.get_by_role("button", name="Verstuur").click()
        written.append(screenshot(resident, "thank-you", device))

        host = pages.open(device)
        sign_in(host, live_server, people["host"])
        host.goto(live_server(f"/p/demo/host/conversations/{demo_world['conversation_id']}"))
        written.append(screenshot(host, "host-conversation", device))

        professional = pages.open(device)
        sign_in(professional, live_server, people["professional"])
        professional.goto(live_server("/p/demo/professional/"))
        written.append(screenshot(professional, "micro-survey", device))

        coordinator = pages.open(device)
        sign_in(coordinator, live_server, people["coordinator"])
        coordinator.goto(live_server("/p/demo/coordinator/signals"))
        written.append(screenshot(coordinator, "coordinator-signals", device))
        coordinator.goto(live_server(f"/p/demo/coordinator/locations/{location_id}"))
        written.append(screenshot(coordinator, "location-qr", device))
        coordinator.goto(live_server(f"/p/demo/coordinator/locations/{location_id}/poster"))
        written.append(screenshot(coordinator, "poster", device))
    assert all(path.stat().st_size > 1000 for path in written)
