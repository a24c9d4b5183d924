"""The private .ics feeds. No login: calendar apps cannot log in; the token in the URL is the key."""
from __future__ import annotations

from flask import Blueprint, Response, abort

from wijkapp.services import calendar_feed

bp = Blueprint("calendar", __name__, url_prefix="/agenda")


@bp.get("/<token>.ics")
def feed(token: str):
    found = calendar_feed.by_token(token)
    if found is None:
        abort(404)
    body = calendar_feed.build(found.partnership, found.user)
    return Response(body, mimetype="text/calendar",
                    headers={"Content-Disposition": 'inline; filename="wijkapp.ics"'})
