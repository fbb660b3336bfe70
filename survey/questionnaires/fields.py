"""Typed reading of YAML values that records a Problem instead of stopping at the first one."""

from __future__ import annotations

import difflib
import math
import re
from typing import Any

from survey.questionnaires.errors import Problem
from survey.questionnaires.model import Text

_YAML_BOOL_HINT = "unquoted yes/no/on/off/true/false are booleans in YAML, so quote it"
# A NUL (YAML's "\0" escape) cannot be stored by PostgreSQL, and no text needs one.
NUL_MESSAGE = 'contains a NUL character ("\\0"); remove it'


def join(location: str, name: str | int) -> str:
    """Return the location of field `name` (or list item `name`) inside `location`."""
    if isinstance(name, int):
        return f"{location}[{name}]"
    return f"{location}.{name}" if location else name


def show(value: Any) -> str:
    """Return a short one-line representation of a value for a message."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def type_name(value: Any) -> str:
    """Return the YAML name of a value's type with its article, e.g. "an integer"."""
    names = {dict: "mapping", list: "list", str: "string", bool: "boolean", int: "integer"}
    name = "null" if value is None else names.get(type(value), type(value).__name__)
    return f"an {name}" if name[0] in "aeiou" else f"a {name}"


class Reader:
    """Collect the problems of one file while its values are read."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, location: str, message: str) -> None:
        """Record a problem at `location`."""
        self.problems.append(Problem(location or "(root)", message))

    def mapping(
        self, value: Any, location: str, allowed: tuple[str, ...], required: tuple[str, ...] = ()
    ) -> dict[str, Any] | None:
        """Return `value` if it is a mapping, reporting unknown and missing fields."""
        if not isinstance(value, dict):
            self.add(location, f"must be a mapping, not {type_name(value)}")
            return None
        for name in value:
            if name not in allowed:
                self.add(join(location, str(name)), _unknown_field(name, allowed))
        for name in required:
            if value.get(name) is None:
                self.add(join(location, name), f"`{name}` is required")
        return value

    def sequence(
        self, value: Any, location: str, *, min_items: int, max_items: int
    ) -> list[Any] | None:
        """Return `value` if it is a list with an allowed number of items."""
        if not isinstance(value, list):
            self.add(location, f"must be a list, not {type_name(value)}")
            return None
        if len(value) < min_items:
            self.add(location, f"must have at least {min_items} item(s)")
        if len(value) > max_items:
            self.add(location, f"has {len(value)} items; at most {max_items} are allowed")
            return None
        return value

    def string(self, value: Any, location: str, *, max_len: int = 200) -> str | None:
        """Return `value` if it is a non-blank string of at most `max_len` characters."""
        if isinstance(value, bool):
            self.add(location, f"must be a string; {_YAML_BOOL_HINT}")
            return None
        if not isinstance(value, str):
            self.add(location, f"must be a string, not {type_name(value)}")
            return None
        if not value.strip():
            self.add(location, "must not be empty")
            return None
        if "\x00" in value:
            self.add(location, NUL_MESSAGE)
            return None
        if len(value) > max_len:
            self.add(location, f"is {len(value)} characters long; at most {max_len} are allowed")
            return None
        return value

    def key(self, value: Any, location: str, pattern: re.Pattern[str], rule: str) -> str | None:
        """Return `value` if it is a string matching `pattern`; `rule` explains the pattern."""
        if value is None:
            return None  # a missing required field is reported by mapping()
        text = self.string(value, location)
        if text is not None and not pattern.fullmatch(text):
            self.add(location, f"{show(text)} is not a valid key: {rule}")
            return None
        return text

    def text(self, value: Any, location: str, *, max_len: int) -> Text | None:
        """Return a Text from a mapping `{sv: ..., en: ...}`; Swedish is required."""
        if value is None:
            return None  # a missing required field is reported by mapping()
        fields = self.mapping(value, location, ("sv", "en"))
        if fields is None:
            return None
        sv_raw = fields.get("sv")
        if sv_raw is None or (isinstance(sv_raw, str) and not sv_raw.strip()):
            self.add(join(location, "sv"), "Swedish text (`sv`) is missing")
            return None
        sv = self.string(sv_raw, join(location, "sv"), max_len=max_len)
        en = None
        if fields.get("en") is not None:
            en = self.string(fields["en"], join(location, "en"), max_len=max_len)
        return Text(sv=sv, en=en) if sv is not None else None

    def boolean(self, value: Any, location: str) -> bool:
        """Return `value` if it is a boolean, else report it and return False."""
        if isinstance(value, bool):
            return value
        self.add(location, f"must be true or false, not {show(value)}")
        return False

    def integer(self, value: Any, location: str, *, low: int, high: int) -> int | None:
        """Return `value` if it is an integer in `low..high`."""
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(location, f"must be an integer, not {show(value)}")
            return None
        if not low <= value <= high:
            self.add(location, f"must be between {low} and {high}, not {value}")
            return None
        return value

    def number(self, value: Any, location: str, *, limit: float = 1e15) -> float | None:
        """Return `value` as a float if it is a finite number of at most `limit` in size."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.add(location, f"must be a number, not {show(value)}")
            return None
        try:
            number = float(value) + 0.0  # + 0.0 turns -0.0 into 0.0 for a canonical hash
        except OverflowError:
            number = math.inf
        if not math.isfinite(number) or abs(number) > limit:
            self.add(location, f"must be a finite number between -{limit:g} and {limit:g}")
            return None
        return number


def _unknown_field(name: Any, allowed: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(str(name), allowed, n=1)
    hint = f"did you mean `{close[0]}`?" if close else f"allowed: {', '.join(allowed)}"
    return f"unknown field {show(name)}; {hint}"
