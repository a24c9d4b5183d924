"""A realistic, clearly fictional demo partnership (slug `demo`) for a first look.

Everything is invented: the neighbourhood "Rivierenwijk" in the town "Beekdal", the people, the
addresses. Dates are relative to today, so the demo always has a current round.
"""
from __future__ import annotations

import random
import secrets
from datetime import date, datetime, time, timedelta
from pathlib import Path

from wijkapp.extensions import db
from wijkapp.models import Conversation, Location, PanelSession, Role, Round, Source, Theme
from wijkapp.services import accounts
from wijkapp.services.intake import ResidentContactDetails, record_signal

DEMO_SLUG = "demo"
DEMO_PEOPLE = (
    ("coordinator@demo.example.org", "Sanne de Vries (demo)", Role.COORDINATOR),
    ("host@demo.example.org", "Ahmed Bakkali (demo)", Role.HOST),
    ("professional@demo.example.org", "Ingrid Jansen, wijkverpleegkundige (demo)", Role.PROFESSIONAL),
    ("ervaringsdeskundige@demo.example.org", "Kees Molenaar (demo)", Role.ERVARINGSDESKUNDIGE),
)
DEMO_LOCATIONS = (
    ("Buurthuis De Schakel", "Bij de koffietafel in de grote zaal.", True),
    ("Bibliotheek Beekdal", "Naast de leestafel bij de ingang.", True),
    ("Huisartsenpraktijk De Linde", "In de wachtkamer, bij de folders.", True),
    ("Winkelcentrum Rivierplein", "Bij de ingang van de supermarkt (tijdelijk weggehaald).", False),
)
ROUND_WEEKS = 5
ROUNDS = 4
SIGNALS = 190
SOURCE_WEIGHTS = (
    (Source.RESIDENT_QR, 40), (Source.HOST_CONVERSATION, 25), (Source.PROFESSIONAL_MICRO, 15),
    (Source.PANEL_SESSION, 10), (Source.ERVARINGSDESKUNDIGE, 10),
)


def _demo_lines() -> list[tuple[str, str]]:
    path = Path(__file__).parent / "demo_data" / "signals.txt"
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.strip() and not raw.startswith("#"):
            theme, text = (part.strip() for part in raw.split("|", 1))
            lines.append((theme, text))
    return lines


def load_demo(password: str | None = None, today: date | None = None) -> str | None:
    """Create the demo partnership and return the demo accounts' password; None (and nothing
    changed) when it already exists. Without a given password a random one is made."""
    if accounts.partnership_by_slug(DEMO_SLUG) is not None:
        return None
    today = today or date.today()
    rng = random.Random(2026)
    password = password or secrets.token_urlsafe(9)

    partnership = accounts.create_partnership("Wijkverband Rivierenwijk (demo)", slug=DEMO_SLUG,
                                              neighbourhood="Rivierenwijk, Beekdal (fictief)")
    partnership.cadence = f"{ROUND_WEEKS}w"
    people = {}
    for email, name, role in DEMO_PEOPLE:
        user = accounts.ensure_user(email, password, name=name)
        accounts.grant_role(user, partnership, role)
        people[role] = user

    locations = []
    for name, description, active in DEMO_LOCATIONS:
        location = Location(partnership_id=partnership.id, code=f"demo{len(locations) + 1}", name=name,
                            description=description, is_active=active)
        db.session.add(location)
        locations.append(location)

    first_start = today - timedelta(weeks=ROUND_WEEKS * (ROUNDS - 1) + 1)
    rounds = []
    for number in range(1, ROUNDS + 1):
        starts_on = first_start + timedelta(weeks=ROUND_WEEKS * (number - 1))
        rounds.append(Round(partnership_id=partnership.id, number=number, starts_on=starts_on,
                            meeting_on=starts_on + timedelta(weeks=ROUND_WEEKS, days=-3)))
    db.session.add_all(rounds)
    db.session.flush()

    themes = {t.name: t for t in db.session.scalars(db.select(Theme).where(Theme.partnership_id == partnership.id))}
    lines = _demo_lines()
    rng.shuffle(lines)
    sources = [s for s, weight in SOURCE_WEIGHTS for _ in range(weight)]
    active_locations = [l for l in locations if l.is_active]

    conversations: dict[tuple[int, int], Conversation] = {}
    panels: dict[int, PanelSession] = {}
    for index in range(SIGNALS):
        theme_name, text = lines[index % len(lines)]
        round_ = rounds[min(index * ROUNDS // SIGNALS, ROUNDS - 1)]
        round_end = min(round_.starts_on + timedelta(weeks=ROUND_WEEKS), today + timedelta(days=1))
        day = round_.starts_on + timedelta(days=rng.randrange(max((round_end - round_.starts_on).days, 1)))
        created_at = datetime.combine(day, time(rng.randint(8, 20), rng.randint(0, 59)))
        source = rng.choice(sources)
        location = rng.choice(active_locations)
        theme = themes.get(theme_name) if rng.random() < 0.6 else None
        extra: dict = {}
        if source is Source.HOST_CONVERSATION:
            key = (round_.number, location.id)
            if key not in conversations:
                conversations[key] = Conversation(
                    partnership_id=partnership.id, host_id=people[Role.HOST].id, location_id=location.id,
                    held_on=day, started_at=created_at, closed_at=created_at + timedelta(hours=2),
                    people_spoken=rng.randint(6, 18))
                db.session.add(conversations[key])
                db.session.flush()
            extra = {"conversation_id": conversations[key].id, "created_by": people[Role.HOST]}
        elif source is Source.PANEL_SESSION:
            if round_.number not in panels:
                panels[round_.number] = PanelSession(
                    partnership_id=partnership.id, created_by_id=people[Role.COORDINATOR].id,
                    kind="panel" if round_.number % 2 else "theme",
                    topic="Wijkpanel" if round_.number % 2 else f"Thema-sessie {theme_name.lower()}",
                    held_on=day, core_attendees=rng.randint(6, 10), extra_attendees=rng.randint(0, 8))
                db.session.add(panels[round_.number])
                db.session.flush()
            extra = {"panel_session_id": panels[round_.number].id, "created_by": people[Role.COORDINATOR]}
            location = None
        elif source is Source.PROFESSIONAL_MICRO:
            question = rng.choice((1, 2))
            extra = {"micro_question": question, "micro_question_text": partnership.micro_questions[question - 1],
                     "created_by": people[Role.PROFESSIONAL]}
        elif source is Source.ERVARINGSDESKUNDIGE:
            extra = {"created_by": people[Role.ERVARINGSDESKUNDIGE]}
        elif rng.random() < 0.15:
            extra = {"contact": ResidentContactDetails(email=f"bewoner{index}@demo.example.org")}
        record_signal(partnership, text, source, location_id=location.id if location else None,
                      theme_id=theme.id if theme else None, created_at=created_at, **extra)
    return password
