"""First start: no accounts yet. A one-time setup link is printed to the console of whoever
started the app, so only someone with access to the server can create the first coordinator."""
from __future__ import annotations

import hmac
import secrets
from pathlib import Path

from flask import current_app, url_for

from wijkapp.config import read_or_create_secret


def _token_file() -> Path:
    return Path(current_app.instance_path) / "setup_token"


def setup_token() -> str:
    return read_or_create_secret(_token_file(), lambda: secrets.token_urlsafe(24))


def announce_setup_link() -> str:
    link = current_app.config["PUBLIC_BASE_URL"] + url_for("auth.setup", token=setup_token())
    message = (
        "\n=== Wijkapp: nog geen accounts ===\n"
        f"Maak de eerste coördinator aan via deze eenmalige link:\n  {link}\n"
        "Of met: flask --app app create-user --email E --role coordinator --partnership SLUG\n"
    )
    current_app.logger.warning(message)
    print(message, flush=True)
    return link


def token_matches(candidate: str) -> bool:
    path = _token_file()
    if not path.exists():
        return False
    return hmac.compare_digest(path.read_text().strip(), candidate)


def forget_token() -> None:
    _token_file().unlink(missing_ok=True)
