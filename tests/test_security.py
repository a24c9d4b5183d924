"""Access: the isolation matrix over every route, CSRF on every POST, sessions, passwords,
security headers, ProxyFix and rate limits (issue 6, "Access")."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import PASSWORD, count, csrf_token_from
from wijkapp.extensions import db, limiter
from wijkapp.models import (
    Action,
    ActionUpdate,
    Bundle,
    BundleAssessment,
    Contact,
    Conversation,
    Feedback,
    FeedbackBundle,
    Invitation,
    LinkPurpose,
    Membership,
    OutboxMessage,
    PanelSession,
    ParticipationPlan,
    PersonalLink,
    Partnership,
    PlainWord,
    Role,
    Signal,
    Source,
    Theme,
    User,
)
from wijkapp.services import audit, calendar_feed, contacts, conversations, privacy
from wijkapp.services.intake import ResidentContactDetails, record_signal

# Reachable without an account. A new public view must be added here on purpose, and its own
# test must show it leaks nothing (see "Public views" below).
PUBLIC_ENDPOINTS = {
    "static",
    "public.healthz",
    "public.index",
    "public.resident_form",
    "public.thanks",
    "public.privacy_statement",      # generated from settings; names no resident
    "public.privacy_withdraw",       # signed link; shows no address, throttled
    "feedback.partnership_feedback",  # published feedback only
    "feedback.location_feedback",     # published feedback only, per location code
    "feedback.receipt_lookup",        # throttled per address
    "feedback.receipt_status",        # what happened, never who said what; throttled
    "calendar.feed",                  # the token is the key; wrong or revoked: 404
    "auth.login",
    "auth.setup",
    "auth.accept_invitation",         # the token is the key (only its hash is stored); throttled
    "auth.forgot_password",           # the same answer whether or not the address has an account
    "auth.reset_password",            # the token is the key, one hour, once; throttled
    "account.confirm_email",          # signed, names the old address so it works once; throttled
    "auth.two_step",                  # only after the right password, for 5 minutes; throttled per account
    "personal.page",                  # the token is the key (only its hash is stored): one page, throttled,
                                      # every use logged; ends with its action or round (test_contacts.py)
}
# Need a login but belong to no partnership.
ACCOUNT_ENDPOINTS = {"auth.start", "auth.logout", "account.account", "account.change_name",
                     "account.change_email", "account.change_password", "account.logout_everywhere",
                     "account.two_step_setup", "account.two_step_enable", "account.two_step_new_codes",
                     "account.two_step_off"}
# The instance's beheerder only (wijkapp/audiences/admin.py): anyone else gets a 404.
ADMIN_ENDPOINTS = {"admin.partnerships"}
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
    "action_id": "action",
    "feedback_id": "feedback",
    "word_id": "plain_word",
    "code": "receipt_code",
    "user_id": "member",
    "invitation_id": "invitation",
    "contact_id": "contact",
    "link_id": "personal_link",
    "person_id": "link_person",
}
# Variables that pick a format, not an object: every value is called.
VALUES_OF_VARIABLE = {"fmt": ("json", "csv"), "kind": ("png", "svg")}
# Routes where a role of the area sees only objects it owns (a 404 for the rest is right).
OWNER_ONLY = {"host.signal_edit", "mine.action"}

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
    "word": "ambtelijk", "alternative": "gewoon", "heard": "Gehoord", "done": "Gedaan",
    "not_possible": "Lukt niet", "next_update_channel": "Buurthuis", "contact": "Kom langs",
    "confirm_unreviewed": "y", "publish": "1", "decision": "approve", "comment": "Goed",
    "status": "bezig", "stop_reason": "", "cadence": "4w", "starts_on": TODAY, "meeting_on": TODAY,
    "title": "Actie van X", "intended_result": "Beter", "first_step": "Bellen", "first_step_on": TODAY,
    "check_on": TODAY, "feedback_sentence": "We doen het.", "choice_reason": "Veel genoemd",
    "confirm_dates": "y", "confirm": "y", "contact_days_after_feedback": "10", "contact_max_months": "6",
    "question": "Vraag", "feedback_what": "Wat", "feedback_channel_when": "Nu", "feedback_owner": "Sam",
    "base_form": "A", "version": "1", "based_on": "0", "feasibility": "3", "impact": "3",
    "names-0": "Naam uit het formulier", "partnership_name": "Wijkverband van X",
}
# Form fields that name an object by id: X's forms get Y's ids in them, and must refuse them.
ID_FIELDS = {
    "signal_ids": "signal", "signal_id": "signal", "bundle": "bundle", "bundle_id": "bundle",
    "target": "bundle", "theme": "theme", "location": "location", "round": "round",
}
ID_FIELDS_OF_PEOPLE = ("owner_id", "feedback_owner_id", "partner_ids")


@dataclass
class Place:
    partnership: Partnership
    users: dict[Role, User]
    objects: dict[str, int | str] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return self.partnership.slug

    def ids_in_forms(self) -> dict[str, str]:
        """POST_DATA with this place's ids in every field that names an object or a person."""
        data = dict(POST_DATA, **{name: str(self.objects[kind]) for name, kind in ID_FIELDS.items()})
        data.update({name: str(self.users[Role.HOST].id) for name in ID_FIELDS_OF_PEOPLE})
        data.update({f"{score}_{self.objects['bundle']}": "5" for score in ("feasibility", "impact")})
        return data


def build_place(make, app, slug: str, label: str) -> Place:
    """A partnership with one person per role and one object of every kind, all carrying `label`."""
    partnership = make.partnership(name=f"Wijkverband {label}", slug=slug)
    users = {role: make.user(partnership, role, email=f"{role.value}-{slug}@example.org") for role in Role}
    location = make.location(partnership, name=f"Bibliotheek {label}")
    with app.app_context():
        p = db.session.get(Partnership, partnership.id)
        p.micro_question_1 = f"Vraag {label}?"
        p.privacy_contact = f"privacy-{label}@gemeente.example"
        host = db.session.get(User, users[Role.HOST].id)
        coordinator = db.session.get(User, users[Role.COORDINATOR].id)
        theme = Theme(partnership_id=p.id, name=f"Thema {label}", position=99)
        db.session.add(theme)
        db.session.flush()
        conversation = conversations.start_conversation(p, host, None, f"Plein {label}", date.today())
        signal = record_signal(p, f"Losse stoeptegel {label}", Source.HOST_CONVERSATION, created_by=host,
                               conversation_id=conversation.id, location_id=location.id, theme_id=theme.id)
        resident = record_signal(p, f"Bewoner zegt {label}", Source.RESIDENT_QR, location_id=location.id,
                                 contact=ResidentContactDetails(email=f"{label.lower()}@bewoner.example"))
        panel = PanelSession(partnership_id=p.id, created_by_id=coordinator.id,
                             topic=f"Panel {label}", held_on=date.today())
        db.session.add(panel)
        db.session.flush()
        record_signal(p, f"Panel zegt {label}", Source.PANEL_SESSION, panel_session_id=panel.id)
        bundle = Bundle(partnership_id=p.id, name=f"Bundel {label}", description=label)
        other_bundle = Bundle(partnership_id=p.id, name=f"Tweede bundel {label}")
        db.session.add_all([bundle, other_bundle])
        db.session.flush()
        signal.bundle_id = resident.bundle_id = bundle.id
        round_ = signal.round
        round_.meeting_on = date.today() + timedelta(days=7)
        db.session.add(BundleAssessment(partnership_id=p.id, round_id=round_.id, bundle_id=bundle.id,
                                        feasibility=4, impact=5))
        action = Action(partnership_id=p.id, round_id=round_.id, bundle_id=bundle.id, version=1,
                        signal_summary=f"Signalen {label}", intended_result=f"Veilig {label}",
                        title=f"Actie {label}", description=label, owner_id=host.id, partners=label,
                        first_step=f"Stap {label}", first_step_on=date.today() + timedelta(days=7),
                        check_on=date.today() + timedelta(days=45), feedback_sentence=f"Zin {label}",
                        choice_reason=f"Reden {label}", feedback_owner_id=users[Role.PROFESSIONAL].id)
        db.session.add(action)
        db.session.flush()
        db.session.add(ActionUpdate(action_id=action.id, user_id=host.id, text=f"Update {label}"))
        published = Feedback(partnership_id=p.id, round_id=round_.id, version=1, heard=f"Gehoord {label}",
                             done=f"Gedaan {label}", not_possible=f"Niet {label}", contact=f"Contact {label}",
                             next_update_channel=f"Kanaal {label}", published_at=datetime.utcnow())
        draft = Feedback(partnership_id=p.id, round_id=round_.id, version=0, heard=f"Concept {label}",
                         done=f"Concept {label}", review_comment=f"Opmerking {label}")
        word = PlainWord(partnership_id=p.id, word=f"woord{label.lower()}", alternative=f"Gewoon {label}")
        plan = ParticipationPlan(partnership_id=p.id, version=1, question=f"Plan {label}",
                                 feedback_what=f"Terug {label}", feedback_owner=label, base_form="A")
        db.session.add_all([published, draft, word, plan])
        db.session.flush()
        db.session.add(FeedbackBundle(feedback_id=published.id, bundle_id=bundle.id))
        db.session.add(OutboxMessage(partnership_id=p.id, contact_id=resident.contact.id, feedback_id=published.id,
                                     to_address=resident.contact.email, subject=f"Bericht {label}",
                                     body=f"Tekst {label}"))
        member = User(email=f"lid-{slug}@example.org", name=f"Lid {label}", password_hash="x")
        db.session.add(member)
        db.session.flush()
        db.session.add(Membership(user_id=member.id, partnership_id=p.id, role=Role.HOST.value))
        invitation = Invitation(partnership_id=p.id, email=f"nieuw-{slug}@example.org", name=f"Nieuw {label}",
                                roles="host", token_hash=f"{slug}-hash", invited_by_id=coordinator.id,
                                expires_at=datetime.utcnow() + timedelta(days=7))
        db.session.add(invitation)
        # A contact without an account, partner on the action, with a personal link to it.
        contact = contacts.add_contact(p, f"Contact {label}", f"Gemeente {label}", f"contact-{slug}@example.org",
                                       True, coordinator)
        action.partner_people.append(contact.user)
        link = PersonalLink(partnership_id=p.id, user_id=contact.user_id, purpose=LinkPurpose.ACTION,
                            action_id=action.id, token_hash=f"{slug}-link")
        db.session.add(link)
        feed = calendar_feed.new_token(p, coordinator)
        shared_feed = calendar_feed.new_token(p, None)
        audit.record(p, coordinator, "bundle_saved", bundle, detail=f"Bundel {label}")
        db.session.commit()
        objects = {"conversation": conversation.id, "signal": signal.id, "location": location.id,
                   "panel_session": panel.id, "theme": theme.id, "bundle": bundle.id, "round": round_.id,
                   "other_bundle": other_bundle.id, "action": action.id, "feedback": draft.id,
                   "published_feedback": published.id, "plain_word": word.id,
                   "receipt_code": resident.receipt_code, "resident_signal": resident.id,
                   "location_code": location.code, "calendar_token": feed.token,
                   "shared_calendar_token": shared_feed.token, "withdraw_token": privacy.withdraw_token(resident),
                   "member": member.id, "invitation": invitation.id, "contact": contact.id,
                   "personal_link": link.id, "link_person": contact.user_id}
    return Place(partnership, users, objects)


@pytest.fixture
def places(make, app):
    x = build_place(make, app, "wijk-x", "Xanten")
    y = build_place(make, app, "wijk-y", MARKER)
    return x, y


def rule_variables(rule) -> set[str]:
    """Variables the URL carries; those the rule fixes itself (`defaults=`) need no object."""
    return set(rule.arguments) - {"slug"} - set(rule.defaults or {})


def partnership_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.rule.startswith(PARTNERSHIP_PREFIX)]


def methods_of(rule) -> list[str]:
    return [m for m in ("GET", "POST") if m in rule.methods]


def fills(rule, slug: str, objects: dict, public_values: dict[str, str] | None = None) -> list[str]:
    """The rule's URL for these objects: one per value of a format variable."""
    urls = [rule.rule]
    for name, values in VALUES_OF_VARIABLE.items():
        if name in rule.arguments:
            urls = [re.sub(rf"<[^<>]*\b{name}>", value, url) for url in urls for value in values]

    def value(match):
        name = match.group(1)
        if name == "slug":
            return slug
        if public_values and name in public_values:
            return public_values[name]
        return str(objects[OBJECT_OF_VARIABLE[name]])
    return [re.sub(r"<(?:[^<>]+:)?([^<>:]+)>", value, url) for url in urls]


def fill(rule, slug: str, objects: dict, public_values: dict[str, str] | None = None) -> str:
    return fills(rule, slug, objects, public_values)[0]


def call(client, method: str, url: str, data: dict | None = None):
    if method == "POST":
        return client.post(url, data=POST_DATA if data is None else data)
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


def cross_partnership_links(app) -> list[tuple]:
    """Rows that point at objects of two partnerships (X's signal in Y's bundle, Y's person as
    owner of X's action): what a form that trusts posted ids would leave behind."""
    with app.app_context():
        owner_of: dict[str, dict[int, int]] = {"partnership": {}}
        for table in db.metadata.sorted_tables:
            if "partnership_id" in table.c and "id" in table.c:
                owner_of[table.name] = dict(db.session.execute(
                    db.select(table.c.id, table.c.partnership_id)).all())
        members: dict[int, set[int]] = {}
        for user_id, partnership_id in db.session.execute(
                db.select(Membership.user_id, Membership.partnership_id).union(
                    db.select(Contact.user_id, Contact.partnership_id))).all():
            members.setdefault(user_id, set()).add(partnership_id)
        bad = []
        for table in db.metadata.sorted_tables:
            links = [fk for fk in table.foreign_keys if fk.column.table.name in owner_of]
            people = [fk.parent.name for fk in table.foreign_keys if fk.column.table.name == "user_account"]
            if not links:
                continue
            for row in db.session.execute(table.select()).mappings():
                owners = set()
                for fk in links:
                    value = row[fk.parent.name]
                    if value is None:
                        continue
                    target = fk.column.table.name
                    owners.add(value if target == "partnership" else owner_of[target].get(value))
                if len(owners) > 1:
                    bad.append((table.name, dict(row)))
                elif owners:
                    owner = next(iter(owners))
                    for column in people:
                        if row[column] is not None and owner not in members.get(row[column], set()):
                            bad.append((table.name, column, dict(row)))
        return bad


def test_every_url_variable_can_be_filled(app):
    unknown = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        missing = rule_variables(rule) - OBJECT_OF_VARIABLE.keys() - VALUES_OF_VARIABLE.keys()
        if missing:
            unknown[rule.rule] = sorted(missing)
    assert not unknown, (
        f"Teach the isolation matrix these URL variables (OBJECT_OF_VARIABLE and build_place): {unknown}")


def test_every_route_is_public_on_purpose_or_in_a_partnership(app):
    stray = [
        rule.rule for rule in app.url_map.iter_rules()
        if rule.endpoint not in PUBLIC_ENDPOINTS | ACCOUNT_ENDPOINTS | ADMIN_ENDPOINTS
        and not rule.rule.startswith(PARTNERSHIP_PREFIX)
    ]
    assert not stray, f"Routes outside /p/<slug>/ must be listed as public, account or admin routes: {stray}"
    for name, blueprint in app.blueprints.items():
        rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith(name + ".")]
        if any(r.rule.startswith(PARTNERSHIP_PREFIX) for r in rules):
            assert getattr(blueprint, "allowed_roles", None), f"{name} must come from partnership_blueprint"


def test_the_matrix_covers_every_staff_route(app):
    rules = partnership_rules(app)
    calls = sum(len(methods_of(rule)) for rule in rules)
    # A floor, so an accident that hides routes from the matrix (a changed prefix) shows up.
    assert len(rules) >= 65 and calls >= 90


def test_anonymous_visitor_is_sent_to_login_everywhere(app, client, places):
    x, y = places
    before = snapshot_of(app, y.partnership.id, {u.id for u in y.users.values()})
    problems = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        for url, method in ((u, m) for u in fills(rule, y.slug, y.objects) for m in methods_of(rule)):
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
    y_ids = y.ids_in_forms()
    problems = []
    for rule in partnership_rules(app):
        has_objects = bool(rule_variables(rule) - VALUES_OF_VARIABLE.keys())
        # Y's own URLs; X's URLs with Y's object ids; X's own pages, which must not list Y's data
        # and whose forms must refuse Y's ids in the body.
        targets = [(url, {404}, POST_DATA) for url in fills(rule, y.slug, y.objects)]
        if has_objects:
            targets += [(url, {403, 404}, POST_DATA) for url in fills(rule, x.slug, y.objects)]
        targets += [(url, None, y_ids) for url in fills(rule, x.slug, x.objects)]
        for url, expected, data in targets:
            for method in methods_of(rule):
                response = call(client, method, url, data)
                if expected is not None and response.status_code not in expected:
                    problems.append((method, url, response.status_code, "status"))
                if response.status_code >= 500:
                    problems.append((method, url, response.status_code, "server error"))
                if shows_marker(response):
                    problems.append((method, url, response.status_code, "shows Y's data"))
    assert not problems
    assert snapshot_of(app, y.partnership.id, y_people) == before
    assert not cross_partnership_links(app)


def admin_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint in ADMIN_ENDPOINTS]


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_admin_routes_are_closed_to_everyone_but_the_beheerder(app, places, role):
    x, _y = places
    client = logged_in_client(app, x.users[role])
    assert admin_rules(app)
    problems = [(method, rule.rule, status) for rule in admin_rules(app) for method in methods_of(rule)
                if (status := call(client, method, rule.rule).status_code) != 404]
    assert not problems


def test_the_beheerder_sees_no_data_of_a_partnership_they_are_not_in(app, places):
    x, y = places
    with app.app_context():
        db.session.get(User, x.users[Role.COORDINATOR].id).is_instance_admin = True
        db.session.commit()
    client = logged_in_client(app, x.users[Role.COORDINATOR])
    y_people = {u.id for u in y.users.values()}
    before = snapshot_of(app, y.partnership.id, y_people)
    for rule in admin_rules(app):
        for method in methods_of(rule):
            response = call(client, method, rule.rule, y.ids_in_forms())
            assert response.status_code in (200, 302, 422), (method, rule.rule, response.status_code)
            # Partnership names are listed; nothing inside Y (signals, people, questions) is.
            body = response.get_data(as_text=True).replace(y.partnership.name, "")
            assert MARKER.lower() not in body.lower(), (method, rule.rule)
    assert "Wijkverband Xanten" in client.get("/admin/partnerships").get_data(as_text=True)
    assert snapshot_of(app, y.partnership.id, y_people) == before


def test_ids_too_large_for_the_database_are_not_found(app, places):
    x, _y = places
    client = logged_in_client(app, x.users[Role.COORDINATOR])
    for number in (2**31, 2**63, 10**20):
        huge = {name: number for name in x.objects}
        for rule in partnership_rules(app):
            if rule_variables(rule) - VALUES_OF_VARIABLE.keys() and "GET" in rule.methods:
                for url in fills(rule, x.slug, huge):
                    assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_each_role_reaches_only_its_own_areas(app, places, role):
    x, _y = places
    client = logged_in_client(app, x.users[role])
    problems = []
    for rule in partnership_rules(app):
        allowed = app.blueprints[rule.endpoint.split(".")[0]].allowed_roles
        for url, method in ((u, m) for u in fills(rule, x.slug, x.objects) for m in methods_of(rule)):
            status = call(client, method, url).status_code
            if role not in allowed and status != 403:
                problems.append((method, url, status, "should be 403"))
            if role in allowed and status in {403, 404} and rule.endpoint not in OWNER_ONLY:
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


def test_mine_shows_an_action_only_to_its_owners_and_coordinators(app, make, places):
    x, _y = places
    url = f"/p/{x.slug}/mine/actions/{x.objects['action']}"
    other_host = make.user(x.partnership, Role.HOST, email="andere-host@example.org")
    expected = {Role.HOST: 200, Role.PROFESSIONAL: 200, Role.COORDINATOR: 200, Role.ERVARINGSDESKUNDIGE: 404}
    for role, status in expected.items():
        assert logged_in_client(app, x.users[role]).get(url).status_code == status, role
    client = logged_in_client(app, other_host)
    assert client.get(url).status_code == 404
    assert client.post(url, data={"text": "Niet van mij", "status": "gestopt", "stop_reason": "x"}).status_code == 404
    with app.app_context():
        assert db.session.get(Action, x.objects["action"]).status == "gepland"
        assert count(ActionUpdate, ActionUpdate.action_id == x.objects["action"]) == 1


# --- Public views: each one shows only what it must ------------------------------------------

def public_body(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.get_data(as_text=True)


def test_receipt_page_shows_what_happened_but_no_personal_data(app, client, places):
    x, _y = places
    body = public_body(client, f"/r/{x.objects['receipt_code']}")
    assert "Actie Xanten" in body and "Gedaan Xanten" in body  # the chosen action, the published text
    for private in ("xanten@bewoner.example", "Bewoner zegt", "Losse stoeptegel", "Concept Xanten",
                    "Opmerking Xanten", "Update Xanten", x.users[Role.HOST].email, MARKER):
        assert private.lower() not in body.lower(), private
    # Typed in lower case with a space, it is the same code; a wrong code is a 404 that says nothing.
    code = x.objects["receipt_code"]
    assert client.get(f"/r/{code[:4].lower()} {code[4:].lower()}").status_code == 302
    for wrong in ("ZZZZZZZZ", "", "x" * 500, "%00", "1 OR 1=1"):
        response = client.get(f"/r/{wrong}")
        assert response.status_code == 404 and MARKER.lower() not in response.get_data(as_text=True).lower()


def test_public_feedback_shows_only_published_texts_of_its_own_partnership(app, client, places):
    x, y = places
    for url in (f"/w/{x.slug}", f"/w/{x.slug}/{x.objects['location_code']}"):
        body = public_body(client, url)
        assert "Gedaan Xanten" in body, url
        for hidden in ("Concept Xanten", "Opmerking Xanten", "xanten@bewoner.example", "Bewoner zegt", MARKER):
            assert hidden.lower() not in body.lower(), (url, hidden)
    public_body(client, f"/w/{x.slug}/{y.objects['location_code']}", 404)  # Y's poster code under X's name
    public_body(client, "/w/bestaat-niet", 404)
    public_body(client, f"/w/{x.slug}/ONBEKEND", 404)


def test_privacy_statement_names_no_resident(app, client, places):
    x, _y = places
    body = public_body(client, f"/privacy/{x.slug}")
    assert "privacy-Xanten@gemeente.example" in body  # the contact the coordinator set
    for hidden in ("xanten@bewoner.example", "Bewoner zegt", MARKER):
        assert hidden.lower() not in body.lower()
    public_body(client, "/privacy/bestaat-niet", 404)


def test_withdraw_link_shows_no_address_and_cannot_be_forged(app, client, places):
    x, y = places
    token = x.objects["withdraw_token"]
    body = public_body(client, f"/privacy/withdraw/{token}")
    assert "xanten@bewoner.example" not in body and MARKER.lower() not in body.lower()
    for forged in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "x", "a.b", "%00" * 10, "x" * 2000):
        response = client.post(f"/privacy/withdraw/{forged}")
        assert response.status_code == 404, forged[:20]
    with app.app_context():
        assert db.session.get(Signal, y.objects["resident_signal"]).contact is not None
        assert db.session.get(Signal, x.objects["resident_signal"]).contact is not None


def test_calendar_feed_answers_only_to_a_live_token(app, client, places):
    x, y = places
    for token in (x.objects["calendar_token"], x.objects["shared_calendar_token"]):
        response = client.get(f"/agenda/{token}.ics")
        assert response.status_code == 200 and response.mimetype == "text/calendar"
        body = response.get_data(as_text=True)
        assert "BEGIN:VCALENDAR" in body and MARKER.lower() not in body.lower()
    assert "Actie Xanten" in client.get(f"/agenda/{x.objects['shared_calendar_token']}.ics").get_data(as_text=True)
    for wrong in ("bestaat-niet", "x" * 65, x.objects["calendar_token"][:-1], "%00", "' OR 1=1 --"):
        assert client.get(f"/agenda/{wrong}.ics").status_code == 404, wrong
    # Asking for a new link revokes the old one at once.
    coordinator = logged_in_client(app, x.users[Role.COORDINATOR])
    assert coordinator.post(f"/p/{x.slug}/mine/calendar").status_code == 302
    assert client.get(f"/agenda/{x.objects['calendar_token']}.ics").status_code == 404
    # Someone who left the partnership no longer gets its dates.
    with app.app_context():
        fresh = calendar_feed.feed_of(db.session.get(Partnership, x.partnership.id),
                                      db.session.get(User, x.users[Role.COORDINATOR].id)).token
        assert client.get(f"/agenda/{fresh}.ics").status_code == 200
        db.session.execute(db.delete(Membership).where(Membership.user_id == x.users[Role.COORDINATOR].id))
        db.session.commit()
    assert client.get(f"/agenda/{fresh}.ics").status_code == 404


def test_control_characters_in_a_url_are_not_found(app, client, places):
    """PostgreSQL refuses a NUL in a query with an error; every code, slug and token is a 404."""
    x, _y = places
    staff = logged_in_client(app, x.users[Role.COORDINATOR])
    for value in ("%00", "a%00b", "%01", "%1b", "%7f"):
        for url in (f"/agenda/{value}.ics", f"/s/{value}", f"/s/{value}/bedankt", f"/w/{value}",
                    f"/w/{x.slug}/{value}", f"/r/{value}", f"/privacy/{value}", f"/privacy/withdraw/{value}",
                    f"/setup/{value}", f"/p/{value}/coordinator/"):
            assert client.get(url).status_code == 404, url
        assert staff.get(f"/p/{x.slug}/coordinator/privacy/{value}/export.json").status_code == 404
        assert staff.get(f"/p/{value}/coordinator/").status_code == 404


# --- Receipt look-up and withdraw link: throttled per address ----------------------------------

def receipt_tries(client, address: str, n: int) -> list[int]:
    return [client.post("/r", data={"code": f"ABCDEFG{c}"}, environ_base={"REMOTE_ADDR": address}).status_code
            for c in "ABCDEFGHJKMNPQRSTUVWXYZ"[:n]]


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True}])
def test_receipt_look_up_is_throttled_per_address(app, client, places, app_config):
    x, _y = places
    assert receipt_tries(client, "192.0.2.10", 11) == [422] * 10 + [429]
    page = client.get(f"/r/{x.objects['receipt_code']}", environ_base={"REMOTE_ADDR": "192.0.2.10"})
    assert page.status_code == 429 and "Wacht een minuut" in page.get_data(as_text=True)
    # A neighbour at another address looks up their real code as usual.
    page = client.get(f"/r/{x.objects['receipt_code']}", environ_base={"REMOTE_ADDR": "192.0.2.11"})
    assert page.status_code == 200


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True}])
def test_withdraw_link_is_throttled_per_address(app, client, places, app_config):
    x, _y = places
    statuses = [client.get(f"/privacy/withdraw/fout{n}", environ_base={"REMOTE_ADDR": "192.0.2.20"}).status_code
                for n in range(11)]
    assert statuses == [404] * 10 + [429]
    real = f"/privacy/withdraw/{x.objects['withdraw_token']}"
    assert client.post(real, environ_base={"REMOTE_ADDR": "192.0.2.20"}).status_code == 429
    with app.app_context():
        assert db.session.get(Signal, x.objects["resident_signal"]).contact is not None
    assert client.post(real, environ_base={"REMOTE_ADDR": "192.0.2.21"}).status_code == 302
    with app.app_context():
        assert db.session.get(Signal, x.objects["resident_signal"]).contact is None


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
    # Real codes and links, so it is the missing token that refuses, not an unknown object.
    public_values = {"code": x.objects["location_code"], "token": "setup-token"}
    withdraw_values = {"token": x.objects["withdraw_token"]}
    post_rules = [rule for rule in app.url_map.iter_rules() if "POST" in rule.methods]
    assert len(post_rules) >= 40
    problems = []
    for rule in post_rules:
        if rule.rule.startswith(PARTNERSHIP_PREFIX):
            url = fill(rule, x.slug, x.objects)
        else:
            url = fill(rule, x.slug, x.objects,
                       withdraw_values if rule.endpoint == "public.privacy_withdraw" else public_values)
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


# --- Sessions ---------------------------------------------------------------------------------

def session_cookie(client) -> str | None:
    cookie = client.get_cookie("session")
    return cookie.value if cookie else None


def client_with_cookie(app, value: str):
    client = app.test_client()
    client.set_cookie("session", value)
    return client


@pytest.fixture
def coordinator(make):
    partnership = make.partnership(slug="noord")
    return make.user(partnership, Role.COORDINATOR, email="coordinator@example.org")


HOME = "/p/noord/coordinator/"


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_login_starts_a_new_session(app, coordinator, app_config):
    client = app.test_client()
    token = csrf_token_from(client.get("/login").data)
    before_login = session_cookie(client)
    assert before_login
    client.post("/login", data={"email": coordinator.email, "password": PASSWORD, "csrf_token": token})
    assert session_cookie(client) not in (None, before_login)
    assert client.get(HOME).status_code == 200
    stale = client_with_cookie(app, before_login).get(HOME)
    assert stale.status_code == 302 and urlpath(stale.location) == "/login"


def test_logout_ends_the_session_on_the_server(app, coordinator):
    client = logged_in_client(app, coordinator)
    copied = session_cookie(client)
    other_device = logged_in_client(app, coordinator)
    client.post("/logout")
    assert client.get(HOME).status_code == 302
    # A copy of the old cookie (a stolen one, or the same person's other tablet) no longer works.
    assert client_with_cookie(app, copied).get(HOME).status_code == 302
    assert other_device.get(HOME).status_code == 302
    assert logged_in_client(app, coordinator).get(HOME).status_code == 200


def test_a_new_password_ends_every_session(app, coordinator):
    client = logged_in_client(app, coordinator)
    with app.app_context():
        db.session.get(User, coordinator.id).set_password("een heel nieuw wachtwoord")
        db.session.commit()
    assert client.get(HOME).status_code == 302


def test_an_old_style_cookie_without_token_is_refused(app, coordinator):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(coordinator.id)
        session["login_at"] = session["seen_at"] = 2_000_000_000
    assert client.get(HOME).status_code == 302


class Clock:
    def __init__(self, monkeypatch):
        import time as real_time

        self.now = real_time.time()
        monkeypatch.setattr("wijkapp.sessions.time.time", lambda: self.now)

    def advance(self, minutes: float) -> None:
        self.now += minutes * 60


@pytest.mark.parametrize("app_config", [{"SESSION_IDLE_MINUTES": 480, "SESSION_ABSOLUTE_MINUTES": 1440}])
def test_idle_timeout(app, coordinator, monkeypatch, app_config):
    clock = Clock(monkeypatch)
    client = logged_in_client(app, coordinator)
    clock.advance(479)
    assert client.get(HOME).status_code == 200  # activity moves the idle clock on
    clock.advance(479)
    assert client.get(HOME).status_code == 200
    clock.advance(481)
    response = client.get(HOME)
    assert response.status_code == 302 and urlpath(response.location) == "/login"
    assert "Je was een tijd niet actief" in client.get("/login").get_data(as_text=True)
    assert client.get(HOME).status_code == 302


@pytest.mark.parametrize("app_config", [{"SESSION_IDLE_MINUTES": 480, "SESSION_ABSOLUTE_MINUTES": 1440}])
def test_absolute_timeout(app, coordinator, monkeypatch, app_config):
    clock = Clock(monkeypatch)
    client = logged_in_client(app, coordinator)
    for _ in range(3):
        clock.advance(7 * 60)
        assert client.get(HOME).status_code == 200
    clock.advance(3 * 60 + 1)  # 24 hours and a minute after logging in, though active all day
    assert client.get(HOME).status_code == 302


def test_timeouts_come_from_the_environment(monkeypatch, tmp_path):
    from wijkapp.config import load_config

    monkeypatch.setenv("SESSION_IDLE_MINUTES", "30")
    monkeypatch.setenv("SESSION_ABSOLUTE_MINUTES", "600")
    config = load_config(tmp_path)
    assert (config["SESSION_IDLE_MINUTES"], config["SESSION_ABSOLUTE_MINUTES"]) == (30, 600)
    assert config["PERMANENT_SESSION_LIFETIME"].total_seconds() == 600 * 60


def set_cookie_header(response) -> str:
    return next(v for k, v in response.headers.items() if k == "Set-Cookie" and v.startswith("session="))


def test_session_cookie_flags_over_http(app, coordinator):
    response = app.test_client().post("/login", data={"email": coordinator.email, "password": PASSWORD})
    header = set_cookie_header(response)
    assert "HttpOnly" in header and "SameSite=Lax" in header
    assert "Secure" not in header


@pytest.mark.parametrize("app_config", [{"SESSION_COOKIE_SECURE": True}])
def test_session_cookie_is_secure_when_configured(app, coordinator, app_config):
    response = app.test_client().post("/login", data={"email": coordinator.email, "password": PASSWORD})
    assert "Secure" in set_cookie_header(response)


@pytest.mark.parametrize("app_config", [{"PROXY_FIX_HOPS": 1}])
def test_session_cookie_is_secure_over_https_behind_a_proxy(app, coordinator, app_config):
    response = app.test_client().post("/login", data={"email": coordinator.email, "password": PASSWORD},
                                      headers={"X-Forwarded-Proto": "https"})
    assert "Secure" in set_cookie_header(response)


def test_forwarded_headers_are_ignored_without_proxy_fix(app, coordinator):
    response = app.test_client().post("/login", data={"email": coordinator.email, "password": PASSWORD},
                                      headers={"X-Forwarded-Proto": "https"})
    assert "Secure" not in set_cookie_header(response)


# --- Login throttling and account enumeration -------------------------------------------------

LIMITED = {"RATELIMIT_ENABLED": True}


def wrong_login(client, email, address="192.0.2.1"):
    return client.post("/login", data={"email": email, "password": "niet-het-wachtwoord"},
                       environ_base={"REMOTE_ADDR": address})


@pytest.mark.parametrize("app_config", [LIMITED])
def test_login_is_throttled_per_address(app, client, coordinator, app_config):
    for n in range(10):
        assert wrong_login(client, f"iemand{n}@example.org").status_code == 200
    response = wrong_login(client, "nog-iemand@example.org")
    assert response.status_code == 429
    assert "Wacht een minuut" in response.get_data(as_text=True)
    # Someone else, elsewhere, can still log in.
    assert wrong_login(client, "nog-iemand@example.org", address="192.0.2.99").status_code == 200


@pytest.mark.parametrize("app_config", [LIMITED])
def test_login_is_throttled_per_account_across_addresses(app, client, coordinator, app_config):
    for n in range(20):
        assert wrong_login(client, coordinator.email, address=f"198.51.100.{n}").status_code == 200
    assert wrong_login(client, coordinator.email, address="203.0.113.7").status_code == 429
    # The same limit holds for an address that has no account: the answer tells nothing.
    for n in range(20):
        wrong_login(client, "bestaat-niet@example.org", address=f"198.51.100.{n + 100}")
    assert wrong_login(client, "bestaat-niet@example.org", address="203.0.113.8").status_code == 429


def test_login_answer_does_not_reveal_whether_an_account_exists(app, client, coordinator):
    from wijkapp.audiences.auth import LOGIN_FAILED

    known = wrong_login(client, coordinator.email)
    unknown = wrong_login(client, "niemand@example.org")
    assert known.status_code == unknown.status_code
    known_body = known.get_data(as_text=True).replace(coordinator.email, "E")
    unknown_body = unknown.get_data(as_text=True).replace("niemand@example.org", "E")
    assert LOGIN_FAILED in known_body
    assert known_body == unknown_body


def test_inactive_account_gets_the_same_answer(app, client, coordinator):
    with app.app_context():
        db.session.get(User, coordinator.id).active = False
        db.session.commit()
    response = client.post("/login", data={"email": coordinator.email, "password": PASSWORD})
    from wijkapp.audiences.auth import LOGIN_FAILED

    assert response.status_code == 200 and LOGIN_FAILED in response.get_data(as_text=True)


# --- Passwords --------------------------------------------------------------------------------

@pytest.mark.parametrize("password", [
    "kort", "welkom123", "wachtwoord12", "voorjaar2026!", "Welkom2025!!!", "qwerty123456",
    "1qaz2wsx3edc", "aaaaaaaaaaaaaaa", "abababababababab", "feyenoord1908", "Amsterdam2026!",
    "wachtwoord wachtwoord".replace(" ", ""),
])
def test_weak_passwords_are_refused(password):
    from wijkapp.services.passwords import password_problem

    assert password_problem(password) is not None


def test_own_name_or_email_in_the_password_is_refused():
    from wijkapp.services.passwords import TOO_PERSONAL, password_problem

    assert password_problem("jansen-de-bakker-1", email="p.jansen@gemeente.nl") == TOO_PERSONAL
    assert password_problem("Marieke Zonnebloem 7", name="Marieke van Dijk") == TOO_PERSONAL


@pytest.mark.parametrize("password", [PASSWORD, "paars olifant fietst snel", "Tr0mbone-Kaasschaaf"])
def test_good_passwords_pass(password):
    from wijkapp.services.passwords import password_problem

    assert password_problem(password, email="someone@example.org", name="Sam") is None


def test_common_password_list_is_shipped_and_large():
    from wijkapp.services.passwords import common_passwords

    assert len(common_passwords()) >= 10_000
    assert {"123456", "wachtwoord", "welkom", "voorjaar2026", "feyenoord"} <= common_passwords()


def test_create_user_applies_the_password_rules(app, runner, ctx):
    def create(password):
        return runner.invoke(args=["create-user", "--email", "a.jansen@example.org", "--password", password,
                                   "--role", "host", "--partnership", "noord"])

    result = create("welkomwelkom1")
    assert result.exit_code != 0 and "veel gebruikt" in result.output
    result = create("a.jansen-2027-x")
    assert result.exit_code != 0 and "e-mailadres niet" in result.output
    assert count(User) == 0
    assert create(PASSWORD).exit_code == 0
    assert count(User) == 1


def test_setup_form_applies_the_password_rules(app, client, monkeypatch):
    from wijkapp.services import first_start

    monkeypatch.setattr(first_start, "token_matches", lambda token: token == "t")
    data = {"partnership_name": "Wijk Oost", "name": "Sam", "email": "sam@example.org",
            "password": "voorjaar2026!", "password_again": "voorjaar2026!"}
    response = client.post("/setup/t", data=data)
    assert "veel gebruikt" in response.get_data(as_text=True)
    with app.app_context():
        assert count(User) == 0 and count(Partnership) == 0
    data["password"] = data["password_again"] = "paars olifant fietst snel"
    assert client.post("/setup/t", data=data).status_code == 302
    with app.app_context():
        assert count(User) == 1


# --- Headers, templates, ProxyFix --------------------------------------------------------------

REQUIRED_CSP = ("default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'")


def assert_security_headers(response, what):
    csp = response.headers.get("Content-Security-Policy", "")
    for directive in REQUIRED_CSP:
        assert directive in csp, f"{what}: CSP lacks {directive}"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, what
    assert response.headers.get("X-Content-Type-Options") == "nosniff", what
    assert response.headers.get("Referrer-Policy") in {"same-origin", "strict-origin", "no-referrer",
                                                        "strict-origin-when-cross-origin"}, what


def test_every_kind_of_response_carries_the_security_headers(app, client, places):
    x, _y = places
    staff = logged_in_client(app, x.users[Role.COORDINATOR])
    host = logged_in_client(app, x.users[Role.HOST])
    code = _location_code(app, x)
    location = f"/p/{x.slug}/coordinator/locations/{x.objects['location']}"
    requests = {
        "page": (client.get, "/login", {}),
        "resident form": (client.get, f"/s/{code}", {}),
        "redirect": (client.get, f"/p/{x.slug}/coordinator/", {}),
        "404": (client.get, "/bestaat-niet", {}),
        "405": (client.delete, "/login", {}),
        "403": (host.get, f"/p/{x.slug}/coordinator/", {}),
        "413": (client.post, f"/s/{code}", {"data": {"text": "x" * (2 * 1024 * 1024)}}),
        "static css": (client.get, "/static/css/app.css", {}),
        "static js": (client.get, "/static/js/app.js", {}),
        "json": (client.get, "/healthz", {}),
        "csv": (staff.get, f"/p/{x.slug}/coordinator/signals.csv", {}),
        "png": (staff.get, f"{location}/qr.png", {}),
        "svg": (staff.get, f"{location}/qr.svg", {}),
        "poster": (staff.get, f"{location}/poster", {}),
    }
    for what, (send, url, kwargs) in requests.items():
        response = send(url, **kwargs)
        response.get_data()  # a streamed CSV keeps its request context until it is read
        assert response.status_code < 500, what
        assert_security_headers(response, what)


@pytest.mark.parametrize("app_config", [{"TESTING": False, "PROPAGATE_EXCEPTIONS": False}])
def test_a_server_error_carries_the_headers_and_a_dutch_page(app, app_config):
    @app.get("/boom-for-test")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/boom-for-test")
    assert response.status_code == 500
    assert_security_headers(response, "500")
    assert "boom" not in response.get_data(as_text=True)


TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"javascript:", re.IGNORECASE)


def test_templates_have_no_inline_scripts_styles_or_handlers():
    problems = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for name, pattern in (("inline <script>", INLINE_SCRIPT), ("inline style", INLINE_STYLE),
                              ("on* handler", INLINE_HANDLER), ("javascript: URL", JAVASCRIPT_URL)):
            for match in pattern.finditer(text):
                problems.append(f"{path.relative_to(TEMPLATES)}:{text[:match.start()].count(chr(10)) + 1} {name}")
    assert not problems


@pytest.mark.parametrize("app_config", [{"PROXY_FIX_HOPS": 1, **LIMITED}])
def test_proxy_fix_uses_the_forwarded_address_when_configured(app, client, app_config):
    from werkzeug.middleware.proxy_fix import ProxyFix

    assert isinstance(app.wsgi_app, ProxyFix)
    for n in range(12):  # twelve people behind one proxy: each has their own limit
        response = client.post("/login", data={"email": f"p{n}@example.org", "password": "x"},
                               headers={"X-Forwarded-For": f"203.0.113.{n}"})
        assert response.status_code == 200


@pytest.mark.parametrize("app_config", [LIMITED])
def test_forwarded_address_is_not_trusted_without_proxy_fix(app, client, app_config):
    statuses = [
        client.post("/login", data={"email": f"p{n}@example.org", "password": "x"},
                    headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code
        for n in range(11)
    ]
    assert statuses[-1] == 429  # a spoofed header does not buy a fresh limit


def test_proxy_fix_hops_come_from_the_environment(monkeypatch, tmp_path):
    from wijkapp.config import load_config

    monkeypatch.setenv("PROXY_FIX_HOPS", "2")
    assert load_config(tmp_path)["PROXY_FIX_HOPS"] == 2
    monkeypatch.delenv("PROXY_FIX_HOPS")
    assert load_config(tmp_path)["PROXY_FIX_HOPS"] == 0


# --- Rate-limit storage -----------------------------------------------------------------------

def test_rate_limits_are_configured_from_the_environment(monkeypatch, tmp_path):
    from wijkapp.config import load_config

    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    monkeypatch.delenv("RATELIMIT_ENABLED", raising=False)
    config = load_config(tmp_path)
    assert config["RATELIMIT_STORAGE_URI"] == "memory://" and config["RATELIMIT_ENABLED"] is True
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://cache:6379/2")
    monkeypatch.setenv("RATELIMIT_ENABLED", "false")
    config = load_config(tmp_path)
    assert config["RATELIMIT_STORAGE_URI"] == "redis://cache:6379/2" and config["RATELIMIT_ENABLED"] is False


def redis_uri_or_skip() -> str:
    uri = os.environ.get("TEST_RATELIMIT_STORAGE_URI", "").strip()
    if not uri.startswith("redis://"):
        uri = "redis://127.0.0.1:6379/15"
    import redis

    try:
        redis.Redis.from_url(uri, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        message = f"Redis at {uri} is not reachable ({error})"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{message}; CI must test the limiter on Redis")
        pytest.skip(f"{message}; set TEST_RATELIMIT_STORAGE_URI or start Redis to run this test")
    return uri


ATTEMPTS = {
    "login": lambda client, n: wrong_login(client, f"w{n}@example.org", address="192.0.2.50"),
    "receipt": lambda client, n: client.post("/r", data={"code": f"ABCD{n:04d}"},
                                             environ_base={"REMOTE_ADDR": "192.0.2.50"}),
    "withdraw": lambda client, n: client.get(f"/privacy/withdraw/fout{n}", environ_base={"REMOTE_ADDR": "192.0.2.50"}),
}


@pytest.mark.parametrize("attempt", list(ATTEMPTS))
def test_limits_hold_across_workers_in_redis(tmp_path, make, attempt):
    """Two app instances (two gunicorn workers) share one Redis: the 11th attempt is refused."""
    from wijkapp import create_app

    uri = redis_uri_or_skip()
    config = {"TESTING": True, "SECRET_KEY": "k", "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": True,
              "RATELIMIT_STORAGE_URI": uri, "SQLALCHEMY_DATABASE_URI": make.app.config["SQLALCHEMY_DATABASE_URI"]}
    workers = [create_app({**config, "INSTANCE_PATH": str(tmp_path / f"w{n}")}) for n in range(2)]
    with workers[0].app_context():
        limiter.reset()
    try:
        for n in range(10):
            assert ATTEMPTS[attempt](workers[n % 2].test_client(), n).status_code in (200, 404, 422)
        assert ATTEMPTS[attempt](workers[1].test_client(), 10).status_code == 429
    finally:
        with workers[0].app_context():
            limiter.reset()
