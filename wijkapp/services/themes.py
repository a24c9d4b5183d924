"""A partnership's own list of themes: what signals, bundles and plans are grouped by."""
from __future__ import annotations

from wijkapp.extensions import db
from wijkapp.models import Partnership, Theme


class ThemeExists(ValueError):
    def __init__(self):
        super().__init__("Dit thema bestaat al.")


def themes_of(partnership: Partnership, *, active_only: bool = False) -> list[Theme]:
    """In the partnership's own order."""
    query = db.select(Theme).where(Theme.partnership_id == partnership.id)
    if active_only:
        query = query.where(Theme.is_active.is_(True))
    return list(db.session.scalars(query.order_by(Theme.position)))


def add_theme(partnership: Partnership, name: str) -> Theme:
    """A new theme at the end of the list; ThemeExists when one has that name, whatever its case."""
    if db.session.scalar(db.select(Theme.id).where(Theme.partnership_id == partnership.id,
                                                   db.func.lower(Theme.name) == name.lower())):
        raise ThemeExists()
    last = db.session.scalar(db.select(db.func.max(Theme.position)).where(Theme.partnership_id == partnership.id))
    theme = Theme(partnership_id=partnership.id, name=name, position=(last or 0) + 1)
    db.session.add(theme)
    db.session.flush()
    return theme
