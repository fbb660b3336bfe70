"""Who sends the surveys: the organisation's name, unit, logo and contact, set by an admin.

Every page, mail and report shows the sender through `current()`: the stored row, or, while
no admin has set one, the settings SURVEY_CONTACT_NAME and SURVEY_CONTACT_EMAIL. Within a
request the answer is read once (`flask.g`); outside one (the mail worker) on every call, so a
long-running worker picks up a change.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask import current_app, g, has_request_context, url_for
from flask_babel import gettext as _
from sqlalchemy import Row, select
from sqlalchemy.exc import SQLAlchemyError

from survey.extensions import db
from survey.models import Organisation
from survey.models.base import utcnow
from survey.services import audit
from survey.services.errors import DomainError
from survey.services.organisation.logo import check_logo

ROW_ID = 1
_PHONE = re.compile(r"^\+?[0-9 ()\-–]{5,40}$")
_WEBSITE = re.compile(r"^https?://[^\s/$.?#][^\s<>\"']*$", re.IGNORECASE)


@dataclass(frozen=True)
class Identity:
    """The sender as templates see it (`organisation` in every template)."""

    name: str
    unit: str
    contact_email: str
    contact_phone: str
    website: str
    logo_url: str | None

    @property
    def sender(self) -> str:
        """Return the sender's name as a mail's From shows it: "unit, organisation"."""
        return f"{self.unit}, {self.name}" if self.unit else self.name


@dataclass(frozen=True)
class IdentityInput:
    """What the admin's settings form gives; `check()` tells what is wrong beside a field."""

    name: str
    unit: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    website: str = ""


def current() -> Identity:
    """Return the sender: the admin's settings, else the SURVEY_CONTACT_* settings."""
    if has_request_context() and "organisation_identity" in g:
        return g.organisation_identity
    try:
        row = db.session.execute(_IDENTITY_QUERY).first()
    except SQLAlchemyError:  # an error page while the database fails: the settings speak
        db.session.rollback()
        return _identity(None)
    identity = _identity(row)
    if has_request_context():
        g.organisation_identity = identity
    return identity


#: The columns the sender is shown with: not the logo's bytes, which its own route serves.
_IDENTITY_QUERY = select(
    Organisation.name,
    Organisation.unit,
    Organisation.contact_email,
    Organisation.contact_phone,
    Organisation.website,
    Organisation.logo_digest,
).where(Organisation.id == ROW_ID)


def _identity(row: Row[Any] | None) -> Identity:
    config = current_app.config
    if row is None:
        return Identity(
            name=config["SURVEY_CONTACT_NAME"],
            unit="",
            contact_email=config["SURVEY_CONTACT_EMAIL"],
            contact_phone="",
            website="",
            logo_url=None,
        )
    return Identity(
        name=row.name,
        unit=row.unit,
        contact_email=row.contact_email or config["SURVEY_CONTACT_EMAIL"],
        contact_phone=row.contact_phone,
        website=row.website,
        logo_url=_logo_url(row.logo_digest) if row.logo_digest else None,
    )


def _logo_url(digest: str) -> str:
    """Return the logo's address, versioned by its digest so it may be cached for long."""
    if has_request_context():
        return url_for("organisation.logo", v=digest[:16])
    return f"{current_app.config['SURVEY_BASE_URL']}/organisation/logo?v={digest[:16]}"


def stored() -> Organisation | None:
    """Return the stored settings (for the form), or None before an admin has set them."""
    return db.session.get(Organisation, ROW_ID)


def check(data: IdentityInput) -> IdentityInput:
    """Return the input tidied (spaces trimmed, e-mail normalised), or raise DomainError."""
    name, unit = data.name.strip(), data.unit.strip()
    if not name:
        raise DomainError(_("Enter the organisation's name."), field="name")
    for field, text in (("name", name), ("unit", unit)):  # both go into the From header
        if any(unicodedata.category(char) == "Cc" for char in text):
            raise DomainError(
                _("Write this on one line, without line breaks or control characters."),
                field=field,
            )
    email = data.contact_email.strip()
    if email:
        try:
            email = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError:
            raise DomainError(
                _("Enter an e-mail address like name@kommun.se."), field="contact_email"
            ) from None
    phone = " ".join(data.contact_phone.split())
    if phone and not _PHONE.match(phone):
        raise DomainError(
            _("Enter a phone number with digits, spaces, dashes and an optional +."),
            field="contact_phone",
        )
    website = data.website.strip()
    if website and not _WEBSITE.match(website):
        raise DomainError(
            _("Enter a web address that starts with https:// or http://."), field="website"
        )
    return IdentityInput(name, unit, email, phone, website)


def save(
    data: IdentityInput, *, logo: bytes | None = None, remove_logo: bool = False, actor_id: int
) -> Organisation:
    """Store the organisation's settings, and a new logo (checked by content) or none."""
    data = check(data)
    accepted = check_logo(logo) if logo is not None else None
    row = stored() or Organisation(id=ROW_ID)
    changed = [
        name
        for name in ("name", "unit", "contact_email", "contact_phone", "website")
        if getattr(row, name) != getattr(data, name)
    ]
    for name in changed:
        setattr(row, name, getattr(data, name))
    now = utcnow()
    if accepted is not None:
        row.logo, row.logo_type = accepted.data, accepted.media_type
        row.logo_digest = hashlib.sha256(accepted.data).hexdigest()
        row.logo_updated_at = now
        changed.append("logo")
    elif remove_logo and row.logo is not None:
        row.logo = row.logo_type = row.logo_digest = None
        row.logo_updated_at = now
        changed.append("logo")
    row.updated_at, row.updated_by_id = now, actor_id
    db.session.add(row)
    audit.record(
        "organisation.update", user_id=actor_id, object_type="organisation", fields=changed
    )
    db.session.commit()
    if has_request_context():
        g.pop("organisation_identity", None)
    return row


@dataclass(frozen=True)
class StoredLogo:
    """The logo's bytes as stored, with the type found when it was checked."""

    data: bytes
    media_type: str
    digest: str


def logo() -> StoredLogo | None:
    """Return the stored logo, or None when there is none."""
    row = db.session.execute(
        select(Organisation.logo, Organisation.logo_type, Organisation.logo_digest).where(
            Organisation.id == ROW_ID
        )
    ).first()
    if row is None or row.logo is None:
        return None
    return StoredLogo(bytes(row.logo), row.logo_type, row.logo_digest)


def set_for_demo(name: str, unit: str, contact_email: str, website: str) -> None:
    """Name the demo's municipality as its sender unless an admin has set one (no commit)."""
    if stored() is None:
        db.session.add(
            Organisation(
                id=ROW_ID,
                name=name,
                unit=unit,
                contact_email=contact_email,
                contact_phone="",
                website=website,
                updated_at=utcnow(),
            )
        )
