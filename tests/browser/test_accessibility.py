"""axe-core (WCAG 2.1 A and AA) on every page in every state that exists, as the person who sees it.

A state is a name, who is logged in, the device, and the steps that bring the page into that state.
A later issue adds its pages by adding states here.

States that only look (a GET, or a POST that fails validation) run one after another in one test per
person, device and world (with or without a round of bundles, an action and feedback): starting an
app, a world and a login for each of a hundred states would take minutes. A state that changes
data (`changes=True`) gets a test of its own, so it cannot change what a later state shows.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pytest

from tests.browser.helpers import assert_accessible, axe_violations, focused, has_focus, sign_in
from wijkapp.models import Role

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class State:
    role: Role | None
    device: str
    steps: Callable
    shows_errors: bool = False
    changes: bool = False  # the steps store something: the state gets a test (and a world) of its own
    round: bool = False    # the world has a round with bundles, an action and published feedback

    @property
    def group(self) -> str:
        who = self.role.value if self.role else "nobody"
        return f"{who}, {self.device}" + (", with a round" if self.round else "")


STATES: dict[str, State] = {}


def state(name: str, role: Role | None = None, device: str = "desktop", shows_errors: bool = False,
          changes: bool = False, round: bool = False):
    def register(steps):
        STATES[name] = State(role, device, steps, shows_errors, changes, round)
        return steps
    return register


def submit(page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


# Residents, on a phone ------------------------------------------------------------------------

@state("resident form", device="phone")
def _(page, live, world):
    page.goto(live(f"/s/{world.location.code}"))


@state("resident form, nothing filled in", device="phone", shows_errors=True)
def _(page, live, world):
    page.goto(live(f"/s/{world.location.code}"))
    submit(page, "Verstuur")


@state("resident form, consent without e-mail address", device="phone", shows_errors=True)
def _(page, live, world):
    page.goto(live(f"/s/{world.location.code}"))
    page.get_by_label("Jouw signaal").fill("Meer groen op het plein.")
    page.get_by_label("Ja, ik wil een bericht").check()
    submit(page, "Verstuur")


@state("resident form, e-mail address that is not one", device="phone", shows_errors=True)
def _(page, live, world):
    page.goto(live(f"/s/{world.location.code}"))
    page.get_by_label("Jouw signaal").fill("Meer groen op het plein.")
    page.get_by_label("Ja, ik wil een bericht").check()
    page.get_by_label("Je e-mailadres").fill("jan-at-voorbeeld")
    submit(page, "Verstuur")


@state("thank-you page", device="phone", changes=True)
def _(page, live, world):
    page.goto(live(f"/s/{world.location.code}"))
    page.get_by_label("Jouw signaal").fill("Meer groen op het plein.")
    submit(page, "Verstuur")


@state("form expired (CSRF)", device="phone")
def _(page, live, world):
    page.goto(live(f"/s/{world.location.code}"))
    page.get_by_label("Jouw signaal").fill("Meer groen op het plein.")
    page.locator("input[name=csrf_token]").evaluate("el => el.value = 'verlopen'")
    submit(page, "Verstuur")


@state("inactive location", device="phone")
def _(page, live, world):
    page.goto(live(f"/s/{world.inactive_location.code}"))


@state("unknown code", device="phone")
def _(page, live, world):
    page.goto(live("/s/onbekend"))


@state("feedback page", device="phone")
def _(page, live, world):
    page.goto(live("/w/noord"))


@state("start page", device="phone")
def _(page, live, world):
    page.goto(live("/"))


@state("page not found")
def _(page, live, world):
    page.goto(live("/bestaat-niet"))


# Logging in -----------------------------------------------------------------------------------

@state("login")
def _(page, live, world):
    page.goto(live("/login"))


@state("login, wrong password", shows_errors=True)
def _(page, live, world):
    page.goto(live("/login"))
    page.get_by_label("E-mailadres").fill("host@noord.example.org")
    page.get_by_label("Wachtwoord").fill("dit-is-fout")
    submit(page, "Inloggen")


@state("login, nothing filled in", shows_errors=True)
def _(page, live, world):
    page.goto(live("/login"))
    submit(page, "Inloggen")


@state("forgot password")
def _(page, live, world):
    page.goto(live("/password/forgot"))


@state("forgot password, nothing filled in", shows_errors=True)
def _(page, live, world):
    page.goto(live("/password/forgot"))
    submit(page, "Stuur mij een link")


@state("forgot password, link sent", changes=True)
def _(page, live, world):
    page.goto(live("/password/forgot"))
    page.get_by_label("Je e-mailadres").fill("niemand@noord.example.org")
    submit(page, "Stuur mij een link")


@state("invitation link that is not valid", device="phone")
def _(page, live, world):
    page.goto(live("/invitation/klopt-niet"))


@state("second login step without a password first")
def _(page, live, world):
    page.goto(live("/login/two-step"))


@state("choose a role (several roles)", role=Role.PROFESSIONAL, changes=True)
def _(page, live, world):
    world.grant(Role.PROFESSIONAL, Role.ERVARINGSDESKUNDIGE)
    page.goto(live("/start"))


@state("no access (wrong role)", role=Role.PROFESSIONAL)
def _(page, live, world):
    page.goto(live("/p/noord/coordinator/"))


# Host, on a tablet ----------------------------------------------------------------------------

@state("host: conversations", role=Role.HOST, device="tablet")
def _(page, live, world):
    page.goto(live("/p/noord/host/"))


@state("host: start without a place", role=Role.HOST, device="tablet", shows_errors=True)
def _(page, live, world):
    page.goto(live("/p/noord/host/"))
    submit(page, "Start gesprek")


@state("host: conversation", role=Role.HOST, device="tablet")
def _(page, live, world):
    page.goto(live(f"/p/noord/host/conversations/{world.conversation_id}"))


@state("host: signal saved", role=Role.HOST, device="tablet", changes=True)
def _(page, live, world):
    page.goto(live(f"/p/noord/host/conversations/{world.conversation_id}"))
    page.get_by_label("Wat hoorde je?").fill("Het fietspad is te smal.")
    submit(page, "Opslaan")


@state("host: empty signal", role=Role.HOST, device="tablet", shows_errors=True)
def _(page, live, world):
    page.goto(live(f"/p/noord/host/conversations/{world.conversation_id}"))
    submit(page, "Opslaan")


@state("host: close without a number", role=Role.HOST, device="tablet", shows_errors=True)
def _(page, live, world):
    page.goto(live(f"/p/noord/host/conversations/{world.conversation_id}"))
    submit(page, "Sluit gesprek af")


@state("host: closed conversation", role=Role.HOST, device="tablet", changes=True)
def _(page, live, world):
    page.goto(live(f"/p/noord/host/conversations/{world.conversation_id}"))
    page.get_by_label("Met hoeveel mensen heb je gesproken?").fill("9")
    submit(page, "Sluit gesprek af")
    page.goto(live(f"/p/noord/host/conversations/{world.conversation_id}"))


@state("host: correct a signal", role=Role.HOST, device="tablet")
def _(page, live, world):
    page.goto(live(f"/p/noord/host/signals/{world.host_signal_id}/edit"))


@state("host: correct a signal, emptied", role=Role.HOST, device="tablet", shows_errors=True)
def _(page, live, world):
    page.goto(live(f"/p/noord/host/signals/{world.host_signal_id}/edit"))
    page.get_by_label("Signaal", exact=True).fill("")
    submit(page, "Opslaan")


# Professional and ervaringsdeskundige ---------------------------------------------------------

@state("professional: micro-survey", role=Role.PROFESSIONAL, device="phone")
def _(page, live, world):
    page.goto(live("/p/noord/professional/"))


@state("professional: micro-survey, nothing answered", role=Role.PROFESSIONAL, device="phone", shows_errors=True)
def _(page, live, world):
    page.goto(live("/p/noord/professional/"))
    submit(page, "Opslaan")


@state("professional: answers saved", role=Role.PROFESSIONAL, device="phone", changes=True)
def _(page, live, world):
    page.goto(live("/p/noord/professional/"))
    page.locator("textarea[name=answer_1]").fill("Mensen vinden de weg naar hulp niet.")
    submit(page, "Opslaan")


@state("ervaringsdeskundige: add a signal", role=Role.ERVARINGSDESKUNDIGE)
def _(page, live, world):
    page.goto(live("/p/noord/expert/"))


@state("ervaringsdeskundige: empty signal", role=Role.ERVARINGSDESKUNDIGE, shows_errors=True)
def _(page, live, world):
    page.goto(live("/p/noord/expert/"))
    submit(page, "Opslaan")


@state("ervaringsdeskundige: signal saved", role=Role.ERVARINGSDESKUNDIGE, changes=True)
def _(page, live, world):
    page.goto(live("/p/noord/expert/"))
    page.locator("textarea[name=text]").fill("Veel folders zijn te moeilijk geschreven.")
    submit(page, "Opslaan")


# Coordinator, at a desk -----------------------------------------------------------------------

@state("coordinator: team", role=Role.COORDINATOR)
def _(page, live, world):
    page.goto(live("/p/noord/coordinator/team"))


@state("coordinator: team, invitation with errors", role=Role.COORDINATOR, shows_errors=True)
def _(page, live, world):
    page.goto(live("/p/noord/coordinator/team"))
    submit(page, "Uitnodiging maken")


@state("coordinator: team, contact added", role=Role.COORDINATOR, changes=True)
def _(page, live, world):
    page.goto(live("/p/noord/coordinator/team"))
    page.locator("#contact-name").fill("Ria Smit")
    page.locator("#contact-organisation").fill("Gemeente")
    page.locator("#contact-email").fill("ria@gemeente.nl")
    page.get_by_label("Krijgt elke ronde de twee vragen per e-mail").check()
    submit(page, "Contactpersoon toevoegen")


@state("coordinator: team, contact with errors", role=Role.COORDINATOR, shows_errors=True)
def _(page, live, world):
    page.goto(live("/p/noord/coordinator/team"))
    page.locator("#contact-email").fill("geen-adres")
    submit(page, "Contactpersoon toevoegen")


def personal_link_path(world, purpose: str) -> str:
    """A contact without an account, partner on the round's action, and their personal link."""
    import re

    from wijkapp.extensions import db
    from wijkapp.models import Action, Partnership, Round, User
    from wijkapp.services import contacts, personal_links

    with world.app.test_request_context():
        partnership = db.session.get(Partnership, world.partnership.id)
        contact = contacts.add_contact(partnership, "Ria Smit", "Gemeente", "ria@gemeente.nl", True, None)
        person = db.session.get(User, contact.user_id)
        if purpose == "action":
            action = db.session.get(Action, world.round.action_id)
            action.partner_people.append(person)
            sent = personal_links.send_action_link(action, person, None)
        else:
            sent = personal_links.send_micro_survey_link(db.session.get(Round, world.round.round_id), person, None)
        db.session.commit()
    return re.sub(r"^https?://[^/]+", "", sent.link)


@state("contact: action through a personal link", device="tablet", changes=True, round=True)
def _(page, live, world):
    page.goto(live(personal_link_path(world, "action")))


@state("contact: action through a personal link, update with errors", device="phone", changes=True, round=True,
       shows_errors=True)
def _(page, live, world):
    page.goto(live(personal_link_path(world, "action")))
    submit(page, "Zet in het logboek")


@state("contact: the two questions through a personal link, with errors", device="phone", changes=True, round=True,
       shows_errors=True)
def _(page, live, world):
    page.goto(live(personal_link_path(world, "micro_survey")))
    submit(page, "Opslaan")


@state("personal link that is not valid", device="phone")
def _(page, live, world):
    page.goto(live("/link/klopt-niet"))


@state("coordinator: action with a personal link", role=Role.COORDINATOR, changes=True, round=True)
def _(page, live, world):
    personal_link_path(world, "action")
    page.goto(live(f"/p/noord/coordinator/actions/{world.round.action_id}"))


@state("coordinator: own account", role=Role.COORDINATOR)
def _(page, live, world):
    page.goto(live("/account/"))


@state("coordinator: two-step login set-up", role=Role.COORDINATOR, device="phone")
def _(page, live, world):
    page.goto(live("/account/two-step"))


@state("coordinator: overview", role=Role.COORDINATOR)
def _(page, live, world):
    page.goto(live("/p/noord/coordinator/"))


@state("coordinator: signals", role=Role.COORDINATOR)
def _(page, live, world):
    page.goto(live("/p/noord/coordinator/signals"))


@state("coordinator: signals, filter that cannot be", role=Role.COORDINATOR, shows_errors=True)
def _(page, live, world):
    page.goto(live("/p/noord/coordinator/signals?date_from=2026-05-01&date_to=2026-04-01"))


@state("coordinator: locations", role=Role.COORDINATOR)
def _(page, live, world):
    page.goto(live("/p/noord/coordinator/locations"))


@state("coordinator: new location without a name", role=Role.COORDINATOR, shows_errors=True)
def _(page, live, world):
    page.goto(live("/p/noord/coordinator/locations"))
    submit(page, "Locatie aanmaken")


@state("coordinator: location and QR code", role=Role.COORDINATOR)
def _(page, live, world):
    page.goto(live(f"/p/noord/coordinator/locations/{world.location.id}"))


@state("coordinator: location saved", role=Role.COORDINATOR, changes=True)
def _(page, live, world):
    page.goto(live(f"/p/noord/coordinator/locations/{world.location.id}"))
    submit(page, "Opslaan")


@state("coordinator: poster", role=Role.COORDINATOR)
def _(page, live, world):
    page.goto(live(f"/p/noord/coordinator/locations/{world.location.id}/poster"))


@state("coordinator: themes", role=Role.COORDINATOR)
def _(page, live, world):
    page.goto(live("/p/noord/coordinator/themes"))


@state("coordinator: theme without a name", role=Role.COORDINATOR, shows_errors=True)
def _(page, live, world):
    page.goto(live("/p/noord/coordinator/themes"))
    submit(page, "Thema toevoegen")


@state("coordinator: micro-survey questions", role=Role.COORDINATOR)
def _(page, live, world):
    page.goto(live("/p/noord/coordinator/micro-survey"))


@state("coordinator: micro-survey question emptied", role=Role.COORDINATOR, shows_errors=True)
def _(page, live, world):
    page.goto(live("/p/noord/coordinator/micro-survey"))
    page.locator("[name=question_1]").fill("")
    submit(page, "Opslaan")


@state("coordinator: panel sessions", role=Role.COORDINATOR)
def _(page, live, world):
    page.goto(live("/p/noord/coordinator/panel-sessions"))


@state("coordinator: panel session without a topic", role=Role.COORDINATOR, shows_errors=True)
def _(page, live, world):
    page.goto(live("/p/noord/coordinator/panel-sessions"))
    submit(page, "Vastleggen")


@state("coordinator: panel session", role=Role.COORDINATOR)
def _(page, live, world):
    page.goto(live(f"/p/noord/coordinator/panel-sessions/{world.panel_session_id}"))


# Kiezen: bundling, the top 3 and top 5 (coordinator, at a desk) ---------------------------------

@state("coordinator: top 5, empty round", role=Role.COORDINATOR)
def _(page, live, world):
    page.goto(live("/p/noord/coordinator/top5"))


@state("coordinator: top 3 with bundles", role=Role.COORDINATOR, round=True)
def _(page, live, world):
    page.goto(live("/p/noord/coordinator/"))


@state("coordinator: top 5 with bundles", role=Role.COORDINATOR, round=True)
def _(page, live, world):
    page.goto(live("/p/noord/coordinator/top5"))


@state("coordinator: bundling, no bundles yet", role=Role.COORDINATOR)
def _(page, live, world):
    page.goto(live("/p/noord/coordinator/bundles"))


@state("coordinator: bundling, nothing ticked", role=Role.COORDINATOR, shows_errors=True)
def _(page, live, world):
    page.goto(live("/p/noord/coordinator/bundles"))
    page.get_by_label("Naam nieuwe bundel").fill("Iets")
    submit(page, "Maak nieuwe bundel")


@state("coordinator: bundling with suggestions", role=Role.COORDINATOR, round=True)
def _(page, live, world):
    page.goto(live("/p/noord/coordinator/bundles"))
    assert page.locator(".suggestions").is_visible()


@state("coordinator: suggestion accepted", role=Role.COORDINATOR, round=True, changes=True)
def _(page, live, world):
    page.goto(live("/p/noord/coordinator/bundles"))
    suggestion = page.locator(".suggestion-list > li").filter(has_text="Losse tegels op de stoep")
    with page.expect_navigation():
        suggestion.get_by_role("button", name="Voeg toe aan ‘Losse stoeptegels’").click()


@state("coordinator: bundle", role=Role.COORDINATOR, round=True)
def _(page, live, world):
    page.goto(live(f"/p/noord/coordinator/bundles/{world.round.stoep_bundle_id}"))


@state("coordinator: bundle, edit", role=Role.COORDINATOR, round=True)
def _(page, live, world):
    page.goto(live(f"/p/noord/coordinator/bundles/{world.round.stoep_bundle_id}/edit"))


@state("coordinator: bundle, name emptied", role=Role.COORDINATOR, shows_errors=True, round=True)
def _(page, live, world):
    page.goto(live(f"/p/noord/coordinator/bundles/{world.round.stoep_bundle_id}/edit"))
    page.locator("input[name=name]").fill("")
    submit(page, "Opslaan")


@state("coordinator: bundle, split without signals", role=Role.COORDINATOR, shows_errors=True, round=True)
def _(page, live, world):
    page.goto(live(f"/p/noord/coordinator/bundles/{world.round.stoep_bundle_id}"))
    submit(page, "Splits af als nieuwe bundel")


# Rounds, the meeting, choosing and actions ----------------------------------------------------

@state("coordinator: rounds", role=Role.COORDINATOR, round=True)
def _(page, live, world):
    page.goto(live("/p/noord/coordinator/rounds"))


@state("coordinator: rounds, open one without a date", role=Role.COORDINATOR, shows_errors=True)
def _(page, live, world):
    page.goto(live("/p/noord/coordinator/rounds"))
    page.get_by_label("Start van de nieuwe ronde").fill("")
    submit(page, "Open de volgende ronde")


@state("coordinator: round", role=Role.COORDINATOR, round=True)
def _(page, live, world):
    page.goto(live(f"/p/noord/coordinator/rounds/{world.round.round_id}"))


@state("coordinator: meeting view, timer running", role=Role.COORDINATOR, round=True)
def _(page, live, world):
    page.goto(live(f"/p/noord/coordinator/rounds/{world.round.round_id}/meeting"))
    page.get_by_role("button", name="Start").first.click()


@state("coordinator: agenda", role=Role.COORDINATOR, round=True)
def _(page, live, world):
    page.goto(live(f"/p/noord/coordinator/rounds/{world.round.round_id}/agenda"))


@state("coordinator: choose, with the 2×2 picture", role=Role.COORDINATOR, round=True)
def _(page, live, world):
    page.goto(live(f"/p/noord/coordinator/rounds/{world.round.round_id}/choose"))
    assert page.locator("figure svg").is_visible()


@state("coordinator: choose, empty round", role=Role.COORDINATOR)
def _(page, live, world):
    from datetime import date

    from wijkapp.extensions import db
    from wijkapp.models import Partnership
    from wijkapp.services import rounds

    with world.app.app_context():
        round_id = rounds.round_for_date(db.session.get(Partnership, world.partnership.id), date.today()).id
        db.session.commit()
    page.goto(live(f"/p/noord/coordinator/rounds/{round_id}/choose"))


@state("coordinator: new action", role=Role.COORDINATOR, round=True)
def _(page, live, world):
    page.goto(live(f"/p/noord/coordinator/rounds/{world.round.round_id}/actions/new?bundle={world.round.youth_bundle_id}"))


@state("coordinator: new action, nothing filled in", role=Role.COORDINATOR, shows_errors=True, round=True)
def _(page, live, world):
    page.goto(live(f"/p/noord/coordinator/rounds/{world.round.round_id}/actions/new"))
    submit(page, "Kies deze actie")


@state("coordinator: action, dates outside the agreement", role=Role.COORDINATOR, shows_errors=True, round=True)
def _(page, live, world):
    page.goto(live(f"/p/noord/coordinator/actions/{world.round.action_id}/edit"))
    page.get_by_label("6. Checkmoment").fill("2099-01-01")
    submit(page, "Sla de actie op")
    assert page.locator("input[name=confirm_dates]").is_visible()


@state("coordinator: action", role=Role.COORDINATOR, round=True)
def _(page, live, world):
    page.goto(live(f"/p/noord/coordinator/actions/{world.round.action_id}"))


@state("coordinator: actions", role=Role.COORDINATOR, round=True)
def _(page, live, world):
    page.goto(live("/p/noord/coordinator/actions"))


@state("coordinator: Mijn acties", role=Role.COORDINATOR, round=True)
def _(page, live, world):
    page.goto(live("/p/noord/mine/"))


@state("coordinator: my action, update", role=Role.COORDINATOR, round=True)
def _(page, live, world):
    page.goto(live(f"/p/noord/mine/actions/{world.round.action_id}"))


@state("coordinator: my action, empty update", role=Role.COORDINATOR, shows_errors=True, round=True)
def _(page, live, world):
    page.goto(live(f"/p/noord/mine/actions/{world.round.action_id}"))
    submit(page, "Zet in het logboek")


@state("host: Mijn acties, none", role=Role.HOST, device="tablet")
def _(page, live, world):
    page.goto(live("/p/noord/mine/"))


# Template 1: the plan and the calendar ---------------------------------------------------------

@state("coordinator: plan", role=Role.COORDINATOR, round=True)
def _(page, live, world):
    page.goto(live("/p/noord/coordinator/plan"))


@state("coordinator: plan, edit", role=Role.COORDINATOR)
def _(page, live, world):
    page.goto(live("/p/noord/coordinator/plan/edit"))


@state("coordinator: plan saved, history", role=Role.COORDINATOR, changes=True)
def _(page, live, world):
    page.goto(live("/p/noord/coordinator/plan/edit"))
    submit(page, "Sla op als nieuwe versie")
    page.goto(live("/p/noord/coordinator/plan/history"))


@state("coordinator: calendar", role=Role.COORDINATOR)
def _(page, live, world):
    page.goto(live("/p/noord/coordinator/calendar"))


@state("coordinator: calendar link made", role=Role.COORDINATOR, changes=True)
def _(page, live, world):
    page.goto(live("/p/noord/coordinator/calendar"))
    submit(page, "Maak de agenda-link")


# Feedback: write, check, review, publish --------------------------------------------------------

@state("coordinator: feedback overview", role=Role.COORDINATOR, round=True)
def _(page, live, world):
    page.goto(live("/p/noord/coordinator/feedback"))


@state("coordinator: feedback, written and checked", role=Role.COORDINATOR, round=True, changes=True)
def _(page, live, world):
    page.goto(live(f"/p/noord/coordinator/rounds/{world.round.round_id}/feedback"))
    page.get_by_label("3. Dit lukt (nog) niet — en waarom").fill(
        "In het kader van de participatie kunnen wij dit niet realiseren, omdat de middelen ontoereikend zijn "
        "en de gemeente eerst een integrale afweging moet maken over alle voorzieningen in de hele wijk.")
    submit(page, "Bewaren en controleren")
    assert page.locator("mark").count() > 0, "the check should mark officialese"


@state("coordinator: feedback, first draft with a placeholder", role=Role.COORDINATOR, shows_errors=True)
def _(page, live, world):
    from datetime import date

    from wijkapp.extensions import db
    from wijkapp.models import Partnership
    from wijkapp.services import rounds

    with world.app.app_context():
        round_id = rounds.round_for_date(db.session.get(Partnership, world.partnership.id), date.today()).id
        db.session.commit()
    page.goto(live(f"/p/noord/coordinator/rounds/{round_id}/feedback"))
    submit(page, "Publiceren")


@state("coordinator: feedback published", role=Role.COORDINATOR, round=True, changes=True)
def _(page, live, world):
    page.goto(live(f"/p/noord/coordinator/rounds/{world.round.round_id}/feedback"))
    page.get_by_label("Ik wil publiceren zonder").check()
    submit(page, "Publiceer een update")


@state("coordinator: plain words", role=Role.COORDINATOR)
def _(page, live, world):
    page.goto(live("/p/noord/coordinator/plain-words"))


@state("coordinator: plain words, nothing filled in", role=Role.COORDINATOR, shows_errors=True)
def _(page, live, world):
    page.goto(live("/p/noord/coordinator/plain-words"))
    submit(page, "Toevoegen")


@state("ervaringsdeskundige: texts to review", role=Role.ERVARINGSDESKUNDIGE, round=True)
def _(page, live, world):
    page.goto(live("/p/noord/expert/feedback"))


@state("ervaringsdeskundige: review a text", role=Role.ERVARINGSDESKUNDIGE, round=True)
def _(page, live, world):
    page.goto(live(f"/p/noord/expert/feedback/{world.round.draft_id}"))


@state("ervaringsdeskundige: send back without a comment", role=Role.ERVARINGSDESKUNDIGE, shows_errors=True, round=True)
def _(page, live, world):
    page.goto(live(f"/p/noord/expert/feedback/{world.round.draft_id}"))
    page.get_by_label("Terugsturen").check()
    submit(page, "Versturen")


@state("ervaringsdeskundige: text approved", role=Role.ERVARINGSDESKUNDIGE, round=True, changes=True)
def _(page, live, world):
    page.goto(live(f"/p/noord/expert/feedback/{world.round.draft_id}"))
    page.get_by_label("Goedkeuren").check()
    submit(page, "Versturen")


@state("coordinator: loop dashboard", role=Role.COORDINATOR, round=True)
def _(page, live, world):
    page.goto(live("/p/noord/coordinator/loop"))


@state("coordinator: loop dashboard, nothing yet", role=Role.COORDINATOR)
def _(page, live, world):
    page.goto(live("/p/noord/coordinator/loop"))


@state("coordinator: outbox", role=Role.COORDINATOR, round=True)
def _(page, live, world):
    page.goto(live("/p/noord/coordinator/outbox"))


@state("coordinator: outbox, no mail server", role=Role.COORDINATOR, round=True, changes=True)
def _(page, live, world):
    page.goto(live("/p/noord/coordinator/outbox"))
    submit(page, "Nu versturen")


@state("coordinator: feedback poster", role=Role.COORDINATOR, round=True)
def _(page, live, world):
    page.goto(live(f"/p/noord/coordinator/locations/{world.location.id}/feedback-poster"))


# Privacy and the audit log ----------------------------------------------------------------------

@state("coordinator: privacy", role=Role.COORDINATOR)
def _(page, live, world):
    page.goto(live("/p/noord/coordinator/privacy"))


@state("coordinator: privacy, code found", role=Role.COORDINATOR, round=True)
def _(page, live, world):
    page.goto(live("/p/noord/coordinator/privacy"))
    page.get_by_label("Ontvangstcode").fill(world.round.receipt_code)
    submit(page, "Zoek")


@state("coordinator: privacy, unknown code", role=Role.COORDINATOR, shows_errors=True)
def _(page, live, world):
    page.goto(live("/p/noord/coordinator/privacy"))
    page.get_by_label("Ontvangstcode").fill("ZZZZ-ZZZZ")
    submit(page, "Zoek")


@state("coordinator: privacy, erase without ticking", role=Role.COORDINATOR, shows_errors=True, round=True)
def _(page, live, world):
    page.goto(live(f"/p/noord/coordinator/privacy?code={world.round.receipt_code}"))
    submit(page, "Wis alles bij deze code")


@state("coordinator: audit log", role=Role.COORDINATOR, round=True)
def _(page, live, world):
    page.goto(live("/p/noord/coordinator/audit"))


# What residents read (on a phone) ---------------------------------------------------------------

@state("feedback page, published", device="phone", round=True)
def _(page, live, world):
    page.goto(live("/w/noord"))


@state("feedback page of a location", device="phone", round=True)
def _(page, live, world):
    page.goto(live(f"/w/noord/{world.location.code}"))


@state("receipt look-up", device="phone")
def _(page, live, world):
    page.goto(live("/r"))


@state("receipt look-up, nothing filled in", device="phone", shows_errors=True)
def _(page, live, world):
    page.goto(live("/r"))
    submit(page, "Bekijk")


@state("receipt look-up, unknown code", device="phone", shows_errors=True)
def _(page, live, world):
    page.goto(live("/r"))
    page.get_by_label("Je code").fill("ZZZZ-ZZZZ")
    submit(page, "Bekijk")


@state("receipt: not bundled yet", device="phone")
def _(page, live, world):
    from wijkapp.extensions import db
    from wijkapp.models import Signal

    with world.app.app_context():
        code = db.session.scalar(db.select(Signal.receipt_code).where(Signal.location_id == world.location.id))
    page.goto(live(f"/r/{code}"))


@state("receipt: chosen, with feedback", device="phone", round=True)
def _(page, live, world):
    page.goto(live(f"/r/{world.round.receipt_code}"))


@state("privacy statement", device="phone")
def _(page, live, world):
    page.goto(live("/privacy/noord"))


@state("withdraw e-mail address: confirm", device="phone", round=True)
def _(page, live, world):
    page.goto(live(f"/privacy/withdraw/{world.round.withdraw_token}"))


@state("withdraw e-mail address: done", device="phone", round=True, changes=True)
def _(page, live, world):
    page.goto(live(f"/privacy/withdraw/{world.round.withdraw_token}"))
    submit(page, "Ja, wis mijn e-mailadres")


@state("withdraw link that is not valid", device="phone")
def _(page, live, world):
    page.goto(live("/privacy/withdraw/klopt-niet"))


def problems_in(name: str, state_: State, page, live_server, world) -> list[str]:
    """Bring the page into the state; what axe finds, and whether the error summary got focus."""
    state_.steps(page, live_server, world)
    problems = axe_violations(page)
    if state_.shows_errors:
        if not page.locator(".error-summary").is_visible():
            problems.append("expected an error summary")
        elif not has_focus(page, ".error-summary"):
            problems.append(f"the error summary should receive focus after a failed submit; focus is on {focused(page)}")
    return [f"{name} ({page.url}): {problem}" for problem in problems]


def _open_as(pages, live_server, world, state_: State):
    if state_.round:
        world.round
    page = pages.open(state_.device)
    if state_.role is not None:
        sign_in(page, live_server, world.user(state_.role))
    return page


GROUPS: dict[str, list[str]] = {}
for _name, _state in STATES.items():
    if not _state.changes:
        GROUPS.setdefault(_state.group, []).append(_name)


@pytest.mark.parametrize("group", list(GROUPS))
def test_page_states_have_no_wcag_violations(group, pages, live_server, world):
    names = GROUPS[group]
    page = _open_as(pages, live_server, world, STATES[names[0]])
    problems = []
    for name in names:
        problems += problems_in(name, STATES[name], page, live_server, world)
    assert not problems, f"{len(problems)} problems in {len(names)} page states ({group}):\n" + "\n".join(problems)


@pytest.mark.parametrize("name", [name for name, state_ in STATES.items() if state_.changes])
def test_page_state_has_no_wcag_violations(name, pages, live_server, world):
    state_ = STATES[name]
    page = _open_as(pages, live_server, world, state_)
    problems = problems_in(name, state_, page, live_server, world)
    assert not problems, "\n".join(problems)


def test_first_start_wizard_and_beheer_pages_have_no_wcag_violations(pages, live_server, app):
    """Every step of the first start, empty and with errors, the last page and the beheerder's page."""
    from wijkapp.services import first_start

    page = pages.open("desktop", "/")
    assert_accessible(page, "first start")
    with app.app_context():
        token = first_start.setup_token()
    page.goto(live_server(f"/setup/{token}"))
    assert_accessible(page, "setup")
    submit(page, "Account en wijkverband aanmaken")
    assert_accessible(page, "setup with errors")
    assert has_focus(page, ".error-summary")
    page.get_by_label("Naam van het wijkverband").fill("Hecht wijkverband Noord")
    page.get_by_label("Je naam").fill("Sanne de Vries")
    page.get_by_label("Je e-mailadres").fill("sanne@example.org")
    page.get_by_label("Kies een wachtwoord").fill("een-lang-wachtwoord")
    page.get_by_label("Herhaal het wachtwoord").fill("een-lang-wachtwoord")
    submit(page, "Account en wijkverband aanmaken")

    # Each step: as it opens, after a refused post (the error summary has focus), then filled in.
    for name, button, bad, good in (
        ("locations", "Locaties opslaan en verder", "", "Buurthuis De Schakel"),
        ("themes", "Thema's opslaan en verder", "Veiligheid", "Verkeer"),  # Veiligheid twice
        ("questions", "Vragen opslaan en verder", "", "Wat hoor je vaak?"),
        ("rhythm and first meeting", "Opslaan en verder", "2001-01-01", "2099-01-01"),
        ("feedback agreements", "Afspraken opslaan en verder", "", "Wat we hoorden en wat we doen"),
    ):
        assert_accessible(page, f"wizard: {name}")
        first_input = page.locator("form[method=post] input[type=text], form[method=post] input[type=date], "
                                   "form[method=post] textarea").first
        first_input.fill(bad)
        submit(page, button)
        assert_accessible(page, f"wizard: {name} with errors")
        assert page.locator(".error-summary").count() == 1, (name, page.url)
        assert has_focus(page, ".error-summary")
        page.locator(f"#{first_input.get_attribute('id')}").fill(good)
        submit(page, button)

    assert page.get_by_role("heading", name="Nodig je team uit").is_visible()
    assert_accessible(page, "wizard: invite your team")
    page.goto(live_server("/admin/partnerships"))
    assert_accessible(page, "beheer: partnerships")
    submit(page, "Wijkverband aanmaken en uitnodigen")
    assert_accessible(page, "beheer: new partnership with errors")
    assert has_focus(page, ".error-summary")


def test_axe_check_names_the_rule_and_the_element(browser):
    """The check itself: a known violation is reported with its rule id and the element."""
    page = browser.new_page()
    try:
        page.set_content('<html lang="nl"><title>Proef</title><main><h1>Proef</h1>'
                         '<input type="text" id="naam"></main></html>')
        violations = axe_violations(page)
    finally:
        page.close()
    assert any(line.startswith("label ") and "#naam" in line for line in violations), violations
