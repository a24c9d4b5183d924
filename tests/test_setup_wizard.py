"""First start in the browser (issue 11, item 5): the setup link, the wizard after it, and the
beheerder's page for more partnerships."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests.conftest import PASSWORD, count
from wijkapp.extensions import db
from wijkapp.models import Invitation, Location, Membership, ParticipationPlan, Partnership, Role, Round, Theme, User
from wijkapp.services import accounts, first_start
from wijkapp.services.setup_wizard import STEPS

ERROR_SUMMARY = "Er gaat iets mis"
FIRST = {"partnership_name": "Hecht wijkverband Noord", "neighbourhood": "Noord", "name": "Sanne de Vries",
         "email": "sanne@example.org", "password": "een-lang-wachtwoord", "password_again": "een-lang-wachtwoord"}
BASE = "/p/hecht-wijkverband-noord/coordinator/setup"
MEETING = (date.today() + timedelta(days=20)).isoformat()


def setup_token(client, app) -> str:
    client.get("/")  # the start page makes (and prints) the one-time link
    with app.app_context():
        return first_start.setup_token()


@pytest.fixture
def started(client, app):
    """Step 1 done: the first account and partnership, logged in."""
    response = client.post(f"/setup/{setup_token(client, app)}", data=FIRST)
    assert response.status_code == 302 and response.location.endswith(f"{BASE}/locations")
    return client


def partnership(app) -> Partnership:
    return db.session.scalar(db.select(Partnership))


def test_the_whole_wizard_stores_what_was_typed(app, client):
    token = setup_token(client, app)
    response = client.post(f"/setup/{token}", data=FIRST)
    assert response.status_code == 302
    assert client.get(f"/setup/{token}").status_code == 404  # the token is spent
    with app.app_context():
        assert not first_start.token_matches(token)
    page = client.get(f"{BASE}/locations").get_data(as_text=True)
    assert "stap 2 van 6" in page and "Sla deze stap over" in page

    steps = [
        ("locations", {"names-0": "Buurthuis De Schakel", "names-1": "", "names-2": "Bibliotheek Noord"}),
        ("themes", {"names-0": "Verkeer en parkeren", "names-1": "Veiligheid", "names-2": "", "names-3": "Speeltuin"}),
        ("questions", {"question_1": "Wat hoor je vaak?", "question_2": "Wat zou helpen?"}),
        ("round", {"cadence": "4w", "meeting_on": MEETING}),
        ("plan", {"question": "Hoe wordt de wijk veiliger?", "feedback_what": "Wat we hoorden en deden",
                  "feedback_channel_when": "Nieuwsbrief, elke 4 weken", "feedback_owner": "Sanne"}),
    ]
    for number, (key, data) in enumerate(steps):
        response = client.post(f"{BASE}/{key}", data=data)
        assert response.status_code == 302, (key, response.get_data(as_text=True)[:2000])
        following = steps[number + 1][0] if number + 1 < len(steps) else "done"
        assert response.location.endswith(f"{BASE}/{following}")
    done = client.get(f"{BASE}/done").get_data(as_text=True)
    assert "Nodig je team uit" in done and "/p/hecht-wijkverband-noord/coordinator/team" in done

    with app.app_context():
        p = partnership(app)
        user = db.session.scalar(db.select(User))
        assert (p.name, p.neighbourhood, p.setup_step) == ("Hecht wijkverband Noord", "Noord", "")
        assert user.is_instance_admin and user.name == "Sanne de Vries" and user.check_password(FIRST["password"])
        assert user.roles_in(p.id) == {Role.COORDINATOR}
        assert sorted(db.session.scalars(db.select(Location.name))) == ["Bibliotheek Noord", "Buurthuis De Schakel"]
        themes = db.session.scalars(db.select(Theme).order_by(Theme.position)).all()
        assert [t.name for t in themes] == ["Verkeer en parkeren", "Veiligheid", "Speeltuin"]
        assert (p.micro_question_1, p.micro_question_2, p.cadence) == ("Wat hoor je vaak?", "Wat zou helpen?", "4w")
        round_ = db.session.scalar(db.select(Round))
        assert (round_.number, round_.starts_on, round_.meeting_on.isoformat()) == (1, date.today(), MEETING)
        plan = db.session.scalar(db.select(ParticipationPlan))
        assert (plan.version, plan.question, plan.feedback_what, plan.feedback_channel_when, plan.feedback_owner) == (
            1, "Hoe wordt de wijk veiliger?", "Wat we hoorden en deden", "Nieuwsbrief, elke 4 weken", "Sanne")
        assert plan.created_by_id == user.id



def test_setup_link_with_bad_input_keeps_what_was_typed_and_stores_nothing(app, client):
    token = setup_token(client, app)
    response = client.post(f"/setup/{token}", data={**FIRST, "partnership_name": "", "email": "geen-adres",
                                                    "password_again": "anders"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and ERROR_SUMMARY in body
    assert "Vul de naam van het wijkverband in." in body and "niet gelijk" in body
    assert 'value="Sanne de Vries"' in body and 'value="geen-adres"' in body and 'value="Noord"' in body
    with app.app_context():
        assert count(User) == 0 and count(Partnership) == 0
        assert first_start.token_matches(token)  # not spent: try again


BAD_STEPS = [
    ("locations", {"names-0": "", "names-1": ""}, "Vul minstens één locatie in", None),
    ("locations", {"names-0": "x" * 121, "names-1": "Bibliotheek"}, "Gebruik maximaal 120 tekens", "Bibliotheek"),
    ("locations", {"names-0": "Buurthuis", "names-1": "buurthuis"}, "staat er twee keer in", "Buurthuis"),
    ("themes", {"names-0": "", "names-1": ""}, "Houd minstens één thema over", None),
    ("themes", {"names-0": "Verkeer", "names-1": "verkeer"}, "twee keer", "Verkeer"),
    ("themes", {"names-0": "y" * 61, "names-1": "Groen"}, "Gebruik maximaal 60 tekens", "Groen"),
    ("questions", {"question_1": "", "question_2": "Wat zou helpen?"}, "Vul vraag 1 in.", "Wat zou helpen?"),
    ("round", {"cadence": "4w", "meeting_on": ""}, "Vul de datum van het eerste overleg in.", None),
    ("round", {"cadence": "4w", "meeting_on": "2001-01-01"}, "al voorbij", "2001-01-01"),
    ("round", {"cadence": "elke dag", "meeting_on": MEETING}, "Kies een van de opties", MEETING),
    ("round", {"cadence": "4w", "meeting_on": "31-02-2027"}, "Vul een echte datum in", None),
    ("plan", {"question": "Vraag", "feedback_what": "", "feedback_channel_when": "Nieuwsbrief",
              "feedback_owner": "Sanne"}, "Terugkoppeling is verplicht", "Nieuwsbrief"),
    ("plan", {"question": "", "feedback_what": "Wat", "feedback_channel_when": "", "feedback_owner": ""},
     "Vul de wijkvraag in", None),
]


@pytest.mark.parametrize("key, data, message, kept", BAD_STEPS, ids=lambda v: v if isinstance(v, str) else None)
def test_each_step_refuses_bad_input_with_the_message_and_keeps_the_input(app, started, key, data, message, kept):
    with app.app_context():
        before = {model.__name__: count(model) for model in (Location, Theme, Round, ParticipationPlan)}
        p = partnership(app)
        settings_before = (p.micro_question_1, p.micro_question_2, p.cadence, p.setup_step)
    response = started.post(f"{BASE}/{key}", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 422, body[:500]
    assert ERROR_SUMMARY in body and message in body
    assert body.count(message) >= 2  # in the summary and beside the field
    if kept:
        assert f'value="{kept}"' in body
    with app.app_context():
        assert {model.__name__: count(model) for model in (Location, Theme, Round, ParticipationPlan)} == before
        p = partnership(app)
        assert (p.micro_question_1, p.micro_question_2, p.cadence, p.setup_step) == settings_before


def test_hostile_step_posts_never_fail(app, started):
    for key in ("locations", "themes", "questions", "round", "plan"):
        for data in ({}, {"names-99999999999999999999": "x"}, {"names-0": "\x00"}, {"meeting_on": "9999-99-99"},
                     {"cadence": "\u202e4w", "names-0": "<script>"}):
            response = started.post(f"{BASE}/{key}", data=data)
            assert response.status_code in (302, 422), (key, data, response.status_code)


def test_skipping_locations_says_what_it_means_and_goes_on(app, started):
    page = started.get(f"{BASE}/locations").get_data(as_text=True)
    assert "Dan kunnen bewoners nog geen QR-code scannen" in page
    response = started.post(f"{BASE}/locations", data={"names-0": "Niet bewaard", "skip": "1"})
    assert response.location.endswith(f"{BASE}/themes")
    with app.app_context():
        assert count(Location) == 0 and partnership(app).setup_step == "themes"


def test_themes_start_with_the_toolkit_defaults_and_a_used_theme_is_hidden_not_deleted(app, started, make):
    page = started.get(f"{BASE}/themes").get_data(as_text=True)
    for name in accounts.DEFAULT_THEMES:
        assert f'value="{name}"' in page
    with app.app_context():
        traffic = db.session.scalar(db.select(Theme).where(Theme.name == "Verkeer"))
        traffic_id = traffic.id
    make.signal(_partnership_row(app), "Te hard", theme_id=traffic_id)
    response = started.post(f"{BASE}/themes", data={"names-0": "Overig", "names-1": "Eenzaamheid"})
    assert response.status_code == 302
    with app.app_context():
        themes = {t.name: t.is_active for t in db.session.scalars(db.select(Theme))}
        assert themes == {"Overig": True, "Eenzaamheid": True, "Verkeer": False}


def _partnership_row(app):
    with app.app_context():
        p = partnership(app)
        db.session.expunge(p)
        return p


def test_the_wizard_can_be_left_and_resumed(app, client, started, auth):
    assert started.post(f"{BASE}/locations", data={"names-0": "Buurthuis"}).status_code == 302
    started.post("/logout")
    auth.login("sanne@example.org", FIRST["password"])
    home = client.get("/p/hecht-wijkverband-noord/coordinator/").get_data(as_text=True)
    assert "De eerste start is nog niet klaar" in home
    response = client.get(f"{BASE}/")
    assert response.location.endswith(f"{BASE}/themes")
    page = client.get(f"{BASE}/themes").get_data(as_text=True)
    assert f'href="{BASE}/locations"' in page  # the back link
    # Going back to an earlier step and saving it again does not lose the place in the wizard.
    response = client.post(f"{BASE}/locations", data={"names-0": "buurthuis", "names-1": "Bibliotheek"})
    assert response.status_code == 422 and "Deze locatie bestaat al." in response.get_data(as_text=True)
    assert client.post(f"{BASE}/locations", data={"names-0": "Bibliotheek"}).status_code == 302
    with app.app_context():
        assert partnership(app).setup_step == "themes" and count(Location) == 2


def test_round_step_sets_the_date_of_an_existing_round_instead_of_a_second_round(app, started, make):
    make.round(_partnership_row(app))  # a signal came in first: round 1 exists without a meeting date
    assert started.post(f"{BASE}/round", data={"cadence": "5w", "meeting_on": MEETING}).status_code == 302
    with app.app_context():
        rounds_ = db.session.scalars(db.select(Round)).all()
        assert len(rounds_) == 1 and rounds_[0].meeting_on.isoformat() == MEETING
        assert partnership(app).cadence == "5w"


def test_plan_step_offers_the_new_coordinator_as_owner(started):
    page = started.get(f"{BASE}/plan").get_data(as_text=True)
    assert 'value="Sanne de Vries"' in page and "Wat speelt er in Noord, en wat pakken we samen op?" in page


def test_the_wizard_is_for_coordinators_of_that_partnership_only(app, make, started):
    other = make.partnership(slug="zuid")
    host = make.user(_partnership_row(app), Role.HOST, email="host@example.org")
    foreign = make.user(other, Role.COORDINATOR, email="zuid@example.org")
    for user, status in ((host, 403), (foreign, 404)):
        client = app.test_client()
        client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert client.get(f"{BASE}/locations").status_code == status
        assert client.post(f"{BASE}/locations", data={"names-0": "Van buiten"}).status_code == status
    with app.app_context():
        assert count(Location) == 0


# --- the beheerder --------------------------------------------------------------------------------

ADMIN = "/admin/partnerships"
NEW = {"partnership_name": "Hecht wijkverband Zuid", "neighbourhood": "Zuid", "name": "Kees Jansen",
       "email": "kees@example.org"}


def test_the_first_account_is_beheerder_and_creates_another_partnership_with_an_invitation(app, started):
    assert "Beheer" in started.get(f"{BASE}/locations").get_data(as_text=True)
    response = started.post(ADMIN, data=NEW)
    assert response.status_code == 302
    page = started.get(ADMIN).get_data(as_text=True)
    assert "Hecht wijkverband Zuid" in page and "/invitation/" in page  # no mail server: the link to hand over
    with app.app_context():
        zuid = db.session.scalar(db.select(Partnership).where(Partnership.slug == "hecht-wijkverband-zuid"))
        assert zuid.neighbourhood == "Zuid" and zuid.setup_step == "locations"
        assert db.session.scalar(db.select(Theme.name).where(Theme.partnership_id == zuid.id).limit(1))
        invitation = db.session.scalar(db.select(Invitation))
        assert (invitation.partnership_id, invitation.email, invitation.name, invitation.roles) == (
            zuid.id, "kees@example.org", "Kees Jansen", "coordinator")
        assert count(Membership, Membership.partnership_id == zuid.id) == 0  # until Kees accepts


def test_appointing_someone_with_an_account_gives_them_the_role(app, started, make):
    make.user(make.partnership(slug="west"), Role.HOST, email="kees@example.org")
    assert started.post(ADMIN, data=NEW).status_code == 302
    with app.app_context():
        zuid = db.session.scalar(db.select(Partnership).where(Partnership.slug == "hecht-wijkverband-zuid"))
        kees = accounts.user_by_email("kees@example.org")
        assert kees.roles_in(zuid.id) == {Role.COORDINATOR} and count(Invitation) == 0


def test_new_partnership_form_refuses_bad_input_and_keeps_it(app, started):
    response = started.post(ADMIN, data={**NEW, "partnership_name": "", "email": "geen-adres"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and ERROR_SUMMARY in body
    assert "Vul de naam van het wijkverband in." in body and 'value="Kees Jansen"' in body
    with app.app_context():
        assert count(Partnership) == 1 and count(Invitation) == 0


def test_someone_who_is_not_beheerder_cannot_reach_the_admin_pages(app, make, client):
    partnership_ = make.partnership(slug="noord")
    coordinator = make.user(partnership_, Role.COORDINATOR, email="coordinator@example.org")
    response = client.get(ADMIN)
    assert response.status_code == 302 and "/login" in response.location
    client.post("/login", data={"email": coordinator.email, "password": PASSWORD})
    assert client.get(ADMIN).status_code == 404
    assert client.post(ADMIN, data=NEW).status_code == 404
    assert "Beheer" not in client.get("/p/noord/coordinator/").get_data(as_text=True)
    with app.app_context():
        assert count(Partnership) == 1


def test_beheerder_sees_counts_and_loop_figures_but_no_signal_texts_or_people_elsewhere(app, make, client):
    noord = make.partnership(name="Wijkverband Noord", slug="noord")
    zuid = make.partnership(name="Wijkverband Zuid", slug="zuid")
    admin = make.user(noord, Role.COORDINATOR, email="beheer@example.org")
    make.user(zuid, Role.HOST, email="geheim-host@example.org")
    for n in range(3):
        make.signal(zuid, f"Geheime klacht Zuid {n}")
    make.signal(noord, "Signaal uit Noord")
    with app.app_context():
        db.session.get(User, admin.id).is_instance_admin = True
        db.session.commit()
    client.post("/login", data={"email": admin.email, "password": PASSWORD})
    body = client.get(ADMIN).get_data(as_text=True)
    assert "Wijkverband Zuid" in body and "Wijkverband Noord" in body
    assert "Geheime klacht" not in body and "geheim-host" not in body and "Signaal uit Noord" not in body
    zuid_card = body[body.index("Wijkverband Zuid"):]
    assert "<dt>Signalen</dt><dd>3</dd>" in zuid_card and "<dt>Mensen in het team</dt><dd>1</dd>" in zuid_card
    assert 'href="/p/noord/coordinator/"' in body and 'href="/p/zuid/' not in body
    assert client.get("/p/zuid/coordinator/signals").status_code == 404  # beheerder is no member there


def test_create_user_can_make_a_beheerder(app, runner):
    result = runner.invoke(args=["create-user", "--email", "b@example.org", "--password", "een-lang-wachtwoord",
                                 "--role", "coordinator", "--partnership", "noord", "--instance-admin"])
    assert result.exit_code == 0, result.output
    assert "beheerder" in result.output
    with app.app_context():
        assert accounts.user_by_email("b@example.org").is_instance_admin


def test_the_first_coordinator_of_a_new_partnership_finds_the_wizard_after_accepting(app, started):
    assert started.post(ADMIN, data=NEW).status_code == 302
    link = re.search(r"(/invitation/[\w-]+)", started.get(ADMIN).get_data(as_text=True)).group(1)
    kees = app.test_client()
    response = kees.post(link, data={"name": "Kees Jansen", "password": "nog-een-lang-wachtwoord",
                                     "password_again": "nog-een-lang-wachtwoord"})
    assert response.status_code == 302
    home = kees.get("/start", follow_redirects=True).get_data(as_text=True)
    assert "De eerste start is nog niet klaar" in home
    response = kees.get("/p/hecht-wijkverband-zuid/coordinator/setup/")
    assert response.location.endswith("/p/hecht-wijkverband-zuid/coordinator/setup/locations")
    assert kees.get(ADMIN).status_code == 404  # a coordinator, not a beheerder
