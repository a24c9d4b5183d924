"""Addresses that leave the app (e-mails, printed posters): always on PUBLIC_BASE_URL."""
from __future__ import annotations

from flask import current_app, url_for


def public_url(endpoint: str, **values) -> str:
    """The full address of an endpoint as people outside the app reach it."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for(endpoint, **values)
