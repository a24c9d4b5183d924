"""The coordinator's home: the top 3 of the current round (or a chosen round or period)."""
from __future__ import annotations

from wijkapp.audiences.coordinator import bp
from wijkapp.audiences.coordinator.bundles import top_page


@bp.get("/")
def home():
    return top_page(limit=3)
