"""Coordinator at a desk and in the meeting. One blueprint, its routes split by subject."""
from wijkapp.access import partnership_blueprint
from wijkapp.models import Role

bp = partnership_blueprint("coordinator", "coordinator", {Role.COORDINATOR})

from wijkapp.audiences.coordinator import bundles, home, locations, panels, settings, signals  # noqa: E402,F401
from wijkapp.audiences.coordinator import actions, plan, rounds  # noqa: E402,F401
from wijkapp.audiences.coordinator import feedback  # noqa: E402,F401
from wijkapp.audiences.coordinator import privacy  # noqa: E402,F401
from wijkapp.audiences.coordinator import team  # noqa: E402,F401
from wijkapp.audiences.coordinator import setup  # noqa: E402,F401
