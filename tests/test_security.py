"""Access: the isolation matrix over every route, CSRF on every POST, sessions, passwords,
security headers, ProxyFix and rate limits (issue 6, "Access")."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import inspect as sa_inspect

from tests.conftest import PASSWORD, count, csrf_token_from
from wijkapp.extensions import db, limiter
from wijkapp.models import Bundle, Conversation, PanelSession, Partnership, Role, Signal, Source, Theme, User
from wijkapp.services import conversations
from wijkapp.services.intake import ResidentContactDetails, record_signal

# Reachable without an account. A new public view must be added here on purpose.
PUBLIC_ENDPOINTS = {
    "static",
    "public.healthz",
    "public.index",
    "public.resident_form",
    "public.thanks",
    "feedback.partnership_feedback",
    "auth.login",
    "auth.setup",
}
# Need a login but belong to no partnership.
ACCOUNT_ENDPOINTS = {"auth.start", "auth.logout"}
PARTNERSHIP_PREFIX = "/p/<slug>/"

# Which object of a partnership fills which URL variable. A route with a variable that is not
# here fails test_every_url_variable_can_be_filled: teach the matrix, then it covers the route.
OBJECT_OF_VARIABLE = {
    "conversation_id": "conversation",
    "signal_id": "signal",
    "location_id": "location",
    "session_id": "panel_session",
    "theme_id": "theme",
    "bundle_id": "bundle",
    "round_id": "round",
}

# Distinctive text in every object of partnership Y: it must never reach anyone of X.
MARKER = "Ypsq7zz"

# Valid-looking values for every form field, so a missing check would really store something.
TODAY = date.today().isoformat()
POST_DATA = {
    "text": "Overschreven door X", "theme": "0", "location": "0", "place": "Marktplein",
    "held_on": TODAY, "people_spoken": "3", "name": "Nieuwe naam", "description": "Nieuw",
    "is_active": "y", "topic": "Onderwerp", "kind": "panel", "core_attendees": "2",
    "extra_attendees": "1", "question_1": "Vraag een?", "question_2": "Vraag twee?",
    "answer_1": "Antwoord", "answer_2": "Antwoord", "submission_token": "matrix-token",
}


@dataclass
class Place:
    partnership: Partnership
    users: dict[Role, User]
    objects: dict[str, int] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return self.partnership.slug


def build_place(make, app, slug: str, label: str) -> Place:
    """A partnership with one person per role and one object of every kind, all carrying `label`."""
    partnership = make.partnership(name=f"Wijkverband {label}", slug=slug)
    users = {role: make.user(partnership, role, email=f"{role.value}-{slug}@example.org") for role in Role}
    location = make.location(partnership, name=f"Bibliotheek {label}")
    with app.app_context():
        p = db.session.get(Partnership, partnership.id)
        p.micro_question_1 = f"Vraag {label}?"
        host = db.session.get(User, users[Role.HOST].id)
        theme = Theme(partnership_id=p.id, name=f"Thema {label}", position=99)
        db.session.add(theme)
        db.session.flush()
        conversation = conversations.start_conversation(p, host, None, f"Plein {label}", date.today())
        signal = record_signal(p, f"Losse stoeptegel {label}", Source.HOST_CONVERSATION, created_by=host,
                               conversation_id=conversation.id, location_id=location.id, theme_id=theme.id)
        record_signal(p, f"Bewoner zegt {label}", Source.RESIDENT_QR, location_id=location.id,
                      contact=ResidentContactDetails(email=f"{label.lower()}@bewoner.example"))
        panel = PanelSession(partnership_id=p.id, created_by_id=users[Role.COORDINATOR].id,
                             topic=f"Panel {label}", held_on=date.today())
        db.session.add(panel)
        db.session.flush()
        record_signal(p, f"Panel zegt {label}", Source.PANEL_SESSION, panel_session_id=panel.id)
        bundle = Bundle(partnership_id=p.id, name=f"Bundel {label}", description=label)
        db.session.add(bundle)
        db.session.flush()
        signal.bundle_id = bundle.id
        db.session.commit()
        objects = {"conversation": conversation.id, "signal": signal.id, "location": location.id,
                   "panel_session": panel.id, "theme": theme.id, "bundle": bundle.id, "round": signal.round_id}
    return Place(partnership, users, objects)


@pytest.fixture
def places(make, app):
    x = build_place(make, app, "wijk-x", "Xanten")
    y = build_place(make, app, "wijk-y", MARKER)
    return x, y


def rule_variables(rule) -> set[str]:
    return set(rule.arguments) - {"slug"}


def partnership_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.rule.startswith(PARTNERSHIP_PREFIX)]


def methods_of(rule) -> list[str]:
    return [m for m in ("GET", "POST") if m in rule.methods]


def fill(rule, slug: str, objects: dict[str, int], public_values: dict[str, str] | None = None) -> str:
    def value(match):
        name = match.group(1)
        if name == "slug":
            return slug
        if public_values and name in public_values:
            return public_values[name]
        return str(objects[OBJECT_OF_VARIABLE[name]])
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", value, rule.rule)


def call(client, method: str, url: str):
    if method == "POST":
        return client.post(url, data=POST_DATA)
    return client.get(url)


def logged_in_client(app, user):
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302, f"login of {user.email} failed"
    return client


def snapshot_of(app, partnership_id: int, user_ids: set[int]) -> dict:
    """Every row that belongs to one partnership, found through partnership_id and foreign keys."""
    with app.app_context():
        owned: dict[str, set] = {"partnership": {partnership_id}, "user_account": set(user_ids)}
        rows: dict[str, list] = {}
        tables = db.metadata.sorted_tables
        for table in tables:
            if "partnership_id" in table.c:
                result = db.session.execute(table.select().where(table.c.partnership_id == partnership_id))
            elif table.name in owned:
                result = db.session.execute(table.select().where(table.c.id.in_(owned[table.name])))
            else:
                links = [
                    table.c[fk.parent.name].in_(owned[fk.column.table.name])
                    for fk in table.foreign_keys if fk.column.table.name in owned
                ]
                result = db.session.execute(table.select().where(db.or_(*links))) if links else \
                    db.session.execute(table.select())
            found = sorted((tuple(row) for row in result), key=repr)
            rows[table.name] = found
            if "id" in table.c:
                owned.setdefault(table.name, set()).update(row[list(table.c.keys()).index("id")] for row in found)
        # Logging in writes these for the people who log in; nothing else may change.
        return rows


def test_every_url_variable_can_be_filled(app):
    unknown = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        missing = rule_variables(rule) - OBJECT_OF_VARIABLE.keys()
        if missing:
            unknown[rule.rule] = sorted(missing)
    assert not unknown, (
        f"Teach the isolation matrix these URL variables (OBJECT_OF_VARIABLE and build_place): {unknown}")


def test_every_route_is_public_on_purpose_or_in_a_partnership(app):
    stray = [
        rule.rule for rule in app.url_map.iter_rules()
        if rule.endpoint not in PUBLIC_ENDPOINTS | ACCOUNT_ENDPOINTS and not rule.rule.startswith(PARTNERSHIP_PREFIX)
    ]
    assert not stray, f"Routes outside /p/<slug>/ must be listed as public or account routes: {stray}"
    for name, blueprint in app.blueprints.items():
        rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith(name + ".")]
        if any(r.rule.startswith(PARTNERSHIP_PREFIX) for r in rules):
            assert getattr(blueprint, "allowed_roles", None), f"{name} must come from partnership_blueprint"


def test_the_matrix_covers_every_staff_route(app):
    rules = partnership_rules(app)
    calls = sum(len(methods_of(rule)) for rule in rules)
    # A floor, so an accident that hides routes from the matrix (a changed prefix) shows up.
    assert len(rules) >= 15 and calls >= 25


def test_anonymous_visitor_is_sent_to_login_everywhere(app, client, places):
    x, y = places
    before = snapshot_of(app, y.partnership.id, {u.id for u in y.users.values()})
    problems = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        url = fill(rule, y.slug, y.objects)
        for method in methods_of(rule):
            response = call(client, method, url)
            to_login = response.status_code == 302 and urlpath(response.location) == "/login"
            if not (to_login or response.status_code == 404) or shows_marker(response):
                problems.append((method, url, response.status_code))
    assert not problems
    assert snapshot_of(app, y.partnership.id, {u.id for u in y.users.values()}) == before


def shows_marker(response) -> bool:
    # Bytes, because some answers are PNG or CSV; HTML escaping leaves the marker as it is.
    return MARKER.lower().encode() in response.get_data().lower()


def urlpath(location: str) -> str:
    return re.sub(r"^https?://[^/]+", "", location).split("?")[0]


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_nobody_of_x_reaches_anything_of_y(app, places, role):
    x, y = places
    client = logged_in_client(app, x.users[role])
    y_people = {u.id for u in y.users.values()}
    before = snapshot_of(app, y.partnership.id, y_people)
    problems = []
    for rule in partnership_rules(app):
        has_objects = bool(rule_variables(rule))
        # Y's own URLs; X's URLs with Y's object ids; X's own pages (must not list Y's data).
        targets = [(fill(rule, y.slug, y.objects), {404})]
        if has_objects:
            targets.append((fill(rule, x.slug, y.objects), {403, 404}))
        else:
            targets.append((fill(rule, x.slug, x.objects), None))
        for url, expected in targets:
            for method in methods_of(rule):
                response = call(client, method, url)
                if expected is not None and response.status_code not in expected:
                    problems.append((method, url, response.status_code, "status"))
                if response.status_code >= 500:
                    problems.append((method, url, response.status_code, "server error"))
                if shows_marker(response):
                    problems.append((method, url, response.status_code, "shows Y's data"))
    assert not problems
    assert snapshot_of(app, y.partnership.id, y_people) == before


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_each_role_reaches_only_its_own_areas(app, places, role):
    x, _y = places
    client = logged_in_client(app, x.users[role])
    problems = []
    for rule in partnership_rules(app):
        allowed = app.blueprints[rule.endpoint.split(".")[0]].allowed_roles
        url = fill(rule, x.slug, x.objects)
        for method in methods_of(rule):
            status = call(client, method, url).status_code
            if role not in allowed and status != 403:
                problems.append((method, url, status, "should be 403"))
            if role in allowed and status in {403, 404} and "signal_id" not in rule.arguments:
                problems.append((method, url, status, "own area refused"))
            if status >= 500:
                problems.append((method, url, status, "server error"))
    assert not problems


def test_a_host_cannot_open_or_change_another_hosts_work(app, make, places):
    x, _y = places
    other_host = make.user(x.partnership, Role.HOST, email="tweede-host@example.org")
    client = logged_in_client(app, other_host)
    conversation_id, signal_id = x.objects["conversation"], x.objects["signal"]
    with app.app_context():
        before = db.session.get(Signal, signal_id).text
        signals_before = count(Signal)
    base = f"/p/{x.slug}/host"
    assert client.get(f"{base}/conversations/{conversation_id}").status_code == 403
    assert client.post(f"{base}/conversations/{conversation_id}", data=POST_DATA).status_code == 403
    assert client.post(f"{base}/conversations/{conversation_id}/close", data=POST_DATA).status_code == 403
    response = client.get(f"{base}/signals/{signal_id}/edit")
    assert response.status_code == 403 and "Xanten" not in response.get_data(as_text=True)
    assert client.post(f"{base}/signals/{signal_id}/edit", data=POST_DATA).status_code == 403
    with app.app_context():
        assert db.session.get(Signal, signal_id).text == before
        assert count(Signal) == signals_before
        assert db.session.get(Conversation, conversation_id).closed_at is None


def test_start_page_lists_only_own_partnerships(app, places):
    x, _y = places
    for role in Role:
        body = logged_in_client(app, x.users[role]).get("/start", follow_redirects=True).get_data(as_text=True)
        assert MARKER.lower() not in body.lower()


# --- CSRF -------------------------------------------------------------------------------------

@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
@pytest.mark.parametrize("token", ["missing", "wrong"])
def test_every_post_route_needs_a_valid_csrf_token(app, places, app_config, token):
    x, _y = places
    client = app.test_client()
    good = csrf_token_from(client.get("/login").data)
    assert client.post("/login", data={"email": x.users[Role.COORDINATOR].email, "password": PASSWORD,
                                       "csrf_token": good}).status_code == 302
    x_people = {u.id for u in x.users.values()}
    before = snapshot_of(app, x.partnership.id, x_people)
    public_values = {"code": _location_code(app, x), "token": "setup-token"}
    post_rules = [rule for rule in app.url_map.iter_rules() if "POST" in rule.methods]
    assert len(post_rules) >= 10
    problems = []
    for rule in post_rules:
        url = fill(rule, x.slug, x.objects, public_values)
        data = dict(POST_DATA, email=x.users[Role.COORDINATOR].email, password=PASSWORD)
        if token == "wrong":
            data["csrf_token"] = good[:-4] + ("AAAA" if not good.endswith("AAAA") else "BBBB")
        response = client.post(url, data=data)
        body = response.get_data(as_text=True)
        if response.status_code != 400 or "Je formulier was verlopen" not in body \
                or "Er is niets opgeslagen" not in body:
            problems.append((url, response.status_code))
    assert not problems
    assert snapshot_of(app, x.partnership.id, x_people) == before
    # The refused logout did not end the session either.
    assert client.get(f"/p/{x.slug}/coordinator/").status_code == 200


def _location_code(app, place: Place) -> str:
    from wijkapp.models import Location

    with app.app_context():
        return db.session.get(Location, place.objects["location"]).code
