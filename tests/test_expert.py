"""Ervaringsdeskundige (form D) adds signals as a source of their own."""
from __future__ import annotations

from tests.conftest import count
from wijkapp.extensions import db
from wijkapp.models import Role, Signal


def test_expert_signal_is_stored_as_form_d(client, app, make, auth):
    partnership = make.partnership(slug="noord")
    expert = make.user(partnership, Role.ERVARINGSDESKUNDIGE)
    location = make.location(partnership)
    auth.login(expert)
    response = client.post("/p/noord/expert/", data={"text": "Brieven van de gemeente zijn te moeilijk",
                                                    "location": str(location.id), "theme": "0"})
    assert response.status_code == 302
    with app.app_context():
        signal = db.session.scalar(db.select(Signal))
        assert (signal.source, signal.form, signal.created_by_id, signal.location_id) == (
            "ervaringsdeskundige", "D", expert.id, location.id)
    assert "Brieven van de gemeente zijn te moeilijk" in client.get("/p/noord/expert/").get_data(as_text=True)


def test_empty_expert_signal_is_refused(client, app, make, auth):
    partnership = make.partnership(slug="noord")
    auth.login(make.user(partnership, Role.ERVARINGSDESKUNDIGE))
    response = client.post("/p/noord/expert/", data={"text": "", "location": "0", "theme": "0"})
    assert response.status_code == 422
    assert "Vul het signaal in." in response.get_data(as_text=True)
    with app.app_context():
        assert count(Signal) == 0
