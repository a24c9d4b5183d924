"""Addresses that leave the app (e-mails, printed posters): always on PUBLIC_BASE_URL."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, request


def public_url(endpoint: str, **values) -> str:
    """The full address of an endpoint as people outside the app reach it. Needs no request: the
    mail queue is sent from the command line, and the host a request came in on is not the point."""
    current_app.inject_url_defaults(endpoint, values)
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + current_app.url_map.bind("").build(endpoint, values)


LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1", "0.0.0.0"}


def _host(netloc: str) -> str:
    return netloc.rsplit(":", 1)[0] if not netloc.endswith("]") else netloc


def printed_address_warning() -> str | None:
    """A Dutch warning while QR codes and posters would point to this computer only.

    PUBLIC_BASE_URL decides what is printed. Left at its default (localhost) while people reach
    the app from another address, every poster would send residents to a page their phone
    cannot open, and a poster on a wall is not taken back easily.
    """
    base_host = _host(urlsplit(current_app.config["PUBLIC_BASE_URL"]).netloc.lower())
    if base_host not in LOCAL_HOSTS or _host(request.host.lower()) in LOCAL_HOSTS:
        return None
    return (f"Let op: QR-codes en posters wijzen nu naar {current_app.config['PUBLIC_BASE_URL']}. Dat adres werkt "
            f"alleen op de computer waar Wijkapp draait, niet op de telefoon van een bewoner. Vraag de beheerder "
            f"om PUBLIC_BASE_URL in te stellen (bijvoorbeeld https://{request.host}) voordat je iets print of "
            "downloadt.")
