"""Closed by default: every view of a staff blueprint needs a login and a role in the partnership.

Staff URLs carry the partnership: /p/<slug>/<area>/… . The slug is resolved once per request into
`g.partnership`; someone without a role there gets a 404 (we do not confirm it exists), someone
with the wrong role a 403.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, request, url_for
from flask_login import current_user

from wijkapp.extensions import db
from wijkapp.models import Partnership, Role
from wijkapp.models.base import MAX_ID


def partnership_blueprint(name: str, area: str, roles: set[Role]) -> Blueprint:
    bp = Blueprint(name, __name__, url_prefix=f"/p/<slug>/{area}")
    bp.allowed_roles = frozenset(roles)  # read by the isolation matrix in tests/test_security.py

    @bp.url_value_preprocessor
    def pull_partnership(_endpoint, values):
        g.partnership_slug = (values or {}).pop("slug", None)

    @bp.url_defaults
    def add_partnership(endpoint, values):
        if "slug" not in values and getattr(g, "partnership", None) is not None:
            values["slug"] = g.partnership.slug

    @bp.before_request
    def require_role():
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path))
        partnership = db.session.scalar(
            db.select(Partnership).where(Partnership.slug == g.partnership_slug)
        )
        if partnership is None:
            abort(404)
        held = current_user.roles_in(partnership.id)
        if not held:
            abort(404)
        if not held & roles:
            abort(403)
        if Role.COORDINATOR in held and partnership.require_two_step and not current_user.has_two_step:
            # The partnership asks a second login step of its coordinators: set it up first.
            flash("Je wijkverband vraagt inloggen in twee stappen voor coördinatoren. Zet het eerst aan.", "info")
            return redirect(url_for("account.two_step_setup"))
        g.partnership = partnership
        g.roles = held

    return bp


def scoped_get_or_404(model, object_id: int):
    """Fetch an object of the current partnership; another partnership's object is a 404."""
    if not 0 < object_id <= MAX_ID:
        abort(404)  # the database would refuse a number this large with an error, not "not found"
    obj = db.session.get(model, object_id)
    if obj is None or obj.partnership_id != g.partnership.id:
        abort(404)
    return obj
