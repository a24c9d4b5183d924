"""Locations and their QR codes: PNG, SVG and a printable A4 poster."""
from __future__ import annotations

from flask import Response, abort, flash, g, redirect, render_template, url_for

from forms.coordinator.locations import LocationForm
from wijkapp.access import scoped_get_or_404
from wijkapp.audiences.coordinator import bp
from wijkapp.models import Location
from wijkapp.services import locations as location_service


@bp.route("/locations", methods=["GET", "POST"])
def locations():
    form = LocationForm()
    if form.validate_on_submit():
        location = location_service.add_location(g.partnership, form.name.data, form.description.data)
        location.is_active = form.is_active.data
        flash(f"Locatie ‘{location.name}’ is aangemaakt. Print nu de poster.", "success")
        return redirect(url_for("coordinator.location_detail", location_id=location.id))
    return render_template("coordinator/locations/locations.html", form=form,
                           locations=location_service.locations_of(g.partnership)), \
        422 if form.is_submitted() else 200


@bp.route("/locations/<int:location_id>", methods=["GET", "POST"])
def location_detail(location_id: int):
    location = scoped_get_or_404(Location, location_id)
    form = LocationForm(obj=location)
    if form.validate_on_submit():
        location.name = form.name.data
        location.description = form.description.data
        location.is_active = form.is_active.data
        flash("De locatie is opgeslagen. De QR-code blijft dezelfde.", "success")
        return redirect(url_for("coordinator.location_detail", location_id=location.id))
    return render_template(
        "coordinator/locations/location_detail.html",
        form=form,
        location=location,
        public_url=location_service.public_url(location),
    ), 422 if form.is_submitted() else 200


def qr_download(url: str, kind: str, filename: str) -> Response:
    """A QR code as PNG or SVG; an unknown kind is the friendly 404."""
    image = location_service.qr_image(url, kind)
    if image is None:
        abort(404)
    body, mimetype = image
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'inline; filename="{filename}.{kind}"'})


@bp.get("/locations/<int:location_id>/qr.png", defaults={"kind": "png"}, endpoint="location_qr_png")
@bp.get("/locations/<int:location_id>/qr.svg", defaults={"kind": "svg"}, endpoint="location_qr_svg")
def location_qr(location_id: int, kind: str):
    location = scoped_get_or_404(Location, location_id)
    return qr_download(location_service.public_url(location), kind, f"qr-{location.code}")


@bp.get("/locations/<int:location_id>/poster")
def location_poster(location_id: int):
    location = scoped_get_or_404(Location, location_id)
    return render_template(
        "coordinator/locations/location_poster.html",
        location=location,
        short_url=location_service.short_url_text(location),
    )
