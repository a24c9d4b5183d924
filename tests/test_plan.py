"""Participation agreements (Template 1): every field, required feedback, versions, per theme."""
from __future__ import annotations

import re

from tests.conftest import count
from wijkapp.extensions import db
from wijkapp.models import ParticipationPlan, Theme
from wijkapp.services import plans

FULL = {
    "question": "Ouderen voelen zich alleen in de Rivierenwijk.",
    "target_group": "Alleenwonende ouderen boven 75",
    "influence": "Welke dag en welke activiteiten; het budget ligt vast",
    "intended_change": "Meer ouderen komen naar de koffieochtend.",
    "noticeable_when": "Na de zomer",
    "base_form": "A",
    "where_when": "Buurthuis, elke dinsdagochtend",
    "organiser": "Welzijn Beekdal",
    "agenda_moment": "Elk overleg, vast agendapunt",
    "decider": "Kernteam wijkverband",
    "follow_up_actions": "Koffieochtend uitbreiden",
    "feedback_what": "Wat we hoorden en wat we doen",
    "feedback_channel_when": "Nieuwsbrief, elke 6 weken",
    "feedback_owner": "Sanne de Vries",
    "next_step": "Drie ouderen persoonlijk uitnodigen voor de eerste koffieochtend",
    "next_step_owner": "Ahmed Bakkali",
    "based_on": "0",
}


def test_saving_stores_every_field_and_shows_one_readable_page(client, app, coordinator_setup):
    response = client.post("/p/noord/coordinator/plan/edit", data=FULL)
    assert response.status_code == 302
    with app.app_context():
        plan = db.session.scalar(db.select(ParticipationPlan))
        for name in plans.FIELD_NAMES:
            assert getattr(plan, name) == FULL[name], name
        assert (plan.version, plan.theme_id) == (1, None)
    page = client.get("/p/noord/coordinator/plan").get_data(as_text=True)
    for name in plans.FIELD_NAMES:
        if name != "base_form":
            assert FULL[name] in page, name
    assert "A · Buurtgesprekken" in page and "Versie 1" in page


def test_feedback_fields_are_required_and_nothing_typed_is_lost(client, app, coordinator_setup):
    response = client.post("/p/noord/coordinator/plan/edit", data=FULL | {"feedback_owner": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Vul in wie eigenaar is van de terugkoppeling." in page
    assert 'href="#feedback_owner"' in page
    assert "Buurthuis, elke dinsdagochtend" in page
    with app.app_context():
        assert count(ParticipationPlan) == 0


def test_each_save_is_a_new_version_and_history_keeps_the_old_one(client, app, coordinator_setup):
    client.post("/p/noord/coordinator/plan/edit", data=FULL)
    form = client.get("/p/noord/coordinator/plan/edit").get_data(as_text=True)
    assert re.search(r'name="based_on"[^>]*value="1"', form)
    assert "Na de zomer" in form  # the form starts from the current version
    client.post("/p/noord/coordinator/plan/edit", data=FULL | {"decider": "Stuurgroep", "based_on": "1"})
    with app.app_context():
        versions = db.session.scalars(db.select(ParticipationPlan).order_by(ParticipationPlan.version)).all()
        assert [(v.version, v.decider) for v in versions] == [(1, "Kernteam wijkverband"), (2, "Stuurgroep")]
    history = client.get("/p/noord/coordinator/plan/history").get_data(as_text=True)
    assert "Versie 2 (huidig)" in history and "Versie 1" in history
    assert "Kernteam wijkverband" in history and "Stuurgroep" in history


def test_a_save_based_on_an_old_version_shows_the_other_one(client, app, coordinator_setup):
    client.post("/p/noord/coordinator/plan/edit", data=FULL)
    client.post("/p/noord/coordinator/plan/edit", data=FULL | {"decider": "Stuurgroep", "based_on": "1"})
    response = client.post("/p/noord/coordinator/plan/edit", data=FULL | {"decider": "Mijn voorstel", "based_on": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Iemand anders heeft net een nieuwe versie opgeslagen" in page
    assert "<td>Stuurgroep</td><td>Mijn voorstel</td>" in page
    assert 'value="Mijn voorstel"' in page
    with app.app_context():
        assert count(ParticipationPlan) == 2


def test_agreements_per_theme_have_their_own_versions(client, app, coordinator_setup):
    partnership, _, _ = coordinator_setup
    with app.app_context():
        theme = db.session.scalar(db.select(Theme).where(Theme.partnership_id == partnership.id).limit(1))
        if theme is None:
            theme = Theme(partnership_id=partnership.id, name="Eenzaamheid")
            db.session.add(theme)
            db.session.commit()
        theme_id, theme_name = theme.id, theme.name
    client.post("/p/noord/coordinator/plan/edit", data=FULL)
    response = client.post(f"/p/noord/coordinator/plan/edit?theme={theme_id}",
                           data=FULL | {"question": "Thema-vraag", "base_form": "C"})
    assert response.status_code == 302
    with app.app_context():
        assert [(p.theme_id, p.version) for p in db.session.scalars(
            db.select(ParticipationPlan).order_by(ParticipationPlan.id))] == [(None, 1), (theme_id, 1)]
    overview = client.get("/p/noord/coordinator/plan").get_data(as_text=True)
    assert f"{theme_name}</a>: Thema-vraag" in overview
    assert "C · Wijkpanel" in client.get(f"/p/noord/coordinator/plan/theme/{theme_id}").get_data(as_text=True)


def test_theme_of_another_partnership_is_404(client, app, make, coordinator_setup):
    other = make.partnership()
    with app.app_context():
        theme = Theme(partnership_id=other.id, name="Elders")
        db.session.add(theme)
        db.session.commit()
        theme_id = theme.id
    assert client.get(f"/p/noord/coordinator/plan/edit?theme={theme_id}").status_code == 404
    assert client.post(f"/p/noord/coordinator/plan/edit?theme={theme_id}", data=FULL).status_code == 404
    with app.app_context():
        assert count(ParticipationPlan) == 0
