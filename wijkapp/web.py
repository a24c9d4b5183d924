"""Cross-cutting request handling in one place: the transaction, security headers, error pages,
template helpers.

The transaction boundary (Indico's request handler): a view calls services, which only add and
flush; the request then commits here when its response is a success or a redirect, and rolls back
when it is an error (4xx/5xx, a form shown again with 422 included). So a view never stores half a
record by forgetting a rollback, and never needs its own commit. A view may still commit itself where
the moment matters (the resident form frees SQLite's write lock before it redirects); the commit here
then finds nothing left to do.
"""
from __future__ import annotations

from flask import Flask, abort, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from wijkapp.extensions import db

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'; img-src 'self' data:"
)

ERROR_TEMPLATES = {
    400: "errors/400.html",
    403: "errors/403.html",
    404: "errors/404.html",
    405: "errors/404.html",
    413: "errors/413.html",
    429: "errors/429.html",
}


NOT_ECHOED = {"csrf_token", "password", "password_again", "submission_token", "website"}


def _typed_text() -> list[tuple[str, str]]:
    """What someone typed into free-text fields, so an expired form loses nothing."""
    return [
        (name, value) for name, value in request.form.items()
        if name not in NOT_ECHOED and len(value.strip()) > 3 and not value.strip().isdigit()
    ][:5]


def end_transaction(response):
    """Commit what a successful request changed; roll back what a failed one did."""
    if response.status_code < 400:
        db.session.commit()
    else:
        db.session.rollback()
    return response


def init_app(app: Flask) -> None:
    hops = app.config.get("PROXY_FIX_HOPS", 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    @app.url_value_preprocessor
    def refuse_control_characters(_endpoint, values):
        # No slug, code or token has them; PostgreSQL refuses a NUL in a query with an error,
        # so /agenda/%00.ics or /s/%00 would be a 500 instead of "not found".
        if any(isinstance(v, str) and any(ord(ch) < 32 or ord(ch) == 127 for ch in v) for v in (values or {}).values()):
            abort(404)

    # Before the security headers' hook is registered, so Flask (last in, first run) runs it after that one.
    app.after_request(end_transaction)

    @app.after_request
    def set_security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        # same-origin keeps the Referer that Flask-WTF checks on HTTPS, without leaking URLs.
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if request.endpoint and not request.endpoint.endswith("static"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        db.session.rollback()
        return render_template("errors/csrf.html", typed=_typed_text()), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        db.session.rollback()
        template = ERROR_TEMPLATES.get(error.code or 500)
        if template is None:
            return error
        return render_template(template, error=error), error.code

    @app.errorhandler(500)
    def server_error(_error):
        db.session.rollback()
        return render_template("errors/500.html"), 500

    from wijkapp import presenters

    app.jinja_env.filters.update(presenters.FILTERS)
    app.jinja_env.globals.update(presenters.GLOBALS)
