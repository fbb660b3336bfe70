"""Check a builder draft with the battery-file validator, so the builder and files agree.

The draft (with the edit applied) is written as battery YAML and read back by
`parse_battery`; each problem is mapped to the builder form field it is about.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _

from survey.questionnaires import BatteryFileError, dump_battery, parse_battery
from survey.questionnaires import model as spec
from survey.services.errors import DomainError

_QUESTION_AT = re.compile(r"^sections\[(\d+)\]\.questions\[(\d+)\](?: \([A-Z0-9_]+\))?(.*)$")
_SECTION_AT = re.compile(r"^sections\[(\d+)\](.*)$")
_QUESTION_FIELDS = (
    (".text.en", "text_en"),
    (".text", "text_sv"),
    (".help.en", "help_en"),
    (".help", "help_sv"),
    (".scale.min_label.en", "min_label_en"),
    (".scale.min_label", "min_label_sv"),
    (".scale.max_label.en", "max_label_en"),
    (".scale.max_label", "max_label_sv"),
    (".scale.max", "scale_max"),
    (".scale", "scale_min"),
    (".options", "options"),
    (".number.max", "number_max"),
    (".number", "number_min"),
    (".max_length", "max_length"),
    (".show_if.question", "show_if_question"),
    (".show_if", "show_if_values"),
    (".index", "index_role"),
    (".weight", "weight"),
    (".service_area", "service_area"),
    (".contact", "contact"),
    (".type", "type"),
)
_SECTION_FIELDS = (
    (".title.en", "title_en"),
    (".title", "title_sv"),
    (".description.en", "description_en"),
    (".description", "description_sv"),
)
_BATTERY_FIELDS = (
    ("title.en", "title_en"),
    ("title", "title_sv"),
    ("introduction.en", "intro_en"),
    ("introduction", "intro_sv"),
)


class InvalidDraft(DomainError):
    """Several problems with an edit, each for one form field: {field: [messages]}."""

    def __init__(self, problems: dict[str, list[str]]) -> None:
        field, messages = next(iter(problems.items()))
        super().__init__(messages[0], field=field)
        self.problems = problems


def problems_of(candidate: spec.Battery) -> list[tuple[str, str]]:
    """Return (location, message) for every problem the file validator finds in `candidate`."""
    try:
        text = dump_battery(candidate)
    except (KeyError, ValueError) as error:
        return [("(draft)", _("The draft cannot be checked: %(error)s", error=str(error)))]
    try:
        parse_battery(text, source="builder")
    except BatteryFileError as error:
        return [(problem.location, problem.message) for problem in error.errors]
    return []


def _lookup(suffix: str, table: tuple[tuple[str, str], ...], default: str) -> str:
    for prefix, name in table:
        if suffix.startswith(prefix):
            return name
    return default


def question_problems(
    candidate: spec.Battery, section_index: int, question_index: int
) -> dict[str, list[str]]:
    """Return the problems of one question of `candidate`, by builder form field.

    Problems elsewhere that this edit causes (a later condition on a renamed key) go to `key`.
    """
    found: dict[str, list[str]] = {}
    for location, message in problems_of(candidate):
        match = _QUESTION_AT.match(location)
        if match and (int(match[1]), int(match[2])) == (section_index, question_index):
            name = (
                "key" if match[3].startswith(".key") else _lookup(match[3], _QUESTION_FIELDS, "key")
            )
            found.setdefault(name, []).append(message)
        elif match and "refers to unknown question" in message:
            found.setdefault("key", []).append(f"{location}: {message}")
    return found


def section_problems(candidate: spec.Battery, section_index: int) -> dict[str, list[str]]:
    """Return the problems of one section's own fields (not its questions), by form field."""
    found: dict[str, list[str]] = {}
    for location, message in problems_of(candidate):
        match = _SECTION_AT.match(location)
        if not match or match[2].startswith(".questions"):
            continue
        if int(match[1]) == section_index or "duplicate section key" in message:
            name = _lookup(match[2], _SECTION_FIELDS, "key")
            found.setdefault(name, []).append(message)
    return found


def battery_problems(candidate: spec.Battery) -> dict[str, list[str]]:
    """Return the problems of the battery's title and introduction, by form field."""
    found: dict[str, list[str]] = {}
    for location, message in problems_of(candidate):
        name = _lookup(location, _BATTERY_FIELDS, "")
        if name:
            found.setdefault(name, []).append(message)
    return found
