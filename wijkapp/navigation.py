"""The staff menu, grouped by the four steps of the cycle the toolkit describes.

A coordinator reaches fourteen pages from the menu; in one row that is three lines on a phone and
no order to find things by. Grouped as Ophalen → Kiezen → Doen → Terugkoppelen, the menu reads as
the cycle itself. Each person sees only the groups and pages their roles open; which pages a role
may open is decided in `wijkapp.access`, this only decides what to show.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import g, request, url_for

from wijkapp.models.account import Role


@dataclass(frozen=True)
class MenuItem:
    label: str
    endpoint: str
    roles: frozenset[str]
    # Other endpoints that are part of this page (details, edit forms), so the menu can say where you are.
    within: tuple[str, ...] = ()

    def is_current(self, endpoint: str | None) -> bool:
        return endpoint is not None and (endpoint == self.endpoint or any(endpoint.startswith(p) for p in self.within))


@dataclass(frozen=True)
class MenuGroup:
    name: str
    items: tuple[MenuItem, ...]


@dataclass(frozen=True)
class ShownItem:
    label: str
    url: str
    current: bool


@dataclass(frozen=True)
class ShownGroup:
    name: str
    items: tuple[ShownItem, ...]


COORDINATOR = frozenset({Role.COORDINATOR.value})
EVERY_ROLE = frozenset(role.value for role in Role)

STAFF_MENU: tuple[MenuGroup, ...] = (
    MenuGroup("Ophalen", (
        MenuItem("Signalen", "coordinator.signals", COORDINATOR, ("coordinator.signals_",)),
        MenuItem("Locaties", "coordinator.locations", COORDINATOR, ("coordinator.location_",)),
        MenuItem("Gesprekken", "host.home", frozenset({"host", "coordinator"}), ("host.",)),
        MenuItem("Micro-uitvraag", "professional.micro_survey_form", frozenset({"professional", "coordinator"}),
                 ("professional.",)),
        MenuItem("Panel", "coordinator.panel_sessions", COORDINATOR, ("coordinator.panel_",)),
        MenuItem("Ervaringsdeskundige", "expert.home", frozenset({"ervaringsdeskundige", "coordinator"})),
    )),
    MenuGroup("Kiezen", (
        MenuItem("Top 3", "coordinator.home", COORDINATOR, ("coordinator.top5",)),
        MenuItem("Bundelen", "coordinator.bundle_workspace", COORDINATOR,
                 ("coordinator.bundle_", "coordinator.suggestion_", "coordinator.group_")),
        MenuItem("Rondes", "coordinator.rounds_list", COORDINATOR,
                 ("coordinator.round_", "coordinator.rounds_", "coordinator.action")),
    )),
    MenuGroup("Doen", (
        MenuItem("Mijn acties", "mine.home", EVERY_ROLE, ("mine.",)),
    )),
    MenuGroup("Terugkoppelen", (
        MenuItem("Terugkoppeling", "coordinator.feedback_overview", COORDINATOR,
                 ("coordinator.feedback_", "coordinator.loop_", "coordinator.outbox")),
        MenuItem("Teksten nakijken", "expert.feedback_reviews", frozenset({"ervaringsdeskundige", "coordinator"}),
                 ("expert.feedback_",)),
    )),
    MenuGroup("Wijkverband", (
        MenuItem("Team", "coordinator.team_page", COORDINATOR, ("coordinator.team_", "coordinator.member_",
                                                               "coordinator.invitation_")),
    )),
)


def menu_for(roles: set[str], endpoint: str | None, menu: tuple[MenuGroup, ...] = STAFF_MENU) -> list[ShownGroup]:
    """The groups and pages these roles see, in cycle order; empty groups are left out."""
    shown = []
    for group in menu:
        items = tuple(ShownItem(item.label, url_for(item.endpoint), item.is_current(endpoint))
                      for item in group.items if item.roles & roles)
        if items:
            shown.append(ShownGroup(group.name, items))
    return shown


def staff_menu() -> list[ShownGroup]:
    """For base.html: the menu of the signed-in person in the current partnership."""
    roles = {role.value for role in getattr(g, "roles", ())}
    return menu_for(roles, request.endpoint) if roles else []
