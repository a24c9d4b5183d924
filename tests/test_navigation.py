"""The staff menu: grouped by the steps of the cycle, only what a role may open, and where you are."""
from __future__ import annotations

import re

from wijkapp.models import Bundle, Role
from wijkapp.extensions import db
from wijkapp.navigation import STAFF_MENU


def menu(html: str) -> list[tuple[str, list[str]]]:
    """(group name, link labels) as the menu shows them, in order."""
    nav = re.search(r'<nav aria-label="Hoofdmenu">(.*?)</nav>', html, re.S).group(1)
    groups = re.findall(r'<span class="menu-group-name"[^>]*>([^<]+)</span>(.*?)</ul>', nav, re.S)
    return [(name, re.findall(r"<a [^>]*>([^<]+)</a>", links)) for name, links in groups]


def current(html: str) -> list[str]:
    nav = re.search(r'<nav aria-label="Hoofdmenu">(.*?)</nav>', html, re.S).group(1)
    return re.findall(r'<a [^>]*aria-current="page"[^>]*>([^<]+)</a>', nav)


def test_coordinator_sees_the_cycle_in_order_and_where_they_are(client, coordinator_setup):
    html = client.get("/p/noord/coordinator/").get_data(as_text=True)
    assert menu(html) == [
        ("Ophalen", ["Signalen", "Locaties", "Gesprekken", "Micro-uitvraag", "Panel", "Ervaringsdeskundige"]),
        ("Kiezen", ["Top 3", "Bundelen", "Rondes"]),
        ("Doen", ["Mijn acties"]),
        ("Terugkoppelen", ["Terugkoppeling", "Teksten nakijken"]),
        ("Wijkverband", ["Team"]),
    ]
    assert current(html) == ["Top 3"]
    assert "Uitloggen" in html


def test_a_page_inside_a_section_marks_that_section(app, client, coordinator_setup):
    partnership = coordinator_setup[0]
    with app.app_context():
        bundle = Bundle(partnership_id=partnership.id, name="Te hard rijden")
        db.session.add(bundle)
        db.session.commit()
        bundle_id = bundle.id
    assert current(client.get(f"/p/noord/coordinator/bundles/{bundle_id}").get_data(as_text=True)) == ["Bundelen"]
    assert current(client.get("/p/noord/coordinator/signals").get_data(as_text=True)) == ["Signalen"]
    assert current(client.get("/p/noord/host/").get_data(as_text=True)) == ["Gesprekken"]


def test_a_host_sees_only_their_own_pages(client, make, auth):
    partnership = make.partnership(name="Wijkverband Oost", slug="oost")
    auth.login(make.user(partnership, Role.HOST, email="host@example.org"))
    html = client.get("/p/oost/host/").get_data(as_text=True)
    assert menu(html) == [("Ophalen", ["Gesprekken"]), ("Doen", ["Mijn acties"])]
    assert "/coordinator/" not in re.search(r'<nav aria-label="Hoofdmenu">(.*?)</nav>', html, re.S).group(1)


def test_every_menu_page_exists_and_names_a_known_role(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    roles = {role.value for role in Role}
    for group in STAFF_MENU:
        for item in group.items:
            assert item.endpoint in endpoints, item
            assert item.roles and item.roles <= roles, item
