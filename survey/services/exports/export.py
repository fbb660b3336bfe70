"""Export submitted responses as CSV (wide or long) with a codebook and a data package.

`export_responses` is the use case: it checks who may see company identities, counts the rows,
writes the audit event and commits, then returns an `ExportFile` whose `chunks` generator streams
the CSV from the database (see export_rows). The web page, the CLI and the JSON API all call it.

Companies appear as a stable per-installation pseudonym (`company`), unless an admin or official
asks for identities (`org_number`, `company_name`). Anonymous surveys never show either.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import Battery, BatteryVersion, Response, Survey
from survey.services import audit
from survey.services.errors import DomainError, NotFound
from survey.services.exports.codebook import LONG_COLUMNS, codebook_chunks, datapackage
from survey.services.exports.columns import Column, Layout, battery_layout
from survey.services.exports.pseudonyms import pseudonymizer
from survey.services.exports.rows import Dialect, csv_batches, long_batches
from survey.services.exports.wide import wide_rows

LAYOUTS = ("wide", "long")
IDENTITY_ROLES = ("admin", "official")


@dataclass(frozen=True)
class ExportRequest:
    """What to export: a battery (all its versions), optionally one survey, and how."""

    battery: str
    survey_id: int | None = None
    layout: str = "wide"
    excel: bool = False
    identities: bool = False


@dataclass
class ExportFile:
    """A started export: file names, row count and the streaming CSV text."""

    request: ExportRequest
    layout: Layout
    title: str
    rows: int
    identities: bool
    dialect: Dialect
    chunks: Iterator[str] = field(repr=False)

    @property
    def columns(self) -> tuple[Column, ...]:
        return self.layout.columns if self.request.layout == "wide" else LONG_COLUMNS

    @property
    def filename(self) -> str:
        suffix = "-excel" if self.dialect.excel else ""
        return f"{self.request.battery}-{self.request.layout}{suffix}.csv"

    @property
    def codebook_filename(self) -> str:
        return self.filename.removesuffix(".csv") + "-codebook.csv"

    def codebook(self) -> str:
        """Return the codebook CSV text (small: one row per column)."""
        return "".join(codebook_chunks(self.columns, self.dialect))

    def datapackage(self) -> dict[str, Any]:
        """Return the datapackage.json object describing the data and codebook files."""
        return datapackage(
            battery=self.request.battery,
            title=self.title,
            layout=self.request.layout,
            columns=self.columns,
            data_path=self.filename,
            codebook_path=self.codebook_filename,
            dialect=self.dialect,
        )

    def documentation_zip(self) -> bytes:
        """Return a zip with the codebook CSV and datapackage.json, to put beside the data."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(self.codebook_filename, self.codebook().encode("utf-8"))
            archive.writestr("datapackage.json", dump_json(self.datapackage()))
        return buffer.getvalue()


def dump_json(payload: dict[str, Any]) -> bytes:
    """Return a JSON document as UTF-8 bytes, indented for people to read."""
    return (json.dumps(payload, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def may_see_identities(role: str | None) -> bool:
    """Tell whether a role may export company identities (when it asks for them)."""
    return role in IDENTITY_ROLES


def export_responses(
    request: ExportRequest,
    *,
    user_id: int | None,
    role: str | None,
    via: str,
    ip: str | None = None,
) -> ExportFile:
    """Start an export: check rights, record it in the audit log (committed), return the stream.

    `role` None means the command line (the server's operator), which may see identities.
    """
    layout, identities, anonymous = _prepare(request, role)
    rows = _count(layout, request.survey_id)
    audit.record(
        "export.responses",
        user_id=user_id,
        object_type="battery",
        object_id=request.battery,
        ip=ip,
        battery=request.battery,
        survey_id=request.survey_id,
        format=request.layout,
        excel=request.excel,
        rows=rows,
        identities=identities,
        via=via,
    )
    db.session.commit()
    dialect = Dialect(excel=request.excel)
    pseudonym = None if identities or anonymous else pseudonymizer()
    zone = ZoneInfo(current_app.config["SURVEY_TIMEZONE"])
    return ExportFile(
        request=request,
        layout=layout,
        title=_title(layout),
        rows=rows,
        identities=identities,
        dialect=dialect,
        chunks=_chunks(layout, request, dialect, zone, pseudonym),
    )


def describe_export(request: ExportRequest, *, role: str | None) -> ExportFile:
    """Return an export's columns and documentation without reading or logging any response."""
    layout, identities, _anonymous = _prepare(request, role)
    return ExportFile(
        request=request,
        layout=layout,
        title=_title(layout),
        rows=0,
        identities=identities,
        dialect=Dialect(excel=request.excel),
        chunks=iter(()),
    )


def _prepare(request: ExportRequest, role: str | None) -> tuple[Layout, bool, bool]:
    """Check the request; return the layout and whether identities and anonymity apply."""
    if request.layout not in LAYOUTS:
        raise DomainError(_("Choose wide or long format."), field="layout")
    if request.identities and role is not None and not may_see_identities(role):
        raise DomainError(_("Your role may not export company identities."), field="identities")
    anonymous = _check_survey(request)
    identities = request.identities and not anonymous
    layout = battery_layout(request.battery, identities=identities, pseudonyms=not anonymous)
    return layout, identities, anonymous


def _check_survey(request: ExportRequest) -> bool:
    """Return whether the chosen survey is anonymous; refuse a survey of another battery."""
    if request.survey_id is None:
        return False
    survey = db.session.get(Survey, request.survey_id)
    if survey is None or survey.battery_version.battery.key != request.battery:
        raise NotFound(_("There is no such survey of this battery."), field="survey_id")
    return survey.anonymous


def _count(layout: Layout, survey_id: int | None) -> int:
    query = select(func.count(Response.id)).where(
        Response.battery_version_id.in_(layout.version_ids)
    )
    if survey_id is not None:
        query = query.where(Response.survey_id == survey_id)
    return db.session.scalar(query) or 0


def _title(layout: Layout) -> str:
    latest = db.session.get(BatteryVersion, layout.version_ids[0])
    return latest.title_sv if latest is not None else layout.battery


def _chunks(
    layout: Layout,
    request: ExportRequest,
    dialect: Dialect,
    zone: ZoneInfo,
    pseudonym: Callable[[str], str] | None,
) -> Iterator[str]:
    if request.layout == "wide":
        header = [column.name for column in layout.columns]
        batches: Iterator[Any] = wide_rows(layout, request.survey_id, dialect, zone, pseudonym)
    else:
        header = [column.name for column in LONG_COLUMNS]
        batches = long_batches(layout, request.survey_id, dialect)
    yield from csv_batches(header, batches, dialect)


@dataclass(frozen=True)
class Choices:
    """What can be exported: published batteries (key, title) and surveys (id, name, battery)."""

    batteries: list[tuple[str, str]]
    surveys: list[tuple[int, str, str]]


def export_choices() -> Choices:
    """Return the batteries with a published version and the surveys, for the export form."""
    latest = (
        select(BatteryVersion.battery_id, func.max(BatteryVersion.number).label("number"))
        .where(BatteryVersion.status == "published")
        .group_by(BatteryVersion.battery_id)
        .subquery()
    )
    batteries = db.session.execute(
        select(Battery.key, BatteryVersion.title_sv)
        .join(latest, latest.c.battery_id == Battery.id)
        .join(
            BatteryVersion,
            (BatteryVersion.battery_id == Battery.id) & (BatteryVersion.number == latest.c.number),
        )
        .order_by(Battery.key)
    ).all()
    surveys = db.session.execute(
        select(Survey.id, Survey.name, Battery.key)
        .join(BatteryVersion, Survey.battery_version_id == BatteryVersion.id)
        .join(Battery, BatteryVersion.battery_id == Battery.id)
        .order_by(Survey.id.desc())
    ).all()
    return Choices([tuple(row) for row in batteries], [tuple(row) for row in surveys])
