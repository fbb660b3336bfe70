"""Ids in URLs and forms: whole numbers within the database's INTEGER range.

PostgreSQL's INTEGER holds 1 .. 2^31-1 for our ids; a larger number in a query is a database
error there (NumericValueOutOfRange), where SQLite simply finds no row. Ids are checked at
the edge instead: in a path the `id` converter matches no route (404), in a form or query
string the value is refused beside its field (400 in the API).
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter, Map, ValidationError

from survey.models.base import INTEGER_MAX

_DIGITS = len(str(INTEGER_MAX))


def is_id(value: Any) -> bool:
    """Tell whether a value is a whole number an id column can hold (1 .. 2^31-1)."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= INTEGER_MAX


def parse_id(text: str) -> int | None:
    """Return the id a query-string value names, or None when it is not one."""
    if not (text.isascii() and text.isdigit()) or len(text) > _DIGITS:
        return None
    number = int(text)
    return number if is_id(number) else None


class IdConverter(IntegerConverter):
    """`<id:name>`: a whole number from 1 to 2^31-1; anything else matches no route (404)."""

    def __init__(self, map: Map) -> None:  # noqa: A002 - werkzeug's parameter name
        super().__init__(map, min=1, max=INTEGER_MAX)

    def to_python(self, value: str) -> Any:
        if len(value) > _DIGITS:  # refused before int() is asked to read thousands of digits
            raise ValidationError()
        return super().to_python(value)


def coerce_optional_id(value: Any) -> int | None:
    """Read a select field's id (empty: None); ValueError puts WTForms' error beside it."""
    if value in (None, "", "None"):
        return None
    number = int(value)
    if not is_id(number):
        raise ValueError("not an id")
    return number


def coerce_id_or_all(value: Any) -> int:
    """Read a filter's id where 0 means every one; ValueError puts WTForms' error beside it."""
    number = int(value)
    if number != 0 and not is_id(number):
        raise ValueError("not an id")
    return number
