"""People, partnerships and roles."""
from __future__ import annotations

import re
import unicodedata

from flask import current_app, has_app_context
from werkzeug.security import check_password_hash, generate_password_hash

from wijkapp.extensions import db
from wijkapp.models import Membership, Partnership, Role, Theme, User

DEFAULT_THEMES = (
    "Verkeer", "Veiligheid", "Groen en spelen", "Afval", "Wonen", "Zorg en gezondheid",
    "Ontmoeting en eenzaamheid", "Jongeren", "Geld en armoede", "Overig",
)


SLUG_MAX = 60  # Partnership.slug's column


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:SLUG_MAX] or "wijkverband"


def unused_slug(name: str) -> str:
    base = slugify(name)
    slug, n = base, 2
    while db.session.scalar(db.select(Partnership.id).where(Partnership.slug == slug)) is not None:
        suffix = f"-{n}"
        # Cut the base, not the number: PostgreSQL refuses a slug longer than its column.
        slug, n = f"{base[:SLUG_MAX - len(suffix)].rstrip('-')}{suffix}", n + 1
    return slug


def create_partnership(name: str, slug: str | None = None, neighbourhood: str = "") -> Partnership:
    partnership = Partnership(name=name, slug=slug or unused_slug(name), neighbourhood=neighbourhood)
    db.session.add(partnership)
    db.session.flush()
    for position, theme in enumerate(DEFAULT_THEMES):
        db.session.add(Theme(partnership_id=partnership.id, name=theme, position=position))
    db.session.flush()
    return partnership


def partnership_by_slug(slug: str) -> Partnership | None:
    return db.session.scalar(db.select(Partnership).where(Partnership.slug == slug))


def user_by_email(email: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.email == email.strip().lower()))


# Checked when no account has the e-mail address, so both answers take the same time: made on first
# use with the configured method (scrypt in production), one hash per method.
_NO_ACCOUNT_HASHES: dict[str, str] = {}


def _no_account_hash() -> str:
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"
    if method not in _NO_ACCOUNT_HASHES:
        _NO_ACCOUNT_HASHES[method] = generate_password_hash("no account has this password", method=method)
    return _NO_ACCOUNT_HASHES[method]


def password_matches(user: User | None, password: str) -> bool:
    if user is None or not user.has_password:  # a contact has no password: the same work, the same no
        check_password_hash(_no_account_hash(), password)
        return False
    return user.check_password(password)


def ensure_user(email: str, password: str | None, name: str = "") -> User:
    """The user with this e-mail, created when new; a given password replaces the old one."""
    user = user_by_email(email)
    if user is None:
        if not password:
            raise ValueError("Een nieuw account heeft een wachtwoord nodig.")
        user = User(email=email.strip().lower(), name=name)
        db.session.add(user)
    if password:
        user.set_password(password)
    if name:
        user.name = name
    db.session.flush()
    return user


def grant_role(user: User, partnership: Partnership, role: Role) -> Membership:
    membership = db.session.scalar(
        db.select(Membership).where(
            Membership.user_id == user.id,
            Membership.partnership_id == partnership.id,
            Membership.role == role.value,
        )
    )
    if membership is None:
        membership = Membership(user_id=user.id, partnership_id=partnership.id, role=role.value)
        db.session.add(membership)
        db.session.flush()
        db.session.refresh(user)
    return membership


def has_accounts() -> bool:
    """False only at first start, before the setup link made the first coordinator."""
    return db.session.scalar(db.select(User.id).limit(1)) is not None


def roles_by_partnership(user: User) -> dict[Partnership, list[Role]]:
    """Every partnership the person works in, by name, with their roles there."""
    rows = db.session.execute(
        db.select(Partnership, Membership.role).join(Membership, Membership.partnership_id == Partnership.id)
        .where(Membership.user_id == user.id).order_by(Partnership.name, Membership.role)
    ).all()
    places: dict[Partnership, list[Role]] = {}
    for partnership, role in rows:
        places.setdefault(partnership, []).append(Role(role))
    return places
