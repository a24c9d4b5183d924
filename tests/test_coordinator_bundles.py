"""Kiezen as a coordinator sees it: top 3 home, bundling workspace, bundle page, suggestion slot."""
from __future__ import annotations

import re
from collections import namedtuple
from datetime import date, timedelta

import pytest
from sqlalchemy import event

from tests.conftest import count
from wijkapp.extensions import db
from wijkapp.models import AuditEvent, Bundle, Partnership, Role, Signal, Source, Theme, User
from wijkapp.services import bundling

BASE = "/p/noord/coordinator"


def html(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def setup(app, make, coordinator_setup):
    """Noord (logged in) with five signals this round; Zuid with one bundle and one signal."""
    partnership, coordinator, location = coordinator_setup
    texts = ["Ze scheuren door de Kerkstraat", "Drempel graag in de Kerkstraat", "30 km wordt niet gerespecteerd",
             "Afval naast de container", "Zwerfvuil bij de flat"]
    sources = [Source.RESIDENT_QR, Source.HOST_CONVERSATION, Source.PROFESSIONAL_MICRO, Source.RESIDENT_QR,
               Source.PANEL_SESSION]
    ids = [make.signal(partnership, t, s, location_id=location.id).id for t, s in zip(texts, sources)]
    other = make.partnership(name="Zuid", slug="zuid")
    other_signal = make.signal(other, "Elders").id
    with app.app_context():
        foreign = bundling.create_bundle(db.session.get(Partnership, other.id), None, "Van Zuid")
        db.session.commit()
        foreign_id = foreign.id
    return {"p": partnership, "user": coordinator, "ids": ids, "other_signal": other_signal,
            "foreign": foreign_id, "location": location}


def make_bundle(app, setup, name, signal_ids=()):
    with app.app_context():
        p = db.session.get(Partnership, setup["p"].id)
        bundle = bundling.create_bundle(p, db.session.get(User, setup["user"].id), name, signal_ids=signal_ids)
        db.session.commit()
        return bundle.id, bundle.version


def state(app):
    """What bundling may change: proof that a refused action stored nothing."""
    with app.app_context():
        return (
            sorted((b.id, b.name, b.theme_id, b.description, b.merged_into_id, b.version)
                   for b in db.session.scalars(db.select(Bundle))),
            sorted((s.id, s.bundle_id) for s in db.session.scalars(db.select(Signal))),
            count(AuditEvent),
        )


def bundle_ids_of(app, ids):
    with app.app_context():
        return [db.session.get(Signal, i).bundle_id for i in ids]


# --- top 3 --------------------------------------------------------------------------------------

def test_home_of_an_empty_round_says_what_to_do(client, coordinator_setup):
    page = html(client.get(f"{BASE}/"))
    assert "Top 3 · Ronde 1" in page
    assert "Nog geen signalen deze ronde" in page and "Hang QR-posters op" in page


def test_home_with_only_unbundled_signals_points_to_the_workspace(client, setup):
    page = html(client.get(f"{BASE}/"))
    assert "Nog geen bundels deze ronde" in page
    assert "Er zijn 5 signalen deze ronde, waarvan 5 nog niet gebundeld" in page
    assert "Ga naar Bundelen" in page


def test_home_shows_the_top_3_with_score_parts_and_sentence(app, client, setup):
    ids = setup["ids"]
    speed, _ = make_bundle(app, setup, "Te hard rijden Kerkstraat", ids[:3])
    make_bundle(app, setup, "Afval", ids[3:4])
    make_bundle(app, setup, "Zwerfvuil", ids[4:5])
    make_bundle(app, setup, "Leeg")
    page = html(client.get(f"{BASE}/"))
    assert re.search(r'<span class="position">1</span> <a href="[^"]+/bundles/%d">Te hard rijden Kerkstraat' % speed,
                     page)
    assert "3 signalen · 3 bronnen · 2 vormen · 1 locatie · 3 nieuw deze ronde" in page
    assert "Score 11" in page  # 3 new (6) + 1 extra form (3) + 2 extra sources (2)
    assert "Elk nieuw signaal telt 2 punten" in page
    assert page.count('class="card top-item"') == 3
    assert "Bekijk de top 5" in page and "Leeg" not in page


def test_top5_and_a_date_period(app, client, setup):
    ids = setup["ids"]
    for i, name in enumerate(["A", "B", "C", "D", "E"]):
        make_bundle(app, setup, name, ids[i:i + 1])
    assert html(client.get(f"{BASE}/top5")).count('class="card top-item"') == 5
    today = date.today()
    page = html(client.get(f"{BASE}/", query_string={"date_from": (today - timedelta(days=3)).isoformat(),
                                                     "date_to": today.isoformat()}))
    assert "1 signaal · 1 bron · 1 vorm · 1 locatie · 1 nieuw in deze periode" in page
    far = html(client.get(f"{BASE}/", query_string={"date_from": "2001-01-01", "date_to": "2001-01-31"}))
    assert "Nog geen signalen in deze periode" in far


@pytest.mark.parametrize("query, message", [
    ({"date_from": "2027-03-31", "date_to": "2027-03-01"}, "De einddatum ligt voor de begindatum"),
    ({"date_from": "2027-03-01"}, "Vul beide data in voor een eigen periode, of kies een ronde."),
    ({"round": "abc"}, "Kies een van de opties uit de lijst."),
])
def test_bad_period_says_why_and_shows_the_current_round(client, setup, query, message):
    response = client.get(f"{BASE}/", query_string=query)
    assert response.status_code == 422
    assert message in html(response) and "Top 3 · Ronde 1" in html(response)


def test_top_3_page_query_count_does_not_grow_with_bundles_or_signals(app, client, setup, make):
    def queries_for_home():
        statements = []

        def listen(conn, cursor, statement, *args):
            statements.append(statement)

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", listen)
        try:
            assert client.get(f"{BASE}/").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listen)
        return len(statements)

    make_bundle(app, setup, "Eerste", setup["ids"][:2])
    small = queries_for_home()
    more = [make.signal(setup["p"], f"Signaal {i}", location_id=setup["location"].id).id for i in range(30)]
    for i in range(10):
        make_bundle(app, setup, f"Bundel {i}", more[i * 3:i * 3 + 3])
    assert queries_for_home() == small


# --- workspace ----------------------------------------------------------------------------------

def test_workspace_lists_unbundled_signals_and_bundles(app, client, setup):
    make_bundle(app, setup, "Afval", setup["ids"][3:4])
    page = html(client.get(f"{BASE}/bundles"))
    assert "Nog niet gebundeld (4)" in page
    assert "Ze scheuren door de Kerkstraat" in page and "Buurtgesprek" in page and "Buurthuis De Schakel" in page
    assert "Afval naast de container" not in page.split("Nog niet gebundeld")[1].split("<aside")[0]
    assert "Bundels (1)" in page
    suggestions = page.split('id="voorstellen"')[1]  # the real engine proposes something
    assert "kerkstraat" in suggestions.lower()


def test_workspace_new_bundle_from_selected_signals(app, client, setup):
    ids = setup["ids"]
    response = client.post(f"{BASE}/bundles?round=1", data={"signal_ids": ids[:3], "name": "Te hard rijden",
                                                            "action": "new"})
    assert response.status_code == 303 and response.location.endswith("/bundles?round=1")
    with app.app_context():
        bundle = db.session.scalar(db.select(Bundle).where(Bundle.name == "Te hard rijden"))
        assert bundle.created_by_id == setup["user"].id
        event_ = db.session.scalar(db.select(AuditEvent).where(AuditEvent.object_id == bundle.id))
        assert event_.user_id == setup["user"].id and "3 signalen" in event_.detail
    assert bundle_ids_of(app, ids) == [bundle.id] * 3 + [None, None]
    assert "Bundel ‘Te hard rijden’ is gemaakt met 3 signalen." in html(client.get(response.location))


def test_workspace_add_to_existing_bundle(app, client, setup):
    ids = setup["ids"]
    bundle_id, _ = make_bundle(app, setup, "Afval", ids[3:4])
    response = client.post(f"{BASE}/bundles", data={"signal_ids": [ids[4]], "bundle": bundle_id, "action": "add"})
    assert response.status_code == 303
    assert bundle_ids_of(app, ids[3:]) == [bundle_id, bundle_id]


@pytest.mark.parametrize("data, message", [
    ({"name": "Zonder signalen", "action": "new"}, "Kies minstens één signaal (vink het vakje ervoor aan)."),
    ({"name": "", "action": "new", "signal_ids": "SELECT"}, "Geef de bundel een naam (1 tot 120 tekens)."),
    ({"name": "x" * 200, "action": "new", "signal_ids": "SELECT"},
     "Deze naam is te lang (200 tekens). Gebruik maximaal 120 tekens."),
    ({"action": "add", "signal_ids": "SELECT"}, "Kies de bundel waar de signalen bij horen."),
    ({"action": "new", "name": "Mix", "signal_ids": "FOREIGN"}, "horen niet bij dit wijkverband"),
    ({"action": "new", "name": "Rommel", "signal_ids": "abc"}, "Kies de signalen opnieuw"),
])
def test_workspace_bad_input_shows_the_message_and_stores_nothing(app, client, setup, data, message):
    data = dict(data)
    if data.get("signal_ids") == "SELECT":
        data["signal_ids"] = setup["ids"][:2]
    elif data.get("signal_ids") == "FOREIGN":
        data["signal_ids"] = [setup["ids"][0], setup["other_signal"]]
    before = state(app)
    response = client.post(f"{BASE}/bundles", data=data)
    assert response.status_code == 422
    page = html(response)
    assert message in page and "Er gaat iets mis" in page
    if isinstance(data.get("signal_ids"), list) and len(data["signal_ids"]) == 2 and "FOREIGN" not in str(data):
        assert f'value="{setup["ids"][0]}" id="s-{setup["ids"][0]}" checked' in page  # choice kept
    if data.get("name"):
        assert f'value="{data["name"]}"' in page  # typed name kept
    assert state(app) == before


def test_workspace_foreign_bundle_is_404(app, client, setup):
    before = state(app)
    response = client.post(f"{BASE}/bundles", data={"signal_ids": setup["ids"][:1], "bundle": setup["foreign"],
                                                    "action": "add"})
    assert response.status_code == 404 and state(app) == before


def test_workspace_stale_after_someone_else_merged(app, client, setup):
    ids = setup["ids"]
    a, _ = make_bundle(app, setup, "Hardrijders", ids[:1])
    b, _ = make_bundle(app, setup, "Te hard rijden", ids[1:2])
    page_before = html(client.get(f"{BASE}/bundles"))  # the coordinator's form lists bundle a
    assert f'<option value="{a}">Hardrijders</option>' in page_before
    with app.app_context():
        p = db.session.get(Partnership, setup["p"].id)
        bundling.merge_bundles(p, None, db.session.get(Bundle, a), db.session.get(Bundle, b))
        db.session.commit()
    before = state(app)
    response = client.post(f"{BASE}/bundles", data={"signal_ids": ids[2:3], "bundle": a, "action": "add"})
    assert response.status_code == 303
    assert state(app) == before
    fresh = html(client.get(response.location))
    assert "‘Hardrijders’ is intussen samengevoegd met ‘Te hard rijden’. Er is niets opgeslagen." in fresh
    assert f'<option value="{a}">Hardrijders' not in fresh


def test_workspace_stale_when_a_signal_was_bundled_meanwhile(app, client, setup):
    ids = setup["ids"]
    make_bundle(app, setup, "Door een collega", ids[:1])
    before = state(app)
    response = client.post(f"{BASE}/bundles", data={"signal_ids": ids[:2], "name": "Van mij", "action": "new"})
    assert response.status_code == 303 and state(app) == before
    assert "net door iemand anders gebundeld" in html(client.get(response.location))


def test_only_coordinators_bundle(app, client, auth, make, setup):
    host = make.user(setup["p"], Role.HOST)
    auth.logout()
    auth.login(host)
    assert client.get(f"{BASE}/bundles").status_code == 403
    assert client.post(f"{BASE}/bundles", data={"signal_ids": setup["ids"][:1], "name": "X",
                                                "action": "new"}).status_code == 403


# --- suggestions slot ---------------------------------------------------------------------------

BundleSuggestion = namedtuple("BundleSuggestion", "bundle_id score shared_terms reasons")
ProposedGroup = namedtuple("ProposedGroup", "signal_ids name shared_terms score")


def test_suggestions_render_with_an_engine_plugged_in(app, client, setup, monkeypatch):
    from wijkapp.audiences.coordinator import bundles as views

    ids = setup["ids"]
    speed, _ = make_bundle(app, setup, "Te hard rijden", ids[:1])
    monkeypatch.setattr(views, "engine_output", lambda unbundled, bundles: (
        {ids[1]: [BundleSuggestion(speed, 0.82, ["kerkstraat"], ["zelfde locatie"]),
                  BundleSuggestion(setup["foreign"], 0.9, [], [])]},
        [ProposedGroup([ids[3], ids[4], setup["other_signal"]], "Afval en zwerfvuil", ["afval"], 0.61)],
    ))
    page = html(client.get(f"{BASE}/bundles"))
    assert 'id="voorstellen"' in page
    assert "Voeg toe aan ‘Te hard rijden’" in page and "gedeelde woorden: kerkstraat" in page
    assert "Van Zuid" not in page  # another partnership's bundle is dropped, never shown
    assert 'value="Afval en zwerfvuil"' in page and "Maak deze bundel (2 signalen)" in page


def test_accept_one_suggestion(app, client, setup):
    ids = setup["ids"]
    speed, _ = make_bundle(app, setup, "Te hard rijden", ids[:1])
    response = client.post(f"{BASE}/bundles/suggestions/accept?round=1",
                           data={"signal_id": ids[1], "bundle_id": speed})
    assert response.status_code == 303 and response.location.endswith("/bundles?round=1")
    assert bundle_ids_of(app, ids[:2]) == [speed, speed]
    # the same click again (double submit): the signal is bundled already, nothing changes
    before = state(app)
    again = client.post(f"{BASE}/bundles/suggestions/accept", data={"signal_id": ids[1], "bundle_id": speed})
    assert state(app) == before and "net door iemand anders gebundeld" in html(client.get(again.location))


def test_accept_suggestion_with_foreign_ids_is_404(app, client, setup):
    speed, _ = make_bundle(app, setup, "Te hard rijden", setup["ids"][:1])
    before = state(app)
    assert client.post(f"{BASE}/bundles/suggestions/accept",
                       data={"signal_id": setup["other_signal"], "bundle_id": speed}).status_code == 404
    assert client.post(f"{BASE}/bundles/suggestions/accept",
                       data={"signal_id": setup["ids"][1], "bundle_id": setup["foreign"]}).status_code == 404
    response = client.post(f"{BASE}/bundles/suggestions/accept", data={"signal_id": "x"})
    assert response.status_code == 303
    assert "Dit voorstel kon niet worden gelezen" in html(client.get(response.location))
    assert state(app) == before


def test_accept_a_proposed_group(app, client, setup):
    ids = setup["ids"]
    response = client.post(f"{BASE}/bundles/suggestions/accept-group",
                           data={"signal_ids": ids[3:], "name": "Afval en zwerfvuil"})
    assert response.status_code == 303
    with app.app_context():
        bundle = db.session.scalar(db.select(Bundle).where(Bundle.name == "Afval en zwerfvuil"))
    assert bundle_ids_of(app, ids[3:]) == [bundle.id, bundle.id]


@pytest.mark.parametrize("data, message", [
    ({"name": "Afval"}, "Er is al een bundel met deze naam"),
    ({"name": ""}, "Geef de bundel een naam"),
    ({"name": "Mix", "foreign": True}, "horen niet bij dit wijkverband"),
    ({"name": "Niets", "none": True}, "Kies minstens één signaal"),
])
def test_accept_group_bad_input_stores_nothing(app, client, setup, data, message):
    make_bundle(app, setup, "Afval")
    signal_ids = [] if data.get("none") else setup["ids"][3:] + ([setup["other_signal"]] if data.get("foreign") else [])
    before = state(app)
    response = client.post(f"{BASE}/bundles/suggestions/accept-group",
                           data={"signal_ids": signal_ids, "name": data["name"]})
    assert response.status_code == 303 and state(app) == before
    assert message in html(client.get(response.location))


# --- bundle page --------------------------------------------------------------------------------

def test_bundle_page_shows_signals_quotes_rounds_and_history(app, client, setup):
    bundle_id, _ = make_bundle(app, setup, "Te hard rijden", setup["ids"][:3])
    page = html(client.get(f"{BASE}/bundles/{bundle_id}"))
    assert "<h1>Te hard rijden</h1>" in page
    assert "Drempel graag in de Kerkstraat" in page and "Micro-uitvraag" in page and "Buurthuis De Schakel" in page
    assert page.count('<blockquote class="quote">') == 3
    assert "Ronde 1" in page
    assert "Bundel ‘Te hard rijden’ gemaakt, met 3 signalen" in page and "coordinator" in page


def test_foreign_bundle_pages_are_404(app, client, setup):
    foreign = setup["foreign"]
    before = state(app)
    assert client.get(f"{BASE}/bundles/{foreign}").status_code == 404
    assert client.get(f"{BASE}/bundles/{foreign}/edit").status_code == 404
    assert client.post(f"{BASE}/bundles/{foreign}/edit", data={"name": "Overgenomen"}).status_code == 404
    assert client.post(f"{BASE}/bundles/{foreign}/signals", data={"action": "remove"}).status_code == 404
    assert client.post(f"{BASE}/bundles/{foreign}/merge", data={"target": 1}).status_code == 404
    assert client.get(f"{BASE}/bundles/99999").status_code == 404
    assert state(app) == before


def test_merged_bundle_url_shows_the_bundle_it_went_into(app, client, setup):
    a, _ = make_bundle(app, setup, "Hardrijders", setup["ids"][:1])
    b, _ = make_bundle(app, setup, "Te hard rijden", setup["ids"][1:2])
    client.post(f"{BASE}/bundles/{a}/merge", data={"target": b, "version": 1})
    response = client.get(f"{BASE}/bundles/{a}")
    assert response.status_code == 303 and response.location.endswith(f"/bundles/{b}")
    page = html(client.get(response.location))
    assert "Bundel ‘Hardrijders’ is samengevoegd met ‘Te hard rijden’" in page
    assert "Bundel ‘Hardrijders’ is hierin opgegaan (1 signalen)" in page  # history keeps the merge


def test_edit_bundle(app, client, setup):
    bundle_id, version = make_bundle(app, setup, "Hard rijden", setup["ids"][:1])
    page = html(client.get(f"{BASE}/bundles/{bundle_id}/edit"))
    assert 'value="Hard rijden"' in page and f'name="version" type="hidden" value="{version}"' in page
    response = client.post(f"{BASE}/bundles/{bundle_id}/edit",
                           data={"name": "Te hard rijden Kerkstraat", "description": "Vooral 's avonds",
                                 "theme": 0, "version": version})
    assert response.status_code == 303
    with app.app_context():
        bundle = db.session.get(Bundle, bundle_id)
        assert (bundle.name, bundle.description) == ("Te hard rijden Kerkstraat", "Vooral 's avonds")
    assert "naam ‘Hard rijden’ → ‘Te hard rijden Kerkstraat’" in html(client.get(response.location))


@pytest.mark.parametrize("name, message", [
    ("", "Geef de bundel een naam (1 tot 120 tekens)."),
    ("y" * 200, "Deze naam is te lang (200 tekens). Gebruik maximaal 120 tekens."),
    ("Afval", "Er is al een bundel met deze naam"),
])
def test_edit_bad_name_re_renders_and_stores_nothing(app, client, setup, name, message):
    make_bundle(app, setup, "Afval")
    bundle_id, version = make_bundle(app, setup, "Hard rijden")
    before = state(app)
    response = client.post(f"{BASE}/bundles/{bundle_id}/edit",
                           data={"name": name, "description": "getypt", "theme": 0, "version": version})
    assert response.status_code == 422
    page = html(response)
    assert message in page and "getypt</textarea>" in page
    assert state(app) == before


def test_edit_on_a_stale_form_is_refused(app, client, setup):
    bundle_id, version = make_bundle(app, setup, "Hard rijden", setup["ids"][:1])
    client.post(f"{BASE}/bundles/{bundle_id}/signals", data={"signal_ids": setup["ids"][:1], "action": "remove",
                                                              "version": version})  # a colleague, meanwhile
    before = state(app)
    response = client.post(f"{BASE}/bundles/{bundle_id}/edit",
                           data={"name": "Nieuwe naam", "theme": 0, "version": version})
    assert response.status_code == 303 and state(app) == before
    assert "Iemand anders heeft deze bundel net veranderd" in html(client.get(response.location))


def test_move_split_and_remove_signals(app, client, setup):
    ids = setup["ids"]
    a, version = make_bundle(app, setup, "Van alles", ids)
    b, _ = make_bundle(app, setup, "Afval")
    response = client.post(f"{BASE}/bundles/{a}/signals",
                           data={"signal_ids": ids[3:4], "target": b, "action": "move", "version": version})
    assert response.status_code == 303
    assert "1 signalen verplaatst naar ‘Afval’." in html(client.get(response.location))
    response = client.post(f"{BASE}/bundles/{a}/signals",
                           data={"signal_ids": ids[:3], "name": "Te hard rijden", "action": "split",
                                 "version": version + 1})
    assert response.status_code == 303
    with app.app_context():
        split = db.session.scalar(db.select(Bundle.id).where(Bundle.name == "Te hard rijden"))
    response = client.post(f"{BASE}/bundles/{a}/signals",
                           data={"signal_ids": ids[4:5], "action": "move", "target": b, "version": version + 2})
    assert bundle_ids_of(app, ids) == [split, split, split, b, b]
    response = client.post(f"{BASE}/bundles/{b}/signals",
                           data={"signal_ids": ids[4:5], "action": "remove", "version": 3})
    assert response.status_code == 303, html(response)
    assert bundle_ids_of(app, ids[3:]) == [b, None]
    assert "Ze staan weer bij Bundelen" in html(client.get(response.location))


@pytest.mark.parametrize("data, message, status", [
    ({"action": "move", "target": "SELF"}, "De signalen zitten al in deze bundel", 422),
    ({"action": "move"}, "Kies de bundel waar de signalen naartoe gaan", 422),
    ({"action": "split", "name": ""}, "Geef de bundel een naam", 422),
    ({"action": "split", "name": "z" * 200}, "Deze naam is te lang (200 tekens)", 422),
    ({"action": "split", "name": "Alles", "all": True}, "Je hebt alle signalen gekozen", 422),
    ({"action": "remove", "none": True}, "Kies minstens één signaal", 422),
    ({"action": "remove", "foreign_signal": True}, "horen niet bij dit wijkverband", 422),
    ({"action": "move", "target": "FOREIGN"}, None, 404),
    ({"action": "remove", "version": 0}, "Iemand anders heeft deze bundel net veranderd", 303),
])
def test_bundle_signals_bad_input_stores_nothing(app, client, setup, data, message, status):
    ids = setup["ids"]
    a, version = make_bundle(app, setup, "Van alles", ids[:3])
    data = dict(data)
    data.setdefault("version", version)
    if data.get("target") == "SELF":
        data["target"] = a
    elif data.get("target") == "FOREIGN":
        data["target"] = setup["foreign"]
    chosen = [] if data.pop("none", False) else ids[:3] if data.pop("all", False) else ids[:1]
    if data.pop("foreign_signal", False):
        chosen = [setup["other_signal"]]
    before = state(app)
    response = client.post(f"{BASE}/bundles/{a}/signals", data={**data, "signal_ids": chosen})
    assert response.status_code == status
    assert state(app) == before
    if status == 422:
        assert message in html(response) and "Er gaat iets mis" in html(response)
    elif status == 303:
        assert message in html(client.get(response.location))


def test_merge_from_the_bundle_page(app, client, setup):
    ids = setup["ids"]
    a, version = make_bundle(app, setup, "Hardrijders", ids[:2])
    b, _ = make_bundle(app, setup, "Te hard rijden", ids[2:3])
    response = client.post(f"{BASE}/bundles/{a}/merge", data={"target": b, "version": version})
    assert response.status_code == 303 and response.location.endswith(f"/bundles/{b}")
    with app.app_context():
        assert db.session.get(Bundle, a).merged_into_id == b
    assert bundle_ids_of(app, ids[:3]) == [b, b, b]
    page = html(client.get(f"{BASE}/bundles"))
    assert ">Hardrijders</a>" not in page  # gone from the lists, kept in the history


@pytest.mark.parametrize("case, message, status", [
    ("self", "Je kunt een bundel niet met zichzelf samenvoegen. Kies een andere bundel.", 422),
    ("none", "Kies de bundel waarmee je wilt samenvoegen.", 422),
    ("merged", "is al samengevoegd met", 422),
    ("foreign", None, 404),
    ("stale", "‘Hardrijders’ is intussen samengevoegd met ‘Derde’", 303),
])
def test_merge_bad_input_stores_nothing(app, client, setup, case, message, status):
    ids = setup["ids"]
    a, version = make_bundle(app, setup, "Hardrijders", ids[:1])
    b, _ = make_bundle(app, setup, "Te hard rijden", ids[1:2])
    c, _ = make_bundle(app, setup, "Derde", ids[2:3])
    if case == "merged":
        client.post(f"{BASE}/bundles/{b}/merge", data={"target": c, "version": 1})
    if case == "stale":  # a colleague merged a into c after this form was rendered
        client.post(f"{BASE}/bundles/{a}/merge", data={"target": c, "version": version})
    target = {"self": a, "none": 0, "merged": b, "foreign": setup["foreign"], "stale": b}[case]
    before = state(app)
    response = client.post(f"{BASE}/bundles/{a}/merge", data={"target": target, "version": version})
    assert response.status_code == status
    assert state(app) == before
    if status == 422:
        assert message in html(response)
    elif status == 303:
        assert response.location.endswith(f"/bundles/{c}")
        assert message in html(client.get(response.location))


# --- tried as a new user, on the demo data ------------------------------------------------------

def test_demo_coordinator_goes_from_unbundled_signals_to_a_defended_top_3(app, client, auth):
    from wijkapp.services import demo

    with app.app_context():
        demo.load_demo(password="demo-wachtwoord-1")
        db.session.commit()
        assert count(Signal, Signal.bundle_id.is_(None)) == demo.SIGNALS
    auth.login("coordinator@demo.example.org", "demo-wachtwoord-1")
    base = "/p/demo/coordinator"
    home = html(client.get(f"{base}/"))
    assert "Nog geen bundels deze ronde" in home and "Ga naar Bundelen" in home

    workspace = html(client.get(f"{base}/bundles"))
    listed = re.findall(r'name="signal_ids" value="(\d+)" id="s-\d+">\s*<label for="s-\d+">([^<]+)</label>',
                        workspace)
    assert len(listed) >= 30
    themes = {
        "Te hard rijden en verkeer": ("hard", "snel", "drempel", "30 km", "scheuren", "verkeer", "oversteken",
                                      "parkeer", "auto"),
        "Afval en zwerfvuil": ("afval", "vuil", "container", "rommel", "grofvuil"),
        "Donker en onveilig": ("donker", "verlichting", "lantaarn", "onveilig", "eng", "inbr"),
    }
    made = {}
    for name, words in themes.items():
        chosen = [i for i, text in listed if any(w in text.lower() for w in words) and i not in made.values()]
        if not chosen:
            continue
        response = client.post(f"{base}/bundles", data={"signal_ids": chosen, "name": name, "action": "new"})
        assert response.status_code == 303
        made[name] = chosen
    assert len(made) >= 3
    home = html(client.get(f"{base}/"))
    assert home.count('class="card top-item"') == 3
    assert "Elk nieuw signaal telt 2 punten" in home
    assert re.search(r"\d+ signalen · \d+ bronnen · \d+ vormen · \d+ locaties · \d+ nieuw deze ronde", home)
    # The meeting asks "how did we get this?": the bundle page answers with quotes and history.
    first = re.search(r'<span class="position">1</span> <a href="([^"]+)"', home).group(1)
    page = html(client.get(first))
    assert '<blockquote class="quote">' in page and "gemaakt, met" in page and "Sanne de Vries (demo)" in page


def test_a_shared_location_alone_is_not_shown_as_a_suggestion(app, client, setup, make):
    """The one unbundled signal shares only the QR location with ‘Te hard rijden’, and the picked
    theme with ‘Afval’: only the theme is a reason a coordinator can check."""
    ids = setup["ids"]
    with app.app_context():
        theme_id = db.session.scalar(db.select(Theme.id).where(Theme.partnership_id == setup["p"].id).limit(1))
    themed = make.signal(setup["p"], "Glasbak weer vol", theme_id=theme_id).id
    make_bundle(app, setup, "Te hard rijden", ids[:3])
    make_bundle(app, setup, "Afval", [*ids[3:5], themed])
    make.signal(setup["p"], "Mijn buurman belt nooit terug", location_id=setup["location"].id, theme_id=theme_id)
    page = html(client.get(f"{BASE}/bundles"))
    assert "Voeg toe aan ‘Afval’" in page
    assert "Voeg toe aan ‘Te hard rijden’" not in page
