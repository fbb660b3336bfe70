"""Filters of a statistics request, parsed from a mapping (CLI ``--where``, query string, JSON)."""

from __future__ import annotations

import dataclasses
import re
from calendar import monthrange
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _

from survey.models.base import INTEGER_MAX
from survey.models.company import SIZE_CLASSES
from survey.models.response import COLLECTION_MODES
from survey.services.errors import DomainError
from survey.sni import SECTION_LETTERS

_KEY = re.compile(r"^[a-z0-9_-]{1,64}$", re.IGNORECASE)


@dataclass(frozen=True)
class Filters:
    """Which responses a statistic covers; every field but ``battery`` is optional.

    ``area`` is a service area key, ``industry`` an SNI section letter, ``size`` a size class,
    ``mode`` a collection mode; ``date_from`` and ``date_to`` are local dates (inclusive) in
    the configured time zone, widened to whole months.
    """

    battery: str
    survey_id: int | None = None
    area: str | None = None
    industry: str | None = None
    size: str | None = None
    official_id: int | None = None
    mode: str | None = None
    date_from: date | None = None
    date_to: date | None = None

    def __post_init__(self) -> None:
        """Widen the dates to whole months: a day more or less must change no figure
        (`statistics_disclosure`, rule 1)."""
        if self.date_from is not None:
            object.__setattr__(self, "date_from", self.date_from.replace(day=1))
        if self.date_to is not None:
            last = monthrange(self.date_to.year, self.date_to.month)[1]
            object.__setattr__(self, "date_to", self.date_to.replace(day=last))

    @classmethod
    def from_args(cls, args: Mapping[str, Any]) -> Filters:
        """Parse filters from a mapping of field names to values; empty values are ignored.

        Raises DomainError naming the unknown field or the bad value (``field`` is set).
        """
        names = {field.name for field in dataclasses.fields(cls)}
        values: dict[str, Any] = {}
        for name, raw in args.items():
            if name not in names:
                raise DomainError(
                    _(
                        "Unknown filter %(name)s; use one of %(names)s.",
                        name=name,
                        names=", ".join(f.name for f in dataclasses.fields(cls)),
                    ),
                    field=name,
                )
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            values[name] = _PARSERS[name](raw.strip() if isinstance(raw, str) else raw, name)
        if "battery" not in values:
            raise DomainError(_("Choose a question battery."), field="battery")
        filters = cls(**values)
        if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
            raise DomainError(_("The start date is after the end date."), field="date_from")
        return filters

    def with_battery(self, battery: str) -> Filters:
        """Return a copy for another battery."""
        return dataclasses.replace(self, battery=battery)


def _bad(name: str, raw: Any) -> DomainError:
    return DomainError(
        _("%(value)s is not a valid value for %(name)s.", value=str(raw), name=name), field=name
    )


def _key(raw: Any, name: str) -> str:
    if not isinstance(raw, str) or not _KEY.match(raw):
        raise _bad(name, raw)
    return raw


def _positive_int(raw: Any, name: str) -> int:
    if isinstance(raw, bool):
        raise _bad(name, raw)
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and raw.isdigit() and len(raw) <= len(str(INTEGER_MAX)):
        value = int(raw)
    else:
        raise _bad(name, raw)
    if not 1 <= value <= INTEGER_MAX:  # an id: beyond INTEGER, PostgreSQL refuses the query
        raise _bad(name, raw)
    return value


def _industry(raw: Any, name: str) -> str:
    if not isinstance(raw, str) or len(raw) != 1 or raw.upper() not in SECTION_LETTERS:
        raise _bad(name, raw)
    return raw.upper()


def _choice(allowed: tuple[str, ...]):  # noqa: ANN202 - a parser
    def parse(raw: Any, name: str) -> str:
        if raw not in allowed:
            raise _bad(name, raw)
        return str(raw)

    return parse


def _date(raw: Any, name: str) -> date:
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise _bad(name, raw) from None


_PARSERS = {
    "battery": _key,
    "survey_id": _positive_int,
    "area": _key,
    "industry": _industry,
    "size": _choice(SIZE_CLASSES),
    "official_id": _positive_int,
    "mode": _choice(COLLECTION_MODES),
    "date_from": _date,
    "date_to": _date,
}
