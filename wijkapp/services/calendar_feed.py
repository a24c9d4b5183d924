"""Private .ics feeds: meetings, first steps and check moments in the calendar people already use.

A feed is found by its token only. Revoking deletes the row and makes a new one, so the old
address answers 404 from then on.
"""
from __future__ import annotations

import secrets
from datetime import date, timedelta

from icalendar import Calendar, Event

from wijkapp.extensions import db
from wijkapp.models import Action, ActionStatus, CalendarFeed, Membership, Partnership, Round, User
from wijkapp.models.base import utcnow
from wijkapp.services.links import public_url

PRODID = "-//Wijkapp//Rondes en acties//NL"


def feed_of(partnership: Partnership, user: User | None) -> CalendarFeed | None:
    owner = CalendarFeed.user_id.is_(None) if user is None else CalendarFeed.user_id == user.id
    return db.session.scalar(
        db.select(CalendarFeed).where(CalendarFeed.partnership_id == partnership.id, owner).limit(1))


def new_token(partnership: Partnership, user: User | None) -> CalendarFeed:
    """Create the feed, or replace its token (revoking the old address)."""
    old = feed_of(partnership, user)
    if old is not None:
        db.session.delete(old)
        db.session.flush()
    feed = CalendarFeed(partnership_id=partnership.id, user_id=user.id if user else None,
                        token=secrets.token_urlsafe(32))
    db.session.add(feed)
    db.session.flush()
    return feed


def by_token(token: str) -> CalendarFeed | None:
    if not token or len(token) > 64:
        return None
    feed = db.session.scalar(db.select(CalendarFeed).where(CalendarFeed.token == token))
    if feed is None or feed.user_id is None:
        return feed
    # someone who left the partnership no longer gets its dates
    still_member = db.session.scalar(db.select(Membership.id).where(
        Membership.partnership_id == feed.partnership_id, Membership.user_id == feed.user_id).limit(1))
    return feed if still_member else None


def _all_day(uid: str, day: date, summary: str, description: str = "") -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", utcnow())
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    if description:
        event.add("description", description)
    event.add("transp", "TRANSPARENT")
    return event


def build(partnership: Partnership, user: User | None = None) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{partnership.name}" + (f" – {user.display_name}" if user else ""))
    for round_ in db.session.scalars(db.select(Round).where(
            Round.partnership_id == partnership.id, Round.meeting_on.is_not(None)).order_by(Round.number)):
        cal.add_component(_all_day(
            f"round-{round_.id}-meeting@wijkapp", round_.meeting_on,
            f"Overleg wijkverband: {round_.label}",
            "Vaste agenda (20 min): Top 5 signalen (5 min) · Top 1–2 acties (10 min) · "
            "Wat koppelen we terug? (5 min)"))
    query = db.select(Action).where(Action.partnership_id == partnership.id,
                                    Action.status != ActionStatus.STOPPED.value)
    if user is not None:
        query = query.where((Action.owner_id == user.id) | (Action.feedback_owner_id == user.id))
    for action in db.session.scalars(query.order_by(Action.id)):
        owner = action.owner.display_name if action.owner else ""
        cal.add_component(_all_day(
            f"action-{action.id}-first-step@wijkapp", action.first_step_on,
            f"Eerste stap: {action.title}", f"{action.first_step}\nEigenaar: {owner}"))
        cal.add_component(_all_day(
            f"action-{action.id}-check@wijkapp", action.check_on,
            f"Checkmoment: {action.title}",
            f"Beoogde opbrengst: {action.intended_result}\nEigenaar: {owner}"))
        if action.next_update_on:
            cal.add_component(_all_day(
                f"action-{action.id}-update@wijkapp", action.next_update_on,
                f"Update aan bewoners: {action.title}", action.feedback_sentence))
    return cal.to_ical()


def feed_url(feed: CalendarFeed) -> str:
    """Calendar apps fetch from outside: the public address, as for QR codes."""
    return public_url("calendar.feed", token=feed.token)
