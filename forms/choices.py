"""Choice builders: options that depend on the partnership's own data."""
from __future__ import annotations

from wijkapp.extensions import db
from wijkapp.models import Location, Partnership, Theme
from forms.common import NO_CHOICE


def theme_choices(partnership: Partnership, empty_label: str = "Geen thema") -> list[tuple[int, str]]:
    # Two columns, not Theme objects: the resident form asks this on every GET and POST.
    themes = db.session.execute(
        db.select(Theme.id, Theme.name)
        .where(Theme.partnership_id == partnership.id, Theme.is_active.is_(True))
        .order_by(Theme.position, Theme.name)
    )
    return [(NO_CHOICE, empty_label)] + [(theme_id, name) for theme_id, name in themes]


def location_choices(partnership: Partnership, empty_label: str = "Geen vaste locatie",
                     active_only: bool = True) -> list[tuple[int, str]]:
    query = db.select(Location).where(Location.partnership_id == partnership.id)
    if active_only:
        query = query.where(Location.is_active.is_(True))
    return [(NO_CHOICE, empty_label)] + [(l.id, l.name) for l in db.session.scalars(query.order_by(Location.name))]


def id_or_none(value: int | None) -> int | None:
    return value or None
