"""Password rules, the same for the setup form and `flask create-user`."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

MIN_LENGTH = 12
MAX_LENGTH = 200
COMMON_PASSWORDS_FILE = Path(__file__).parent / "password_data" / "common_passwords.txt"

TOO_SHORT = f"Kies een wachtwoord van minimaal {MIN_LENGTH} tekens."
TOO_LONG = f"Kies een wachtwoord van maximaal {MAX_LENGTH} tekens."
TOO_COMMON = ("Dit wachtwoord wordt veel gebruikt en is makkelijk te raden. "
              "Kies iets anders, bijvoorbeeld vier losse woorden achter elkaar.")
TOO_PERSONAL = "Gebruik je naam of e-mailadres niet in je wachtwoord. Kies iets anders."
TOO_SIMPLE = "Dit wachtwoord is te eenvoudig (te weinig verschillende tekens). Kies iets anders."

# What people glue onto a common word to pass a length rule: "voorjaar2026!", "welkom12345678".
_DECORATION = re.compile(r"^[\W\d_]*(.*?)[\W\d_]*$")
_REPEATED = re.compile(r"(.+?)\1+")  # "wachtwoordwachtwoord", "abcabcabcabc"


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def _personal_parts(email: str | None, name: str | None) -> list[str]:
    parts = []
    if email:
        parts += re.split(r"[^a-z0-9]+", email.lower().split("@")[0])
        parts.append(email.lower().split("@")[0])
    if name:
        parts += re.split(r"\W+", name.lower())
    return [part for part in parts if len(part) >= 4]


def password_problem(password: str, email: str | None = None, name: str | None = None) -> str | None:
    """What is wrong with this password, in plain Dutch; None when it is good enough."""
    if len(password) < MIN_LENGTH:
        return TOO_SHORT
    if len(password) > MAX_LENGTH:
        return TOO_LONG
    lowered = password.lower()
    core = _DECORATION.match(lowered).group(1)
    common = common_passwords()
    if lowered in common or (core and core in common) or lowered.replace(" ", "") in common:
        return TOO_COMMON
    if len(set(lowered)) < 5 or _REPEATED.fullmatch(lowered) or (core and _REPEATED.fullmatch(core)):
        return TOO_SIMPLE
    if any(part in lowered for part in _personal_parts(email, name)):
        return TOO_PERSONAL
    return None
