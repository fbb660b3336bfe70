"""Validate the cells of an imported response file, one question or context column at a time.

Every parser takes the raw cell text and returns the stored value, or raises CellError with
a user-facing reason; the caller attaches the line and column.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from survey.models import Question
from survey.questionnaires.model import NPS_MAX, NPS_MIN, TEXT_MAX_LENGTH_DEFAULTS
from survey.services.exports.rows import restore

YES_NO = {"yes": "yes", "no": "no", "ja": "yes", "nej": "no"}
FLAGS = {"0": False, "1": True}


class CellError(ValueError):
    """A cell's value is not allowed; the message is user-facing."""


@dataclass
class QuestionSpec:
    """A question of the imported version and the columns (by index) that hold its answer."""

    question_id: int
    key: str
    type: str
    low: float | None = None
    high: float | None = None
    integer: bool = False
    options: tuple[str, ...] = ()
    max_length: int | None = None
    value_column: int | None = None
    option_columns: dict[str, int] = field(default_factory=dict)
    dont_know_column: int | None = None
    dont_know: bool = False
    # The answers of a scale's or NPS's plain cells ("1" ... "6"), known before any row.
    known: dict[str, Answer] = field(default_factory=dict)

    @classmethod
    def of(cls, question: Question) -> QuestionSpec:
        """Describe a stored question."""
        spec = cls(question.id, question.key, question.type, dont_know=question.dont_know)
        if question.type == "scale":
            spec.low, spec.high, spec.integer = question.scale_min, question.scale_max, True
        elif question.type == "nps":
            spec.low, spec.high, spec.integer = NPS_MIN, NPS_MAX, True
        elif question.type == "number":
            spec.low, spec.high = question.number_min, question.number_max
            spec.integer = question.number_integer
        spec.options = tuple(option.key for option in question.options)
        spec.max_length = question.max_length or TEXT_MAX_LENGTH_DEFAULTS.get(question.type)
        if question.type in ("scale", "nps") and spec.low is not None and spec.high is not None:
            whole = range(int(spec.low), int(spec.high) + 1)
            spec.known = {str(value): (float(value), None, False) for value in whole}
        return spec


Answer = tuple[float | None, str | None, bool]  # value_number, value_text, dont_know


def parse_number(raw: str, *, decimal_comma: bool) -> float:
    """Parse a number written with a point (or, with `;` files, a comma) as decimal mark."""
    text = raw.strip().replace("\u2212", "-")
    if decimal_comma:
        text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        raise CellError(_("%(value)s is not a number.", value=raw)) from None
    if not math.isfinite(value):
        raise CellError(_("%(value)s is not a number.", value=raw))
    return value


def parse_value(spec: QuestionSpec, raw: str, *, decimal_comma: bool) -> Answer:
    """Check one non-empty answer cell against its question and return the stored answer."""
    kind = spec.type
    if kind in ("scale", "nps", "number"):
        return _number(spec, raw, decimal_comma=decimal_comma), None, False
    if kind == "single_choice":
        if raw.strip() not in spec.options:
            raise CellError(_unknown_option(raw, spec.options))
        return None, raw.strip(), False
    if kind == "multiple_choice":
        chosen = set(raw.split())
        unknown = sorted(chosen - set(spec.options))
        if unknown:
            raise CellError(_unknown_option(unknown[0], spec.options))
        return None, " ".join(key for key in spec.options if key in chosen), False
    if kind == "yes_no":
        if raw.strip().lower() not in YES_NO:
            raise CellError(_("Write yes or no, not %(value)s.", value=raw))
        return None, YES_NO[raw.strip().lower()], False
    if kind == "date":
        return None, parse_date(raw).isoformat(), False
    text = restore(raw)  # as the export wrote it: a formula-like text has a `'` before it
    if spec.max_length is not None and len(text) > spec.max_length:
        raise CellError(
            _(
                "The text has %(n)s characters; at most %(max)s are allowed.",
                n=len(text),
                max=spec.max_length,
            )
        )
    return None, text, False


def _number(spec: QuestionSpec, raw: str, *, decimal_comma: bool) -> float:
    value = parse_number(raw, decimal_comma=decimal_comma)
    if spec.integer and not value.is_integer():
        raise CellError(_("%(value)s is not a whole number.", value=raw))
    low, high = spec.low, spec.high
    if (low is not None and value < low) or (high is not None and value > high):
        raise CellError(
            _(
                "%(value)s is outside the allowed range %(low)s to %(high)s.",
                value=raw,
                low=_show(low),
                high=_show(high),
            )
        )
    return value


def _show(bound: float | None) -> str:
    if bound is None:
        return "…"
    return str(int(bound)) if float(bound).is_integer() else str(bound)


def _unknown_option(value: str, options: tuple[str, ...]) -> str:
    return _(
        "%(value)s is not an option; use one of %(options)s.",
        value=value,
        options=", ".join(options),
    )


def parse_flag(raw: str) -> bool:
    """Parse a 0/1 cell."""
    if raw.strip() not in FLAGS:
        raise CellError(_("Write 1 or 0, not %(value)s.", value=raw))
    return FLAGS[raw.strip()]


def parse_date(raw: str) -> date:
    """Parse an ISO 8601 date (YYYY-MM-DD)."""
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise CellError(_("%(value)s is not a date (YYYY-MM-DD).", value=raw)) from None


def parse_timestamp(raw: str, zone: ZoneInfo) -> datetime:
    """Parse an ISO 8601 time; without an offset it is local time, a date alone local midnight."""
    text = raw.strip()
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time(0), tzinfo=zone)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CellError(
            _("%(value)s is not a time in ISO 8601 (e.g. 2024-03-01T14:30:00+01:00).", value=raw)
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)


def answer_of(spec: QuestionSpec, row: list[str], *, decimal_comma: bool) -> Answer | None:
    """Return the answer one question's cells give in a row, or None when unanswered.

    Raises CellError with ``args[1]`` naming the column index of the bad cell.
    """
    if spec.option_columns:
        chosen = [key for key, i in spec.option_columns.items() if _flag_at(row, i)]
        return (None, " ".join(k for k in spec.options if k in chosen), False) if chosen else None
    flagged = spec.dont_know_column is not None and _flag_at(row, spec.dont_know_column)
    raw = row[spec.value_column] if spec.value_column is not None else ""
    known = spec.known.get(raw)
    if known is not None and not flagged:
        return known
    if not raw.strip():
        return (None, None, True) if flagged else None
    if flagged:
        raise CellError(_("Give an answer or mark don't know, not both."), spec.value_column)
    try:
        return parse_value(spec, raw, decimal_comma=decimal_comma)
    except CellError as error:
        raise CellError(str(error.args[0]), spec.value_column) from None


def _flag_at(row: list[str], column: int) -> bool:
    raw = row[column]
    if not raw.strip():
        return False
    try:
        return parse_flag(raw)
    except CellError as error:
        raise CellError(str(error.args[0]), column) from None
