"""The company register: validate, list, create, edit, opt out and delete companies."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import exists, or_, select
from sqlalchemy.exc import IntegrityError

from survey import orgnr, sni
from survey.extensions import db
from survey.models import Company, Invitation, Response, Visit
from survey.models.base import utcnow
from survey.models.company import LANGUAGES, SIZE_CLASSES
from survey.paging import Page, paginate
from survey.services import audit
from survey.services.errors import DomainError, NotFound

FIELDS = (
    "org_number",
    "name",
    "sni_code",
    "size_class",
    "contact_name",
    "contact_email",
    "language",
)
DEFAULT_LANGUAGE = LANGUAGES[0]
MAX_LENGTHS = {"name": 200, "contact_name": 200, "contact_email": 254, "sni_code": 12}
_EMPLOYEE_BANDS = ((0, "0"), (1, "1-9"), (10, "10-49"), (50, "50-249"), (250, "250+"))
# What a register file may say for a language, besides the codes themselves.
_LANGUAGE_NAMES = {"svenska": "sv", "swedish": "sv", "engelska": "en", "english": "en"}


class _UnknownSniCode(ValueError):
    """A code of the right form that SNI 2007 does not have (e.g. 99.999)."""


class InvalidCompany(DomainError):
    """Several fields are wrong; `errors` maps each field to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        field, message = next(iter(errors.items()))
        super().__init__(message, field=field)
        self.errors = errors


def size_class_of(raw: str) -> str | None:
    """Return the size class for a class name or an employee count ("12" -> "10-49")."""
    text = raw.strip().replace("–", "-").replace(" ", "")
    if text in SIZE_CLASSES:
        return text
    if text.isascii() and text.isdigit():
        count = int(text)
        return [label for floor, label in _EMPLOYEE_BANDS if count >= floor][-1]
    raise ValueError(text)


def language_of(raw: str) -> str:
    """Return the language code for a code or name ("EN", "engelska" -> "en")."""
    text = raw.strip().lower()
    code = _LANGUAGE_NAMES.get(text, text)
    if code not in LANGUAGES:
        raise ValueError(text)
    return code


def _clean_email(raw: str) -> str:
    return validate_email(raw, check_deliverability=False).normalized


def clean_fields(raw: Mapping[str, str | None]) -> tuple[dict[str, Any], dict[str, str]]:
    """Validate the given company fields; return (clean values, errors by field)."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field in FIELDS:
        if field not in raw:
            continue
        text = (raw[field] or "").strip()
        if len(text) > MAX_LENGTHS.get(field, 40):
            errors[field] = _("Too long (at most %(n)s characters).", n=MAX_LENGTHS.get(field, 40))
            continue
        try:
            values[field] = _clean(field, text)
        except orgnr.OrgNumberError as error:
            errors[field] = error.message
        except EmailNotValidError:
            errors[field] = _("Not a valid e-mail address.")
        except _UnknownSniCode:
            errors[field] = _(
                "SNI 2007 has no code %(code)s: its division or group does not exist.", code=text
            )
        except ValueError:
            errors[field] = _INVALID[field]()
    if "sni_code" in values:
        values["sni_section"] = sni.section_letter(values["sni_code"])
    return values, errors


def _clean(field: str, text: str) -> str | None:
    if field == "org_number":
        return orgnr.normalize(text)
    if field == "name" and not text:
        raise ValueError(text)
    if not text:
        return None
    if field == "sni_code":
        code = sni.normalize_code(text)
        if code is None:
            raise _UnknownSniCode(text) if sni.is_written_as_code(text) else ValueError(text)
        return code
    if field == "size_class":
        return size_class_of(text)
    if field == "contact_email":
        return _clean_email(text)
    if field == "language":
        return language_of(text)
    return text


_INVALID = {
    "name": lambda: _("Enter the company's name."),
    "sni_code": lambda: _("Not an SNI 2007 code (2 to 5 digits, e.g. 47.111)."),
    "size_class": lambda: _(
        "Not a size class (0, 1-9, 10-49, 50-249, 250+) or a number of employees."
    ),
    "language": lambda: _("Not a language: write sv (Swedish) or en (English)."),
}


def list_companies(
    *,
    query: str = "",
    section: str | None = None,
    size_class: str | None = None,
    opted_out: bool | None = None,
    page: int = 1,
) -> Page[Company]:
    """Return one page of companies matching a name/org number search and filters."""
    statement = select(Company).order_by(Company.name, Company.id)
    text = query.strip()
    if text:
        digits = text.replace("-", "").replace(" ", "")
        by_number = digits[:6] + "-" + digits[6:] if len(digits) > 6 else digits
        conditions = [Company.name.ilike(f"%{_escape(text)}%", escape="\\")]
        if digits.isdigit():
            conditions.append(Company.org_number.contains(by_number, autoescape=True))
        statement = statement.where(or_(*conditions))
    if section:
        statement = statement.where(Company.sni_section == section)
    if size_class:
        statement = statement.where(Company.size_class == size_class)
    if opted_out is not None:
        statement = statement.where(Company.opted_out.is_(opted_out))
    return paginate(statement, page)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def get_company(company_id: int) -> Company:
    """Return the company or raise NotFound."""
    company = db.session.get(Company, company_id)
    if company is None:
        raise NotFound(_("No such company."))
    return company


def _check_unique(org_number: str, company_id: int | None) -> None:
    query = select(Company.id).where(Company.org_number == org_number)
    if company_id is not None:
        query = query.where(Company.id != company_id)
    if db.session.scalar(query) is not None:
        raise InvalidCompany(
            {"org_number": _("A company with this organisation number is already registered.")}
        )


def _validated(raw: Mapping[str, Any], company_id: int | None) -> dict[str, Any]:
    values, errors = clean_fields({field: raw.get(field) for field in FIELDS})
    if errors:
        raise InvalidCompany(errors)
    _check_unique(values["org_number"], company_id)
    values["opted_out"] = bool(raw.get("opted_out"))
    if values.get("language") is None:  # not given: Swedish for a new company, else kept
        values.pop("language", None)
        if company_id is None:
            values["language"] = DEFAULT_LANGUAGE
    return values


def _commit_unique() -> None:
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise InvalidCompany(
            {"org_number": _("A company with this organisation number is already registered.")}
        ) from None


def create_company(data: Mapping[str, Any], *, actor_id: int | None) -> Company:
    """Register a new company from form data; its org number must be new."""
    company = Company(**_validated(data, None))
    db.session.add(company)
    db.session.flush()
    audit.record("company.create", user_id=actor_id, object_type="company", object_id=company.id)
    _commit_unique()
    return company


def update_company(company_id: int, data: Mapping[str, Any], *, actor_id: int | None) -> Company:
    """Change a company's fields; record which fields changed."""
    company = get_company(company_id)
    values = _validated(data, company_id)
    changed = sorted(name for name, value in values.items() if getattr(company, name) != value)
    if changed:
        for name in changed:
            setattr(company, name, values[name])
        company.updated_at = utcnow()
        audit.record(
            "company.update",
            user_id=actor_id,
            object_type="company",
            object_id=company.id,
            fields=changed,
        )
    _commit_unique()
    return company


def set_opted_out(company_id: int, opted_out: bool, *, actor_id: int | None) -> Company:
    """Opt a company out of surveys, or back in."""
    company = get_company(company_id)
    if company.opted_out != opted_out:
        company.opted_out = opted_out
        company.updated_at = utcnow()
        action = "company.opt_out" if opted_out else "company.opt_in"
        audit.record(action, user_id=actor_id, object_type="company", object_id=company.id)
    db.session.commit()
    return company


def deletion_blocker(company_id: int) -> str | None:
    """Return why the company cannot be deleted (visits, invitations, responses), or None.

    Its responses (imported ones included) are kept for the statistics, so a company with
    any is refused with a reason rather than failing on their foreign key.
    """
    in_use = db.session.scalar(
        select(
            exists().where(Visit.company_id == company_id)
            | exists().where(Invitation.company_id == company_id)
        )
    )
    if in_use:
        return _("The company has visits or survey invitations and cannot be deleted.")
    if db.session.scalar(select(exists().where(Response.company_id == company_id))):
        return _(
            "The company has survey responses, which are kept for the statistics, "
            "so it cannot be deleted."
        )
    return None


def delete_company(company_id: int, *, actor_id: int | None) -> None:
    """Delete a company that has no visits, survey invitations or responses."""
    company = get_company(company_id)
    blocker = deletion_blocker(company_id)
    if blocker:
        raise DomainError(blocker, field=None)
    db.session.delete(company)
    audit.record("company.delete", user_id=actor_id, object_type="company", object_id=company_id)
    try:
        db.session.commit()
    except IntegrityError:  # a response or visit added since the checks above
        db.session.rollback()
        raise DomainError(
            _("The company is in use (a visit, invitation or response) and cannot be deleted."),
            field=None,
        ) from None
