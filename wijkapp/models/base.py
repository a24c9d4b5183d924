from datetime import datetime, timezone

MAX_ID = 2**31 - 1  # PostgreSQL's integer: a larger id is an error there, not "not found"


def utcnow() -> datetime:
    """Naive UTC, the same on SQLite and PostgreSQL (`timestamp without time zone`)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)
