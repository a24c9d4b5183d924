"""First start: no accounts yet. A one-time setup link is printed to the console of whoever
started the app, so only someone with access to the server can create the first coordinator."""
from __future__ import annotations

import hmac
import secrets
from pathlib import Path

from flask import current_app, request, url_for

from wijkapp.config import read_or_create_secret


def _token_file() -> Path:
    return Path(current_app.instance_path) / "setup_token"


def setup_token() -> str:
    return read_or_create_secret(_token_file(), lambda: secrets.token_urlsafe(24))


def _announced_file() -> Path:
    return Path(current_app.instance_path) / "setup_token.announced"


def announce_setup_link() -> str | None:
    """Print the setup link once, with the host and port this request reached the app on.

    PUBLIC_BASE_URL is often still its default at first start, and a link to a host the person
    cannot reach is no help; the address they just used is one that works. Printed once per
    instance (a marker beside the token), not on every visit to the start page.
    """
    if _announced_file().exists() and _token_file().exists():
        return None
    link = request.host_url.rstrip("/") + url_for("auth.setup", token=setup_token())
    _announced_file().write_text("yes\n")
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
    _announced_file().unlink(missing_ok=True)
