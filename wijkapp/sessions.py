"""Logged-in sessions: who the cookie belongs to, how long it lasts, and how it ends.

Flask keeps the session in a signed cookie, which the server cannot take back. So the user id in
the cookie carries the user's `session_token` too: logging out or changing the password gives the
user a new token, and every cookie made before it stops working, on every device.
Idle and absolute timeouts use times written into the same signed cookie at login.
"""
from __future__ import annotations

import hmac
import time

from flask import Flask, flash, has_request_context, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_login import logout_user, user_logged_in

from wijkapp.extensions import db, login_manager

LOGIN_AT = "login_at"
SEEN_AT = "seen_at"
# Writing the cookie on every request would make every response unique; a minute is precise enough.
SEEN_AT_PRECISION_SECONDS = 60
TIMED_OUT = "Je was een tijd niet actief. Log opnieuw in om verder te gaan."


class SessionInterface(SecureCookieSessionInterface):
    """Secure cookies when configured, and whenever the request came in over HTTPS (ProxyFix)."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or (has_request_context() and request.is_secure)


def load_user(user_id: str):
    from wijkapp.models import User

    number, _, token = user_id.partition(":")
    if not number.isdigit() or not token:
        return None
    user = db.session.get(User, int(number))
    if user is None or not hmac.compare_digest(user.session_token.encode(), token.encode()):
        return None
    return user


def start_session(_app, user=None, **_extra) -> None:
    now = int(time.time())
    session.permanent = True  # lives PERMANENT_SESSION_LIFETIME (the absolute timeout), not until the browser closes
    session[LOGIN_AT] = now
    session[SEEN_AT] = now


def end_expired_session() -> None:
    if "_user_id" not in session:
        return
    from flask import current_app

    now = int(time.time())
    idle = current_app.config["SESSION_IDLE_MINUTES"] * 60
    absolute = current_app.config["SESSION_ABSOLUTE_MINUTES"] * 60
    login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
    if not isinstance(login_at, int) or not isinstance(seen_at, int) \
            or now - seen_at > idle or now - login_at > absolute:
        logout_user()
        session.clear()
        flash(TIMED_OUT, "info")
        return
    if now - seen_at >= SEEN_AT_PRECISION_SECONDS:
        session[SEEN_AT] = now


def init_app(app: Flask) -> None:
    app.session_interface = SessionInterface()
    login_manager.user_loader(load_user)
    user_logged_in.connect(start_session, app)
    app.before_request(end_expired_session)
