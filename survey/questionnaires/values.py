"""Canonical answer values: check and convert what a form or a draft holds (JSON-friendly).

A canonical answers dict maps question keys to:

- scale, nps: an int, or the string ``"dont_know"`` for "Vet ej / ej aktuellt" (scale only)
- number: an int (integer questions and whole numbers) or a float
- single_choice: the option key; yes_no: ``"yes"`` or ``"no"``
- multiple_choice: a list of option keys in the options' order
- short_text, long_text: the text (stripped); date: an ISO date ``"2026-03-01"``

An unanswered question has no key (never None, "" or []).
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _

from survey.questionnaires import model as spec

DONT_KNOW = "dont_know"


class InvalidAnswer(ValueError):
    """An answer that does not fit its question; `message` is translated and user-facing."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _is_empty(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    return isinstance(raw, list | tuple) and not raw


def clean_value(question: spec.Question, raw: Any) -> Any:
    """Return the canonical value of `raw` for `question`, None when unanswered.

    Accepts form strings ("5", "2,5", "2026-03-01") as well as canonical values, so the
    same check serves the form engine, drafts and `store_response`. Raises InvalidAnswer.
    """
    if _is_empty(raw):
        return None
    kind = question.type
    if kind in ("scale", "nps"):
        return _clean_point(question, raw)
    if kind == "number":
        return _clean_number(question, raw)
    if kind in ("single_choice", "yes_no"):
        allowed = question.option_keys() if kind == "single_choice" else spec.YES_NO_VALUES
        if not isinstance(raw, str) or raw not in allowed:
            raise InvalidAnswer(_("Choose one of the answers."))
        return raw
    if kind == "multiple_choice":
        chosen = [raw] if isinstance(raw, str) else list(raw)
        keys = question.option_keys()
        if any(not isinstance(item, str) or item not in keys for item in chosen):
            raise InvalidAnswer(_("Choose among the answers shown."))
        alone = [o for o in question.options if o.exclusive and o.key in chosen]
        if alone and len(set(chosen)) > 1:
            label = alone[0].label
            english = str(get_locale() or "sv") == "en" and label.en
            raise InvalidAnswer(
                _(
                    "“%(option)s” is chosen alone: remove it or the other answers.",
                    option=label.en if english else label.sv,
                )
            )
        return [key for key in keys if key in chosen]
    if kind == "date":
        return _clean_date(raw)
    return _clean_text(question, raw)


def _clean_point(question: spec.Question, raw: Any) -> int | str:
    if question.type == "nps":
        low, high, dont_know = spec.NPS_MIN, spec.NPS_MAX, False
    else:
        scale = question.scale
        low, high = (scale.min, scale.max) if scale else (0, 0)
        dont_know = bool(scale and scale.dont_know)
    if raw == DONT_KNOW and dont_know:
        return DONT_KNOW
    value = _as_number(raw)
    if value is None or not value.is_integer() or not low <= value <= high:
        raise InvalidAnswer(_("Choose one of the answers."))
    return int(value)


def _as_number(raw: Any) -> float | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        value = float(raw)
    elif isinstance(raw, str):
        try:
            value = float(raw.strip().replace(",", ".").replace("\u2212", "-").replace(" ", ""))
        except ValueError:
            return None
    else:
        return None
    return value if math.isfinite(value) else None


def _clean_number(question: spec.Question, raw: Any) -> int | float:
    value = _as_number(raw)
    if value is None:
        raise InvalidAnswer(_("Enter a number, for example 12 or 2,5."))
    bounds = question.number
    if bounds is not None and bounds.integer and not value.is_integer():
        raise InvalidAnswer(_("Enter a whole number."))
    low = bounds.min if bounds else None
    high = bounds.max if bounds else None
    if (low is not None and value < low) or (high is not None and value > high):
        raise InvalidAnswer(_number_range_message(low, high))
    return int(value) if value.is_integer() and abs(value) < 1e15 else value


def _number_range_message(low: float | None, high: float | None) -> str:
    def show(number: float) -> str:
        return f"{number:g}"

    if low is not None and high is not None:
        return _("Enter a number from %(min)s to %(max)s.", min=show(low), max=show(high))
    if low is not None:
        return _("Enter a number of at least %(min)s.", min=show(low))
    return _("Enter a number of at most %(max)s.", max=show(high or 0))


def _clean_date(raw: Any) -> str:
    if isinstance(raw, date):
        return raw.isoformat()
    try:
        return date.fromisoformat(str(raw).strip()).isoformat()
    except ValueError:
        raise InvalidAnswer(_("Enter a date as YYYY-MM-DD, for example 2026-03-01.")) from None


def _clean_text(question: spec.Question, raw: Any) -> str:
    text = str(raw).strip()
    limit = question.max_length or spec.TEXT_MAX_LENGTH_DEFAULTS.get(question.type, 5000)
    if len(text) > limit:
        raise InvalidAnswer(
            _("Write at most %(max)s characters (now %(n)s).", max=limit, n=len(text))
        )
    return text


def form_value(question: spec.Question, value: Any) -> Any:
    """Return a canonical value as the form field holds it (for filling a form in again)."""
    if value is None:
        return None
    if question.type == "multiple_choice":
        return list(value) if isinstance(value, list | tuple) else [value]
    return str(value)
