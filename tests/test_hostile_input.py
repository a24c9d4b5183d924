"""Hostile input (issue 6): every form gets the whole corpus, every page that shows it is read back.

Expected for each input: no 5xx; a clear Dutch error (422) or a stored value that equals what was
meant — NFC, without control, bidi-override and invisible formatting characters — and is shown
escaped everywhere; template syntax shows literally; nothing half stored.
"""
from __future__ import annotations

import csv
import io
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Callable
from urllib.parse import quote

import pytest
from markupsafe import escape

from tests.conftest import PASSWORD, count
from tests.data.hostile_inputs import (
    HOSTILE_INPUTS,
    MALFORMED_BODIES,
    NUMBERS_AND_DATES,
    TEMPLATE_PROBE,
    TEMPLATE_PROBE_RESULT,
    WRONG_CONTENT_TYPES,
)
from wijkapp.extensions import db
from tests.feedback_helpers import feedback_form
from tests.rounds_helpers import action_form, add_action
from wijkapp.models import (
    Action,
    ActionUpdate,
    Bundle,
    Contact,
    Conversation,
    Feedback,
    Invitation,
    Location,
    PanelSession,
    ParticipationPlan,
    Partnership,
    PlainWord,
    ReceiptLookup,
    Role,
    Round,
    Signal,
    Source,
    Theme,
    User,
)
from wijkapp.services import calendar_feed, conversations, feedback as feedback_service, rounds
from wijkapp.services.intake import ResidentContactDetails, record_signal

TODAY = date.today().isoformat()
ERROR_SUMMARY = "Er gaat iets mis"

# Independent of wijkapp.services.text on purpose: this is what "what was meant" means.
_REMOVED = {0x200B, 0x2060, 0xFEFF, 0x180E} | set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))


def meant(raw: str, single_line: bool) -> str:
    text = unicodedata.normalize("NFC", raw).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    text = "".join(
        ch for ch in text
        if ord(ch) not in _REMOVED and (ch in "\n\t" or unicodedata.category(ch) != "Cc")
    )
    if single_line:
        return " ".join(text.split())
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def has_html_specials(text: str) -> bool:
    return len(text) >= 6 and any(ch in text for ch in "<>\"'")


@dataclass
class Env:
    app: object
    partnership: Partnership
    users: dict[Role, User]
    clients: dict[Role, object]
    location: Location
    conversation_id: int
    signal_id: int
    panel_session_id: int
    round_id: int = 0
    bundle_id: int = 0
    action_id: int = 0
    draft_id: int = 0
    receipt_code: str = ""

    @property
    def base(self) -> str:
        return f"/p/{self.partnership.slug}"


@pytest.fixture
def env(app, make):
    partnership = make.partnership(name="Wijkverband Test", slug="test")
    users = {role: make.user(partnership, role, email=f"{role.value}@example.org") for role in Role}
    location = make.location(partnership, name="Buurthuis")
    with app.app_context():
        p = db.session.get(Partnership, partnership.id)
        host = db.session.get(User, users[Role.HOST].id)
        conversation = conversations.start_conversation(p, host, location.id, "", date.today())
        signal = record_signal(p, "Eerste tekst", Source.HOST_CONVERSATION, created_by=host,
                               conversation_id=conversation.id)
        panel = PanelSession(partnership_id=p.id, created_by_id=users[Role.COORDINATOR].id, topic="Panel",
                             held_on=date.today())
        db.session.add(panel)
        bundle = Bundle(partnership_id=p.id, name="Bundel")
        db.session.add(bundle)
        db.session.flush()
        signal.bundle_id = bundle.id
        resident = record_signal(p, "Bewoner", Source.RESIDENT_QR, location_id=location.id,
                                 contact=ResidentContactDetails(email="bewoner@example.org"))
        resident.bundle_id = bundle.id
        round_ = rounds.round_for_date(p, date.today())
        draft = feedback_service.draft_for(round_, None)
        db.session.commit()
        ids = conversation.id, signal.id, panel.id, round_.id, bundle.id
        receipt_code, draft_id = resident.receipt_code, draft.id
    action_id = add_action(app, partnership, ids[3], users[Role.HOST].id, bundle_id=ids[4])
    clients = {}
    for role, user in users.items():
        clients[role] = app.test_client()
        assert clients[role].post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    return Env(app, partnership, users, clients, location, *ids, action_id=action_id, draft_id=draft_id,
               receipt_code=receipt_code)


def latest(model, column):
    return lambda env: db.session.scalar(db.select(column).order_by(model.id.desc()).limit(1))


def of(model, column, id_attr):
    def read(env):
        target = getattr(env, id_attr)
        return db.session.scalar(db.select(column).where(model.id == getattr(target, "id", target)))
    return read


@dataclass
class TextForm:
    name: str
    role: Role | None  # None: the public resident form
    path: Callable[[Env], str]
    field: str
    data: dict
    stored: Callable[[Env], str]
    counted: type
    max_length: int
    single_line: bool = False
    required: bool = True
    pages: list[Callable[[Env], str]] = field(default_factory=list)
    duplicate: str = ""  # the message when a unique value is posted twice (themes, bundle names)
    expect: Callable[[str], str] = lambda text: text  # what the view does on top (a lower-cased word)
    refused_status: int = 422

    def data_for(self, env: Env) -> dict:
        return self.data(env) if callable(self.data) else self.data


SIGNAL_PAGES = [lambda e: f"{e.base}/coordinator/signals", lambda e: f"{e.base}/coordinator/signals?page=2"]

TEXT_FORMS = [
    TextForm("resident form", None, lambda e: f"/s/{e.location.code}", "text", {"theme": "0"},
             latest(Signal, Signal.text), Signal, 500, pages=SIGNAL_PAGES),
    TextForm("host quick entry", Role.HOST, lambda e: f"{e.base}/host/conversations/{e.conversation_id}", "text",
             {"theme": "0"}, latest(Signal, Signal.text), Signal, 500,
             pages=[lambda e: f"{e.base}/host/conversations/{e.conversation_id}", *SIGNAL_PAGES]),
    TextForm("host signal edit", Role.HOST, lambda e: f"{e.base}/host/signals/{e.signal_id}/edit", "text",
             {"theme": "0"}, of(Signal, Signal.text, "signal_id"), Signal, 500,
             pages=[lambda e: f"{e.base}/host/signals/{e.signal_id}/edit"]),
    TextForm("micro-survey", Role.PROFESSIONAL, lambda e: f"{e.base}/professional/", "answer_1",
             {"answer_2": "", "location": "0", "theme": "0"}, latest(Signal, Signal.text), Signal, 500,
             pages=[lambda e: f"{e.base}/professional/", *SIGNAL_PAGES]),
    TextForm("expert", Role.ERVARINGSDESKUNDIGE, lambda e: f"{e.base}/expert/", "text",
             {"location": "0", "theme": "0"}, latest(Signal, Signal.text), Signal, 500,
             pages=[lambda e: f"{e.base}/expert/"]),
    TextForm("panel session entry", Role.COORDINATOR,
             lambda e: f"{e.base}/coordinator/panel-sessions/{e.panel_session_id}", "text", {"theme": "0"},
             latest(Signal, Signal.text), Signal, 500,
             pages=[lambda e: f"{e.base}/coordinator/panel-sessions/{e.panel_session_id}"]),
    TextForm("new location name", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/locations", "name",
             {"description": "", "is_active": "y"}, latest(Location, Location.name), Location, 120,
             single_line=True, pages=[lambda e: f"{e.base}/coordinator/locations"]),
    TextForm("location description", Role.COORDINATOR,
             lambda e: f"{e.base}/coordinator/locations/{e.location.id}", "description",
             {"name": "Buurthuis", "is_active": "y"}, of(Location, Location.description, "location"), Location,
             500, required=False,
             pages=[lambda e: f"{e.base}/coordinator/locations/{e.location.id}", lambda e: f"/s/{e.location.code}"]),
    TextForm("location rename", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/locations/{e.location.id}",
             "name", {"description": "", "is_active": "y"}, of(Location, Location.name, "location"), Location,
             120, single_line=True,
             pages=[lambda e: f"{e.base}/coordinator/locations/{e.location.id}/poster",
                    lambda e: f"/s/{e.location.code}", lambda e: f"{e.base}/coordinator/"]),
    TextForm("theme", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/themes", "name", {},
             latest(Theme, Theme.name), Theme, 60, single_line=True, duplicate="Dit thema bestaat al.",
             pages=[lambda e: f"{e.base}/coordinator/themes", lambda e: f"/s/{e.location.code}"]),
    TextForm("micro question", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/micro-survey", "question_1",
             {"question_2": "Vraag twee?"}, lambda e: db.session.get(Partnership, e.partnership.id).micro_question_1,
             Partnership, 200, single_line=True,
             pages=[lambda e: f"{e.base}/coordinator/micro-survey", lambda e: f"{e.base}/professional/"]),
    TextForm("panel session topic", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/panel-sessions", "topic",
             {"kind": "panel", "theme": "0", "held_on": TODAY, "core_attendees": "3", "extra_attendees": "0"},
             latest(PanelSession, PanelSession.topic), PanelSession, 120, single_line=True,
             pages=[lambda e: f"{e.base}/coordinator/panel-sessions"]),
    TextForm("conversation place", Role.HOST, lambda e: f"{e.base}/host/conversations", "place",
             {"location": "0", "held_on": TODAY}, latest(Conversation, Conversation.place), Conversation, 120,
             single_line=True, pages=[lambda e: f"{e.base}/host/"]),
]


# --- the forms merged with bundling, rounds, actions, feedback and privacy --------------------

def _db(env: Env, work):
    with env.app.app_context():
        result = work()
        db.session.commit()
        return result


def fresh_signal(env: Env) -> str:
    """An unbundled signal of the current round: a new bundle needs one."""
    return str(_db(env, lambda: record_signal(db.session.get(Partnership, env.partnership.id), "Los signaal",
                                              Source.RESIDENT_QR).id))


def bundle_in_bundle(env: Env) -> list[str]:
    """A signal added to the env's bundle, to split off: and the bundle's version."""
    def work():
        signal = record_signal(db.session.get(Partnership, env.partnership.id), "Nog een", Source.RESIDENT_QR)
        signal.bundle_id = env.bundle_id
        return str(signal.id)
    return [_db(env, work), _db(env, lambda: str(db.session.get(Bundle, env.bundle_id).version))]


def version_of_bundle(env: Env) -> str:
    return _db(env, lambda: str(db.session.get(Bundle, env.bundle_id).version))


def version_of_action(env: Env) -> str:
    return _db(env, lambda: str(db.session.get(Action, env.action_id).version))


def version_of_plan(env: Env) -> str:
    return _db(env, lambda: str(db.session.scalar(
        db.select(db.func.coalesce(db.func.max(ParticipationPlan.version), 0))
        .where(ParticipationPlan.partnership_id == env.partnership.id, ParticipationPlan.theme_id.is_(None)))))


def running_action(env: Env) -> None:
    def work():
        db.session.get(Action, env.action_id).status = "bezig"
    _db(env, work)


def no_plain_words(env: Env) -> None:
    """Saving a word again changes its row: start empty, so the latest row is the one just posted."""
    _db(env, lambda: db.session.execute(db.delete(PlainWord)))


def beheerder(env: Env) -> None:
    """The env's coordinator becomes the instance's beheerder, who makes partnerships."""
    def work():
        db.session.get(User, env.users[Role.COORDINATOR].id).is_instance_admin = True
    _db(env, work)


def action_data(env: Env, **changes) -> dict:
    return action_form(env.users[Role.HOST].id, over_limit_reason="Het moet", confirm_dates="y",
                       bundle_id=str(env.bundle_id), **changes)


PLAN = {"question": "Hoe maken we de straat veiliger?", "target_group": "", "intended_change": "",
        "noticeable_when": "", "base_form": "A", "where_when": "", "organiser": "", "agenda_moment": "",
        "decider": "", "follow_up_actions": "", "feedback_what": "Wat we deden", "feedback_channel_when": "Inloop",
        "feedback_owner": "Sam"}
RETENTION = {"contact_days_after_feedback": "30", "contact_max_months": "12", "privacy_contact": ""}


def round_pages(*extra):
    return [lambda e: f"{e.base}/coordinator/top5", lambda e: f"{e.base}/coordinator/rounds/{e.round_id}/meeting",
            lambda e: f"{e.base}/coordinator/rounds/{e.round_id}/agenda",
            lambda e: f"{e.base}/coordinator/rounds/{e.round_id}/agenda.txt", *extra]


def latest_bundle_page(e):
    bundle_id = _db(e, lambda: db.session.scalar(db.select(db.func.max(Bundle.id))))
    return f"{e.base}/coordinator/bundles/{bundle_id}"


def latest_action_page(e):
    action_id = _db(e, lambda: db.session.scalar(db.select(db.func.max(Action.id))))
    return f"{e.base}/coordinator/actions/{action_id}"


BUNDLE_DUPLICATE = "Er is al een bundel met deze naam"
ACTION_PAGES = [lambda e: f"{e.base}/coordinator/actions/{e.action_id}",
                lambda e: f"{e.base}/coordinator/actions/{e.action_id}/practice",
                lambda e: f"{e.base}/mine/actions/{e.action_id}", lambda e: f"{e.base}/mine/"]
PUBLIC_FEEDBACK_PAGES = [lambda e: f"/w/{e.partnership.slug}", lambda e: f"/w/{e.partnership.slug}/{e.location.code}",
                         lambda e: f"/r/{e.receipt_code}"]

CONTACT_NUMBERS = itertools.count()  # every contact needs its own address, or it is a duplicate

TEXT_FORMS += [
    TextForm("new bundle name", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/bundles", "name",
             lambda e: {"action": "new", "theme": "0", "bundle": "0", "signal_ids": fresh_signal(e)},
             latest(Bundle, Bundle.name), Bundle, 120, single_line=True, duplicate=BUNDLE_DUPLICATE,
             pages=[lambda e: f"{e.base}/coordinator/bundles", latest_bundle_page]),
    TextForm("bundle rename", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/bundles/{e.bundle_id}/edit", "name",
             lambda e: {"theme": "0", "description": "", "version": version_of_bundle(e)},
             of(Bundle, Bundle.name, "bundle_id"), Bundle, 120, single_line=True, duplicate=BUNDLE_DUPLICATE,
             pages=[lambda e: f"{e.base}/coordinator/bundles/{e.bundle_id}", *round_pages(*PUBLIC_FEEDBACK_PAGES[2:])]),
    TextForm("bundle description", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/bundles/{e.bundle_id}/edit",
             "description", lambda e: {"theme": "0", "name": "Bundel", "version": version_of_bundle(e)},
             of(Bundle, Bundle.description, "bundle_id"), Bundle, 1000, required=False,
             pages=[lambda e: f"{e.base}/coordinator/bundles/{e.bundle_id}"]),
    TextForm("bundle split name", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/bundles/{e.bundle_id}/signals",
             "name", lambda e: dict(zip(("signal_ids", "version"), bundle_in_bundle(e)), action="split", target="0"),
             latest(Bundle, Bundle.name), Bundle, 120, single_line=True, duplicate=BUNDLE_DUPLICATE,
             pages=[latest_bundle_page]),
    TextForm("new action title", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/rounds/{e.round_id}/actions/new",
             "title", action_data, latest(Action, Action.title), Action, 200, single_line=True,
             pages=[latest_action_page, *round_pages(lambda e: f"{e.base}/coordinator/actions")]),
    TextForm("new action signal summary", Role.COORDINATOR,
             lambda e: f"{e.base}/coordinator/rounds/{e.round_id}/actions/new", "signal_summary", action_data,
             latest(Action, Action.signal_summary), Action, 2000, pages=[latest_action_page]),
    TextForm("action edit", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/actions/{e.action_id}/edit",
             "feedback_sentence", lambda e: action_data(e, version=version_of_action(e)),
             of(Action, Action.feedback_sentence, "action_id"), Action, 300, single_line=True,
             pages=[*ACTION_PAGES, *PUBLIC_FEEDBACK_PAGES[2:], *round_pages()]),
    TextForm("action update", Role.HOST, lambda e: f"{e.base}/mine/actions/{e.action_id}", "text",
             {"status": "gepland", "stop_reason": ""}, latest(ActionUpdate, ActionUpdate.text), ActionUpdate, 1000,
             pages=ACTION_PAGES),
    TextForm("action stop reason", Role.HOST, lambda e: f"{e.base}/mine/actions/{e.action_id}", "stop_reason",
             lambda e: running_action(e) or {"status": "gestopt", "text": ""},
             of(Action, Action.stop_reason, "action_id"), ActionUpdate, 1000,
             pages=[*ACTION_PAGES, lambda e: f"/r/{e.receipt_code}"]),
    TextForm("plan question", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/plan/edit", "question",
             lambda e: {**PLAN, "based_on": version_of_plan(e)}, latest(ParticipationPlan, ParticipationPlan.question),
             ParticipationPlan, 300, single_line=True,
             pages=[lambda e: f"{e.base}/coordinator/plan", lambda e: f"{e.base}/coordinator/plan/history"]),
    TextForm("plan target group", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/plan/edit", "target_group",
             lambda e: {**PLAN, "based_on": version_of_plan(e)},
             latest(ParticipationPlan, ParticipationPlan.target_group), ParticipationPlan, 1000, required=False,
             pages=[lambda e: f"{e.base}/coordinator/plan", lambda e: f"{e.base}/coordinator/plan/history"]),
    TextForm("feedback draft", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/rounds/{e.round_id}/feedback",
             "heard", feedback_form(), of(Feedback, Feedback.heard, "draft_id"), Feedback, 4000, required=False,
             pages=[lambda e: f"{e.base}/coordinator/rounds/{e.round_id}/feedback",
                    lambda e: f"{e.base}/expert/feedback/{e.draft_id}"]),
    TextForm("feedback publish", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/rounds/{e.round_id}/feedback",
             "done", feedback_form(publish="1", confirm_unreviewed="y"),
             latest(Feedback, Feedback.done), Feedback, 4000,
             pages=[*PUBLIC_FEEDBACK_PAGES, lambda e: f"{e.base}/coordinator/rounds/{e.round_id}/feedback"]),
    TextForm("plain word", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/plain-words", "word",
             lambda e: no_plain_words(e) or {"alternative": "gewoon"}, latest(PlainWord, PlainWord.word), PlainWord, 80,
             single_line=True,
             expect=str.lower, pages=[lambda e: f"{e.base}/coordinator/plain-words"]),
    TextForm("plain word alternative", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/plain-words",
             "alternative", {"word": "ambtelijk"}, latest(PlainWord, PlainWord.alternative), PlainWord, 200,
             single_line=True, pages=[lambda e: f"{e.base}/coordinator/plain-words",
                                      lambda e: f"{e.base}/coordinator/rounds/{e.round_id}/feedback"]),
    TextForm("expert review comment", Role.ERVARINGSDESKUNDIGE, lambda e: f"{e.base}/expert/feedback/{e.draft_id}",
             "comment", {"decision": "return"}, of(Feedback, Feedback.review_comment, "draft_id"), Feedback, 2000,
             pages=[lambda e: f"{e.base}/coordinator/rounds/{e.round_id}/feedback"]),
    TextForm("privacy contact", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/privacy", "privacy_contact",
             RETENTION, lambda e: db.session.get(Partnership, e.partnership.id).privacy_contact, Partnership, 200,
             single_line=True, required=False,
             pages=[lambda e: f"{e.base}/coordinator/privacy", lambda e: f"/privacy/{e.partnership.slug}"]),
    TextForm("team invitation name", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/team", "name",
             {"email": "nieuw@example.org", "roles": "host"}, latest(Invitation, Invitation.name), Invitation, 120,
             single_line=True, pages=[lambda e: f"{e.base}/coordinator/team"]),
    TextForm("contact name", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/team/contacts", "contact-name",
             lambda e: {"contact-email": f"contact-{next(CONTACT_NUMBERS)}@example.org"},
             latest(User, User.name), Contact, 120, single_line=True, pages=[lambda e: f"{e.base}/coordinator/team"]),
    TextForm("contact organisation", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/team/contacts",
             "contact-organisation",
             lambda e: {"contact-name": "Ria", "contact-email": f"org-{next(CONTACT_NUMBERS)}@example.org"},
             latest(Contact, Contact.organisation), Contact, 120, single_line=True, required=False,
             pages=[lambda e: f"{e.base}/coordinator/team"]),
    TextForm("setup wizard location", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/setup/locations", "names-0",
             {}, latest(Location, Location.name), Location, 120, single_line=True, duplicate="Deze locatie bestaat al.",
             pages=[lambda e: f"{e.base}/coordinator/setup/locations", lambda e: f"{e.base}/coordinator/locations"]),
    TextForm("setup wizard theme", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/setup/themes", "names-0",
             {}, latest(Theme, Theme.name), Theme, 60, single_line=True,
             pages=[lambda e: f"{e.base}/coordinator/setup/themes", lambda e: f"{e.base}/coordinator/themes",
                    lambda e: f"/s/{e.location.code}"]),
    TextForm("setup wizard feedback owner", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/setup/plan",
             "feedback_owner", {k: PLAN[k] for k in ("question", "feedback_what", "feedback_channel_when")},
             latest(ParticipationPlan, ParticipationPlan.feedback_owner), ParticipationPlan, 200, single_line=True,
             pages=[lambda e: f"{e.base}/coordinator/setup/plan", lambda e: f"{e.base}/coordinator/plan"]),
    TextForm("beheerder: new partnership name", Role.COORDINATOR, lambda e: "/admin/partnerships",
             "partnership_name", lambda e: beheerder(e) or {"neighbourhood": "", "name": "Kees",
                                                            "email": "kees@example.org"},
             latest(Partnership, Partnership.name), Partnership, 120, single_line=True,
             pages=[lambda e: "/admin/partnerships"]),
    TextForm("beheerder: first coordinator's name", Role.COORDINATOR, lambda e: "/admin/partnerships", "name",
             lambda e: beheerder(e) or {"partnership_name": "Zuid", "neighbourhood": "", "email": "kees@example.org"},
             latest(Invitation, Invitation.name), Invitation, 120, single_line=True,
             pages=[lambda e: "/admin/partnerships"]),
    TextForm("own account name", Role.ERVARINGSDESKUNDIGE, lambda e: "/account/name", "name", {},
             lambda e: db.session.get(User, e.users[Role.ERVARINGSDESKUNDIGE].id).name, User, 120, single_line=True,
             pages=[lambda e: f"{e.base}/coordinator/team"]),  # where colleagues read the name
]


# Not part of a longer number: a time stamp like 23:37:51.401337 is no evaluated template.
EVALUATED = re.compile(rf"(?<![\d.]){TEMPLATE_PROBE_RESULT}(?!\d)")


def assert_page_is_safe(body: str, stored: list[str], where: str) -> None:
    assert not EVALUATED.search(body), f"{where}: template syntax was evaluated"
    for text in stored:
        if has_html_specials(text):
            assert text not in body, f"{where}: shown unescaped: {text!r}"


@pytest.mark.parametrize("form", TEXT_FORMS, ids=lambda f: f.name)
def test_every_hostile_input_in_every_text_form(app, env, form):
    client = app.test_client() if form.role is None else env.clients[form.role]
    problems, stored = [], []
    for n, (category, raw) in enumerate(HOSTILE_INPUTS):
        expected = meant(raw, form.single_line)
        expected = form.expect(expected)
        data = {**form.data_for(env), form.field: raw, "submission_token": f"hostile-{n}"}
        if form.role is None:  # each input from its own browser: the same words twice from one are a resend
            client = app.test_client()
        with app.app_context():
            before = count(form.counted)
        response = client.post(form.path(env), data=data)
        body = response.get_data(as_text=True)
        with app.app_context():
            after, value = count(form.counted), form.stored(env)
        should_refuse = (form.required and not expected) or len(expected) > form.max_length
        duplicate = bool(form.duplicate) and form.duplicate in body
        if response.status_code >= 500:
            problems.append((category, raw[:40], response.status_code, "server error"))
        elif should_refuse or duplicate:
            if response.status_code != form.refused_status or ERROR_SUMMARY not in body:
                problems.append((category, raw[:40], response.status_code, "expected a Dutch 422"))
            if after != before:
                problems.append((category, raw[:40], "stored although refused"))
        elif response.status_code not in (302, 303):
            problems.append((category, raw[:40], response.status_code, "refused though fine", body[:0]))
        elif value != expected:
            problems.append((category, raw[:40], "stored", value[:60] if value else value, "meant", expected[:60]))
        else:
            stored.append(value)
        if response.status_code == 422:
            assert_page_is_safe(body, [raw, expected], f"{form.name} re-render of {raw[:30]!r}")
    assert not problems, problems[:10]
    # The probe last, so pages that show only the latest value show it too.
    probe = client.post(form.path(env), data={**form.data_for(env), form.field: TEMPLATE_PROBE,
                                              "submission_token": "probe"})
    already_there = bool(form.duplicate) and form.duplicate in probe.get_data(as_text=True)  # the corpus has it
    assert probe.status_code in (302, 303) or already_there, "the template probe was refused"
    shown = ""
    for page in form.pages:
        url = page(env)
        response = page_client(env, form).get(url)
        if response.status_code in (403, 404):  # a page of another area: the coordinator reads it
            response = env.clients[Role.COORDINATOR].get(url)
        if url.startswith("/") and not url.startswith(("/p/", "/admin/")):
            response = app.test_client().get(url)  # residents' pages: no login
        assert response.status_code == 200, url
        body = response.get_data(as_text=True)
        if url.endswith(".txt"):  # plain text is not HTML: the text is shown as it was meant
            assert not EVALUATED.search(body) and TEMPLATE_PROBE in body, url
        else:
            assert_page_is_safe(body, stored, url)
        shown += body
    if form.pages:
        assert TEMPLATE_PROBE in shown, "the template probe is not shown literally"


def page_client(env, form):
    return env.clients[form.role or Role.COORDINATOR]


def test_stored_signals_are_escaped_in_the_list_and_exact_in_the_csv(app, env):
    coordinator = env.clients[Role.COORDINATOR]
    expected = []
    for n, (_category, raw) in enumerate(HOSTILE_INPUTS):
        response = app.test_client().post(f"/s/{env.location.code}",
                                          data={"text": raw, "theme": "0", "submission_token": f"csv-{n}"})
        if response.status_code == 302:
            expected.append(meant(raw, single_line=False))
    shown = ""
    for page in range(1, len(expected) // 100 + 3):
        response = coordinator.get(f"{env.base}/coordinator/signals?page={page}")
        assert response.status_code in (200, 404)
        shown += response.get_data(as_text=True)
    assert_page_is_safe(shown, expected, "signal list")
    for text in expected:
        assert str(escape(text)) in shown, f"not shown: {text[:40]!r}"
    response = coordinator.get(f"{env.base}/coordinator/signals.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    cells = {row[4] for row in rows[1:]}
    for text in expected:
        cell = "'" + text if text[0] in "=+-@\t\r" else text
        assert cell in cells, f"CSV cell differs for {text[:40]!r}"
    assert not any(cell[:1] in "=+-@" for cell in cells)


def test_emoji_joiners_survive_and_invisible_tricks_do_not(app, env):
    client = app.test_client()
    family, flag = "Familie 👨‍👩‍👧‍👦", "Vlag 🏴󠁧󠁢󠁳󠁣󠁴󠁿"
    for n, raw in enumerate([family, flag, "Ver\u200bkeer\ufeff", "\u202eomgekeerd", "cafe\u0301"]):
        client.post(f"/s/{env.location.code}", data={"text": raw, "theme": "0", "submission_token": f"e{n}"})
    with app.app_context():
        texts = list(db.session.scalars(db.select(Signal.text).where(Signal.source == "resident_qr")
                                        .order_by(Signal.id)))
    assert texts[-5:] == [family, flag, "Verkeer", "omgekeerd", "café"]


def test_a_theme_cannot_be_doubled_with_invisible_characters(app, env):
    client = env.clients[Role.COORDINATOR]
    response = client.post(f"{env.base}/coordinator/themes", data={"name": "Ver\u200bkeer"})
    assert response.status_code == 422 and "Dit thema bestaat al." in response.get_data(as_text=True)


NUMBER_FIELDS = [
    ("close conversation", Role.HOST, lambda e: f"{e.base}/host/conversations/{e.conversation_id}/close",
     "people_spoken", {}),
    ("panel core attendees", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/panel-sessions",
     "core_attendees", {"kind": "panel", "topic": "T", "theme": "0", "held_on": TODAY, "extra_attendees": "0"}),
    ("panel date", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/panel-sessions",
     "held_on", {"kind": "panel", "topic": "T", "theme": "0", "core_attendees": "1", "extra_attendees": "0"}),
    ("conversation date", Role.HOST, lambda e: f"{e.base}/host/conversations", "held_on",
     {"location": "0", "place": "Markt"}),
    ("theme choice", Role.ERVARINGSDESKUNDIGE,
     lambda e: f"{e.base}/expert/", "theme", {"text": "Signaal", "location": "0"}),
    ("location choice", Role.PROFESSIONAL, lambda e: f"{e.base}/professional/", "location",
     {"answer_1": "Antwoord", "answer_2": "", "theme": "0"}),
    ("panel kind", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/panel-sessions",
     "kind", {"topic": "T", "theme": "0", "held_on": TODAY, "core_attendees": "1", "extra_attendees": "0"}),
]


# Bundle forms answer a refused choice with a message on the page they came from (303), and an id
# of nothing with 404; an action or bundle edited meanwhile with 409 or the fresh page.
BUNDLE_ANSWERS = (302, 303, 404)
NUMBER_FIELDS += [
    ("round cadence", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/rounds/cadence", "cadence", {}),
    ("open round start", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/rounds/open", "starts_on",
     {"meeting_on": ""}),
    ("open round meeting", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/rounds/open", "meeting_on",
     {"starts_on": "2099-01-01"}),
    ("meeting date", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/rounds/{e.round_id}/meeting-date",
     "meeting_on", {}),
    ("choosing score", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/rounds/{e.round_id}/choose",
     lambda e: f"feasibility_{e.bundle_id}", lambda e: {f"impact_{e.bundle_id}": "3"}),
    ("action owner", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/rounds/{e.round_id}/actions/new",
     "owner_id", action_data),
    ("action bundle", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/rounds/{e.round_id}/actions/new",
     "bundle_id", action_data),
    ("action first step date", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/rounds/{e.round_id}/actions/new",
     "first_step_on", action_data),
    ("action impact", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/rounds/{e.round_id}/actions/new",
     "impact", action_data),
    ("action edit check date", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/actions/{e.action_id}/edit",
     "check_on", lambda e: action_data(e, version=version_of_action(e))),
    ("action edit version", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/actions/{e.action_id}/edit",
     "version", action_data, (302, 409)),
    ("action status", Role.HOST, lambda e: f"{e.base}/mine/actions/{e.action_id}", "status",
     {"text": "Gedaan", "stop_reason": "Klaar"}),
    ("workspace bundle", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/bundles", "bundle",
     lambda e: {"action": "add", "name": "", "theme": "0", "signal_ids": fresh_signal(e)}, BUNDLE_ANSWERS),
    ("workspace signals", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/bundles", "signal_ids",
     {"action": "new", "name": "Nieuw", "theme": "0", "bundle": "0"}, BUNDLE_ANSWERS),
    ("workspace action button", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/bundles", "action",
     lambda e: {"name": "Nieuw", "theme": "0", "bundle": "0", "signal_ids": fresh_signal(e)}, BUNDLE_ANSWERS),
    ("bundle move target", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/bundles/{e.bundle_id}/signals",
     "target", lambda e: {"action": "move", "signal_ids": str(e.signal_id), "version": version_of_bundle(e)},
     BUNDLE_ANSWERS),
    ("bundle signals version", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/bundles/{e.bundle_id}/signals",
     "version", lambda e: {"action": "split", "name": "Apart", "signal_ids": str(e.signal_id)}, BUNDLE_ANSWERS),
    ("bundle merge target", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/bundles/{e.bundle_id}/merge",
     "target", lambda e: {"version": version_of_bundle(e)}, BUNDLE_ANSWERS),
    ("bundle edit theme", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/bundles/{e.bundle_id}/edit", "theme",
     lambda e: {"name": "Bundel", "description": "", "version": version_of_bundle(e)}, BUNDLE_ANSWERS),
    ("accept suggestion signal", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/bundles/suggestions/accept",
     "signal_id", lambda e: {"bundle_id": str(e.bundle_id)}, BUNDLE_ANSWERS),
    ("accept suggestion bundle", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/bundles/suggestions/accept",
     "bundle_id", lambda e: {"signal_id": fresh_signal(e)}, BUNDLE_ANSWERS),
    ("accept group signals", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/bundles/suggestions/accept-group",
     "signal_ids", {"name": "Groep"}, BUNDLE_ANSWERS),
    ("accept group name", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/bundles/suggestions/accept-group",
     "name", lambda e: {"signal_ids": fresh_signal(e)}, BUNDLE_ANSWERS),
    ("feedback next update", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/rounds/{e.round_id}/feedback",
     "next_update_on", feedback_form()),
    ("review decision", Role.ERVARINGSDESKUNDIGE, lambda e: f"{e.base}/expert/feedback/{e.draft_id}", "decision",
     {"comment": "Korter graag"}),
    ("plan base form", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/plan/edit", "base_form",
     lambda e: {**PLAN, "based_on": version_of_plan(e)}),
    ("plan version", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/plan/edit", "based_on", PLAN, (302, 409)),
    ("retention days", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/privacy", "contact_days_after_feedback",
     RETENTION),
    ("retention months", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/privacy", "contact_max_months",
     RETENTION),
    ("erase confirmation", Role.COORDINATOR, lambda e: f"{e.base}/coordinator/privacy/{e.receipt_code}/erase",
     "confirm", {}),
]
COUNTED = (Signal, PanelSession, Conversation, Round, Bundle, Action, ActionUpdate, Feedback, ParticipationPlan)


def _counts(app):
    with app.app_context():
        return [count(model) for model in COUNTED]


@pytest.mark.parametrize("entry", NUMBER_FIELDS, ids=[f[0] for f in NUMBER_FIELDS])
def test_numbers_dates_and_choices_refuse_hostile_input(app, env, entry):
    name, role, path, field_name, data, *answers = entry
    allowed = answers[0] if answers else (302,)
    client = env.clients[role]
    inputs = NUMBERS_AND_DATES + [raw for category, raw in HOSTILE_INPUTS if category in {"sql", "script", "template"}]
    for raw in inputs:
        values = data(env) if callable(data) else data
        key = field_name(env) if callable(field_name) else field_name
        before = _counts(app)
        response = client.post(path(env), data={**values, key: raw})
        assert response.status_code < 500, (name, raw)
        body = response.get_data(as_text=True)
        assert_page_is_safe(body, [raw], name)
        if response.status_code in (409, 422):
            assert ERROR_SUMMARY in body or "Iemand anders" in body or "intussen" in body, (name, raw)
            assert _counts(app) == before, (name, raw)
        else:
            assert response.status_code in allowed, (name, raw, response.status_code)
    with app.app_context():
        people = db.session.get(Conversation, env.conversation_id).people_spoken
        assert people is None or isinstance(people, int)


def test_login_with_hostile_input_never_fails_badly(app, env):
    client = app.test_client()
    for _category, raw in HOSTILE_INPUTS:
        response = client.post("/login", data={"email": raw, "password": raw})
        assert response.status_code == 200, raw[:40]
        assert_page_is_safe(response.get_data(as_text=True), [raw], "login")
        assert client.get(f"{env.base}/coordinator/").status_code == 302


def test_email_fields_of_team_and_password_reset_with_hostile_input(app, env):
    """An address field that finds an account (reset, invitation, new address) never fails badly,
    and what it stores is an address."""
    anonymous = app.test_client()
    coordinator = env.clients[Role.COORDINATOR]
    for _category, raw in HOSTILE_INPUTS:
        assert anonymous.post("/password/forgot", data={"email": raw}).status_code in (200, 422), raw[:40]
        invited = coordinator.post(f"{env.base}/coordinator/team", data={"name": "X", "email": raw, "roles": "host"})
        assert invited.status_code in (302, 422), raw[:40]
        assert_page_is_safe(invited.get_data(as_text=True), [raw], "team")
        changed = coordinator.post("/account/email", data={"new_email": raw, "current_password": PASSWORD})
        assert changed.status_code in (302, 422), raw[:40]
    with app.app_context():
        for email in db.session.scalars(db.select(Invitation.email)):
            assert re.fullmatch(r"[^\s<>\"',;]+@[^\s<>\"',;]+", email), email


def test_resident_email_with_hostile_input(app, env):
    client = app.test_client()
    for n, (_category, raw) in enumerate(HOSTILE_INPUTS):
        response = client.post(f"/s/{env.location.code}", data={
            "text": "Signaal", "theme": "0", "wants_update": "y", "email": raw, "submission_token": f"m{n}"})
        assert response.status_code in (302, 422), raw[:40]
    from wijkapp.models import ResidentContact

    with app.app_context():
        for email in db.session.scalars(db.select(ResidentContact.email)):
            assert re.fullmatch(r"[^\s<>\"',;]+@[^\s<>\"',;]+", email), email


def test_filters_via_get_with_hostile_input(app, env):
    client = env.clients[Role.COORDINATOR]
    names = ["round", "date_from", "date_to", "location", "source", "form", "theme", "page"]
    for _category, raw in HOSTILE_INPUTS:
        for path in ("signals", "signals.csv"):
            response = client.get(f"{env.base}/coordinator/{path}", query_string={name: raw for name in names})
            assert response.status_code in (200, 404), (raw[:40], response.status_code)
            body = response.get_data(as_text=True)
            if path == "signals":
                assert_page_is_safe(body, [raw], "signal filters")
    with app.app_context():
        assert count(Signal) == 2  # the fixture's


FORM_POSTS = [
    lambda e: f"/s/{e.location.code}",
    lambda e: f"{e.base}/host/conversations/{e.conversation_id}",
    lambda e: f"{e.base}/expert/",
    lambda e: f"{e.base}/coordinator/locations",
    lambda e: f"{e.base}/coordinator/bundles",
    lambda e: f"{e.base}/coordinator/rounds/{e.round_id}/actions/new",
    lambda e: f"{e.base}/coordinator/rounds/{e.round_id}/feedback",
    lambda e: f"{e.base}/coordinator/plan/edit",
    lambda e: f"{e.base}/coordinator/privacy",
    lambda e: f"{e.base}/mine/actions/{e.action_id}",
    "/login",
    "/r",
]


@pytest.mark.parametrize("body", MALFORMED_BODIES, ids=lambda b: repr(b[:16]))
def test_malformed_bodies_are_refused_politely(app, env, body):
    client = env.clients[Role.COORDINATOR]
    for path in FORM_POSTS:
        url = path if isinstance(path, str) else path(env)
        with app.app_context():
            before = count(Signal), count(Location)
        response = client.post(url, data=body, content_type="application/x-www-form-urlencoded")
        assert response.status_code < 500, url
        with app.app_context():
            stored = db.session.scalar(db.select(Signal).order_by(Signal.id.desc()).limit(1))
            if count(Signal) != before[0]:
                assert "\x00" not in stored.text and unicodedata.is_normalized("NFC", stored.text)


@pytest.mark.parametrize("content_type,body", WRONG_CONTENT_TYPES, ids=[c for c, _ in WRONG_CONTENT_TYPES])
def test_wrong_content_types_are_refused_politely(app, env, content_type, body):
    client = env.clients[Role.COORDINATOR]
    for path in FORM_POSTS:
        url = path if isinstance(path, str) else path(env)
        with app.app_context():
            before = count(Signal)
        response = client.post(url, data=body, content_type=content_type)
        assert response.status_code < 500, (url, content_type)
        if response.status_code == 422:
            with app.app_context():
                assert count(Signal) == before


def test_a_10_mb_body_gets_the_friendly_413_page(app, env):
    for url in (f"/s/{env.location.code}", "/login", f"{env.base}/expert/"):
        client = app.test_client() if url != f"{env.base}/expert/" else env.clients[Role.ERVARINGSDESKUNDIGE]
        response = client.post(url, data={"text": "x" * (10 * 1024 * 1024)})
        assert response.status_code == 413, url
        assert "Dat is te veel tekst" in response.get_data(as_text=True)
        response = client.post(url, data=b"x" * (10 * 1024 * 1024), content_type="application/octet-stream")
        assert response.status_code == 413, url
    with app.app_context():
        assert count(Signal) == 2  # only the two the fixture made


def test_the_corpus_is_large_and_varied():
    categories = {category for category, _ in HOSTILE_INPUTS}
    assert len(HOSTILE_INPUTS) + len(MALFORMED_BODIES) + len(WRONG_CONTENT_TYPES) + 1 >= 200
    assert {"script", "attribute", "sql", "template", "bidi", "combining", "emoji", "control", "length"} <= categories


def stays_here(response) -> bool:
    """Werkzeug merges double slashes (//evil.example) with a 308 to the same site, never elsewhere."""
    return response.status_code == 308 and response.location.startswith(("http://localhost/", "/"))


def test_receipt_look_up_with_hostile_input(app, env):
    """Residents type codes by hand: anything else is a Dutch 422 or a kind 404, and names nobody."""
    client = app.test_client()
    for _category, raw in HOSTILE_INPUTS:
        response = client.post("/r", data={"code": raw})
        assert response.status_code in (302, 422), raw[:40]
        body = response.get_data(as_text=True)
        assert_page_is_safe(body, [raw], "receipt look-up")
        if response.status_code == 422:
            assert ERROR_SUMMARY in body
        link = client.get("/r/" + quote(raw[:200], safe=""))
        assert link.status_code in (302, 404) or stays_here(link), raw[:40]
        assert_page_is_safe(link.get_data(as_text=True), [raw], "receipt link")
    with app.app_context():
        assert count(ReceiptLookup) == 0  # nothing was found, so nothing was counted


def test_privacy_request_look_up_with_hostile_input(app, env):
    client = env.clients[Role.COORDINATOR]
    for _category, raw in HOSTILE_INPUTS:
        response = client.get(f"{env.base}/coordinator/privacy", query_string={"code": raw})
        assert response.status_code == 200, raw[:40]
        assert_page_is_safe(response.get_data(as_text=True), [raw], "privacy look-up")
        for url in (f"{env.base}/coordinator/privacy/{quote(raw[:200], safe='')}/export.json",
                    f"{env.base}/coordinator/privacy/{quote(raw[:200], safe='')}/erase"):
            answer = client.post(url, data={"confirm": "y"}) if url.endswith("erase") else client.get(url)
            assert answer.status_code == 404 or stays_here(answer), (url, answer.status_code)
    with app.app_context():
        assert db.session.get(Signal, env.signal_id).text == "Eerste tekst"


def test_exports_and_feeds_carry_hostile_texts_exactly(app, env):
    """Bundle names, action texts and feedback full of hostile input: the folder PDF does not crash,
    no Excel cell is a formula and each holds the text as meant, the .ics and agenda.txt stay whole."""
    from openpyxl import load_workbook

    texts = [meant(raw, single_line=True)[:120] for _category, raw in HOSTILE_INPUTS]
    texts = [t for t in dict.fromkeys(texts) if t]
    with app.app_context():
        p = db.session.get(Partnership, env.partnership.id)
        for n, text in enumerate(texts):
            bundle = Bundle(partnership_id=p.id, name=f"{n} {text}"[:120], description=text)
            db.session.add(bundle)
            db.session.flush()
            record_signal(p, text or "leeg", Source.RESIDENT_QR).bundle_id = bundle.id
        action = db.session.get(Action, env.action_id)
        action.title, action.description, action.feedback_sentence = texts[0], "\n".join(texts), texts[-1]
        action.partners, action.choice_reason = "=HYPERLINK(\"http://evil.example\")", "@SUM(1+1)*cmd|' /C calc'!A0"
        draft = db.session.get(Feedback, env.draft_id)
        for name in ("heard", "done", "not_possible", "contact"):
            setattr(draft, name, "\n".join(texts))
        draft.next_update_channel = texts[1]
        db.session.add(ParticipationPlan(partnership_id=p.id, version=1, question=texts[2], base_form="A",
                                         feedback_what="\n".join(texts), feedback_owner=texts[3]))
        feedback_service.publish(draft, None)
        db.session.commit()
        token = calendar_feed.new_token(p, None).token
        db.session.commit()
    client = env.clients[Role.COORDINATOR]
    base = f"{env.base}/coordinator/rounds/{env.round_id}"

    pdf = client.get(f"{base}/folder.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")

    workbook = client.get(f"{base}/folder.xlsx")
    assert workbook.status_code == 200
    sheets = load_workbook(io.BytesIO(workbook.data))
    cells = [cell for sheet in sheets for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"], "a cell would run as a formula"
    values = {str(c.value) for c in cells}
    assert "=HYPERLINK(\"http://evil.example\")" in values and texts[0] in values

    for url in (f"{base}/agenda.txt", f"/agenda/{token}.ics"):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.get_data(as_text=True)
        assert not EVALUATED.search(body), url
    ics = client.get(f"/agenda/{token}.ics").data.decode()
    from icalendar import Calendar

    events = [c for c in Calendar.from_ical(ics).walk("VEVENT")]
    assert any(str(e.get("summary")).endswith(texts[0]) or texts[0] in str(e.get("summary")) for e in events)
    for page in ("meeting", "agenda", "choose"):
        response = client.get(f"{base}/{page}")
        assert response.status_code == 200, page
        assert_page_is_safe(response.get_data(as_text=True), texts, page)
    for url in (f"{env.base}/coordinator/top5", f"{env.base}/coordinator/bundles", f"{env.base}/coordinator/plan",
                f"{env.base}/coordinator/actions/{env.action_id}", f"{env.base}/coordinator/actions/{env.action_id}/practice",
                f"/w/{env.partnership.slug}", f"/r/{env.receipt_code}"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_page_is_safe(response.get_data(as_text=True), texts, url)
