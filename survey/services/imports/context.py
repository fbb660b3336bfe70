"""The context columns of an imported response file: when, where, which industry and company.

``submitted_at`` is required; ``area``, ``industry``, ``size``, ``org_number``, ``survey``,
``language``, ``visit_date``, ``collection_mode`` and ``response_id`` are optional. What
each one does is documented in ``read_context``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import select

from survey import orgnr, sni
from survey.extensions import db
from survey.models import BatteryVersion, Company, ServiceArea, Survey, Visit
from survey.models.company import SIZE_CLASSES
from survey.models.response import COLLECTION_MODES
from survey.services.exports.rows import restore
from survey.services.imports.cells import CellError, parse_date, parse_timestamp
from survey.sni import SECTION_LETTERS

CONTEXT_COLUMNS = (
    "response_id",
    "submitted_at",
    "collection_mode",
    "language",
    "survey",
    "area",
    "industry",
    "size",
    "org_number",
    "visit_date",
    "company",  # the export's pseudonym or company name: accepted, not kept
    "company_name",
)
LANGUAGES = ("sv", "en")
CHUNK = 900  # values per IN (...) list, below SQLite's parameter limit


@dataclass
class Lookups:
    """Register data the context columns are checked against, loaded once per file."""

    zone: ZoneInfo
    now: datetime
    areas: dict[str, int]
    surveys: dict[str, int]
    seen_ids: set[int] = field(default_factory=set)

    @classmethod
    def load(cls, battery_id: int, zone: ZoneInfo, now: datetime) -> Lookups:
        """Load service areas (by key and names, lower case) and the battery's surveys."""
        areas: dict[str, int] = {}
        for area_id, key, name_sv, name_en in db.session.execute(
            select(ServiceArea.id, ServiceArea.key, ServiceArea.name_sv, ServiceArea.name_en)
        ):
            for name in (name_en, name_sv, key):
                areas[name.strip().lower()] = area_id
        surveys: dict[str, int] = {}
        for survey_id, name in db.session.execute(
            select(Survey.id, Survey.name)
            .join(BatteryVersion, Survey.battery_version_id == BatteryVersion.id)
            .where(BatteryVersion.battery_id == battery_id)
        ):
            surveys[name.strip().lower()] = survey_id
            surveys[str(survey_id)] = survey_id
        return cls(zone, now, areas, surveys)


def read_context(column: str, raw: str, lookups: Lookups, values: dict[str, Any]) -> None:
    """Check one non-empty context cell and put what it means into ``values``.

    - ``submitted_at``: ISO 8601; with an offset, or local time in SURVEY_TIMEZONE; a date
      alone is local midnight; not in the future.
    - ``area``: a service area's key or Swedish or English name, any case.
    - ``industry``: an SNI section letter or an SNI code (e.g. 47.111), stored as its section.
    - ``size``: a size class; ``language``: sv or en.
    - ``org_number``: a valid organisation number; it links the response to the company when
      the register has it (and fills industry and size when their cells are empty), and is
      otherwise ignored.
    - ``visit_date``: a date; with a linked company it links the company's visit that day, if
      there is exactly one.
    - ``survey``: the id or name of a survey of this battery.
    - ``collection_mode``: checked but not kept: imported responses are always "import".
    - ``response_id``: a whole number, unique in the file, not kept (ids are the database's).
    """
    text = restore(raw.strip())  # names the export neutralised against formula injection
    if column == "submitted_at":
        moment = parse_timestamp(text, lookups.zone)
        if moment > lookups.now:
            raise CellError(_("%(value)s is in the future.", value=raw))
        values["submitted_at"] = moment
    elif column == "area":
        if text.lower() not in lookups.areas:
            raise CellError(_("There is no service area %(key)s.", key=raw))
        values["service_area_id"] = lookups.areas[text.lower()]
    elif column == "industry":
        values["sni_section"] = _industry(text)
    elif column == "size":
        if text not in SIZE_CLASSES:
            raise CellError(_unknown(raw, SIZE_CLASSES))
        values["size_class"] = text
    elif column == "language":
        if text.lower() not in LANGUAGES:
            raise CellError(_unknown(raw, LANGUAGES))
        values["language"] = text.lower()
    else:
        _read_reference(column, text, raw, lookups, values)


def _read_reference(
    column: str, text: str, raw: str, lookups: Lookups, values: dict[str, Any]
) -> None:
    if column == "org_number":
        try:
            values["org_number"] = orgnr.normalize(text)
        except orgnr.OrgNumberError as error:
            raise CellError(error.message) from None
    elif column == "visit_date":
        values["visit_date"] = parse_date(text)
    elif column == "survey":
        if text.lower() not in lookups.surveys:
            raise CellError(_("There is no survey %(name)s of this battery.", name=raw))
        values["survey_id"] = lookups.surveys[text.lower()]
    elif column == "collection_mode":
        if text not in COLLECTION_MODES:
            raise CellError(_unknown(raw, COLLECTION_MODES))
    elif column == "response_id":
        if not text.isascii() or not text.isdigit() or int(text) < 1:
            raise CellError(_("%(value)s is not a whole number.", value=raw))
        if int(text) in lookups.seen_ids:
            raise CellError(_("The response id %(value)s appears twice.", value=raw))
        lookups.seen_ids.add(int(text))


def _industry(text: str) -> str:
    if len(text) == 1 and text.upper() in SECTION_LETTERS:
        return text.upper()
    code = sni.normalize_code(text)
    letter = sni.section_letter(code)
    if letter is None:
        raise CellError(
            _("%(value)s is neither an SNI section letter nor an SNI code.", value=text)
        )
    return letter


def _unknown(raw: str, allowed: tuple[str, ...]) -> str:
    return _("%(value)s is not one of %(allowed)s.", value=raw, allowed=", ".join(allowed))


def link_companies(responses: list[dict[str, Any]], extras: list[dict[str, Any]]) -> None:
    """Fill company_id (and empty industry and size) from the register, then visit_id."""
    numbers = sorted({e["org_number"] for e in extras if e.get("org_number")})
    companies: dict[str, tuple[int, str | None, str | None]] = {}
    for start in range(0, len(numbers), CHUNK):
        for cid, number, section, size in db.session.execute(
            select(Company.id, Company.org_number, Company.sni_section, Company.size_class).where(
                Company.org_number.in_(numbers[start : start + CHUNK])
            )
        ):
            companies[number] = (cid, section, size)
    visits = _visits({c[0] for c in companies.values()})
    for response, extra in zip(responses, extras, strict=True):
        found = companies.get(extra.get("org_number") or "")
        if found is None:
            continue
        response["company_id"] = found[0]
        response["sni_section"] = response["sni_section"] or found[1]
        response["size_class"] = response["size_class"] or found[2]
        response["visit_id"] = visits.get((found[0], extra.get("visit_date")))


def _visits(company_ids: set[int]) -> dict[tuple[int, date | None], int | None]:
    """Map (company, date) to the visit id, or None when that day has several visits."""
    ids = sorted(company_ids)
    result: dict[tuple[int, date | None], int | None] = {}
    for start in range(0, len(ids), CHUNK):
        for visit_id, company_id, day in db.session.execute(
            select(Visit.id, Visit.company_id, Visit.visit_date).where(
                Visit.company_id.in_(ids[start : start + CHUNK])
            )
        ):
            key = (company_id, day)
            result[key] = None if key in result else visit_id
    return result
