"""Short codes people read aloud or type from paper: no 0/O, 1/I/L confusion."""
from __future__ import annotations

import secrets

# No I, L, O, 0 or 1: they are mixed up when read from paper.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_code(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_location_code() -> str:
    # Lower case reads better in a printed URL: /s/k7m2qx
    return new_code(6).lower()


def new_receipt_code() -> str:
    return new_code(8)


def normalise_receipt_code(typed: str) -> str:
    """Accept what people type from paper: spaces, dashes, lower case. Empty when it cannot be a code."""
    code = "".join(ch for ch in typed.upper() if ch.isalnum())
    return code if len(code) == 8 and all(ch in ALPHABET for ch in code) else ""
