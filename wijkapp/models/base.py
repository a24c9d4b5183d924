from datetime import datetime, timezone


def utcnow() -> datetime:
    """Naive UTC, the same on SQLite and PostgreSQL (`timestamp without time zone`)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)
