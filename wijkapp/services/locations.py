"""Locations and their QR codes."""
from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from sqlalchemy.orm.attributes import set_committed_value

from wijkapp.extensions import db
from wijkapp.models import Location, Partnership
from wijkapp.services import links
from wijkapp.services.codes import new_location_code


def add_location(partnership: Partnership, name: str, description: str = "") -> Location:
    location = Location(
        partnership_id=partnership.id,
        code=_unused_location_code(),
        name=name,
        description=description,
        is_active=True,
    )
    db.session.add(location)
    db.session.flush()
    return location


def locations_of(partnership: Partnership) -> list[Location]:
    """Active and inactive, by name."""
    return list(db.session.scalars(db.select(Location).where(Location.partnership_id == partnership.id)
                                   .order_by(Location.name)))


def location_by_code(code: str) -> Location | None:
    """The location with its partnership, in one query: every public page by code shows both.

    Both rows come back as a pair and the partnership is set as the loaded relationship: cheaper than
    a joined eager load, which the resident form would pay for on every request."""
    row = db.session.execute(db.select(Location, Partnership).join(Location.partnership)
                             .where(Location.code == code.lower())).first()
    if row is None:
        return None
    location, partnership = row
    set_committed_value(location, "partnership", partnership)
    return location


def public_url(location: Location) -> str:
    """What the printed QR code points to; PUBLIC_BASE_URL decides the host."""
    return links.public_url("public.resident_form", code=location.code)


def short_url_text(location: Location) -> str:
    """The URL as written under the QR code, without the scheme people need not type."""
    url = public_url(location)
    return url.split("://", 1)[-1]


def _qr(url: str) -> qrcode.QRCode:
    # Error correction M survives a scratched or partly covered poster.
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=12, border=4)
    qr.add_data(url)
    qr.make(fit=True)
    return qr


def qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    _qr(url).make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()


def qr_svg(url: str) -> bytes:
    buffer = io.BytesIO()
    _qr(url).make_image(image_factory=qrcode.image.svg.SvgPathFillImage).save(buffer)
    return buffer.getvalue()


QR_MIMETYPES = {"png": "image/png", "svg": "image/svg+xml"}


def qr_image(url: str, kind: str) -> tuple[bytes, str] | None:
    """The QR code for `url` as PNG or SVG with its mimetype; None for an unknown kind."""
    if kind == "png":
        return qr_png(url), QR_MIMETYPES["png"]
    if kind == "svg":
        return qr_svg(url), QR_MIMETYPES["svg"]
    return None


def _unused_location_code() -> str:
    while True:
        code = new_location_code()
        if location_by_code(code) is None:
            return code
