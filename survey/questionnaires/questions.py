"""Read one question of a battery file and the blocks that belong to its type."""

from __future__ import annotations

import re
from typing import Any

from survey.questionnaires.fields import Reader, join, show
from survey.questionnaires.model import (
    CHOICE_TYPES,
    CONTACT_ROLES,
    QUESTION_TYPES,
    TEXT_MAX_LENGTH_DEFAULTS,
    Condition,
    NumberBounds,
    Option,
    Question,
    Scale,
)

QUESTION_KEY = re.compile(r"[A-Z][A-Z0-9_]{1,63}")
OPTION_KEY = re.compile(r"[a-z0-9_]{1,64}")
INDEX_KEY = re.compile(r"[a-z][a-z0-9_]{0,31}")
_KEY_RULE = "use A-Z, 0-9 and _, start with a letter, 2-64 characters (e.g. NKI_HELHET)"
_OPTION_RULE = "use a-z, 0-9 and _ only (e.g. bygglov)"
_INDEX_RULE = "use `nki` or a service factor slug such as `bemotande` (a-z, 0-9, _)"

QUESTION_FIELDS = (
    "key",
    "type",
    "text",
    "help",
    "required",
    "scale",
    "options",
    "number",
    "max_length",
    "show_if",
    "index",
    "weight",
    "service_area",
    "contact",
)
# Which type each type-specific field belongs to.
_FIELD_TYPES = {
    "scale": ("scale",),
    "options": CHOICE_TYPES,
    "number": ("number",),
    "max_length": tuple(TEXT_MAX_LENGTH_DEFAULTS),
    "index": ("scale",),
    "service_area": ("single_choice",),
}
TEXT_LIMITS = {"text": 2000, "help": 2000, "option": 300, "scale_label": 100}
MAX_OPTIONS = 100
MAX_CONDITION_VALUES = 100
MAX_TEXT_LENGTH = {"short_text": 1000, "long_text": 20000}


def read_question(reader: Reader, raw: Any, location: str) -> Question | None:
    """Return the question at `location`, or None when its key, type or text is unusable."""
    if not isinstance(raw, dict):
        reader.add(location, "a question must be a mapping with `key`, `type` and `text`")
        return None
    key = reader.key(raw.get("key"), join(location, "key"), QUESTION_KEY, _KEY_RULE)
    if key is not None:
        location = f"{location} ({key})"
    reader.mapping(raw, location, QUESTION_FIELDS, ("key", "type", "text"))
    fields = raw
    kind = _read_type(reader, fields.get("type"), join(location, "type"))
    text = reader.text(fields.get("text"), join(location, "text"), max_len=TEXT_LIMITS["text"])
    help_text = None
    if fields.get("help") is not None:
        help_text = reader.text(fields["help"], join(location, "help"), max_len=TEXT_LIMITS["help"])
    required = reader.boolean(fields.get("required", False), join(location, "required"))
    show_if = None
    if "show_if" in fields:
        show_if = _read_condition(reader, fields["show_if"], join(location, "show_if"))
    typed = _read_typed_fields(reader, fields, location, kind)
    if key is None or kind is None or text is None:
        return None
    # Built even when other fields had problems, so that later questions can still be checked
    # against it; the file is rejected anyway because the problems were recorded.
    return Question(
        key=key, type=kind, text=text, help=help_text, required=required, show_if=show_if, **typed
    )


def _read_type(reader: Reader, value: Any, location: str) -> str | None:
    if value is None:
        return None  # already reported as missing
    if value not in QUESTION_TYPES:
        reader.add(
            location, f"unknown question type {show(value)}; use {', '.join(QUESTION_TYPES)}"
        )
        return None
    return str(value)


def _read_typed_fields(
    reader: Reader, fields: dict[str, Any], location: str, kind: str | None
) -> dict[str, Any]:
    """Return the type-specific keyword arguments of Question, checking each belongs to `kind`."""
    for name, types in _FIELD_TYPES.items():
        if name in fields and kind is not None and kind not in types:
            reader.add(join(location, name), f"`{name}` is only allowed for {_or(types)} questions")
    typed: dict[str, Any] = {}
    if kind == "scale":
        if fields.get("scale") is None:
            reader.add(join(location, "scale"), "a scale question needs a `scale` block")
        else:
            typed["scale"] = _read_scale(reader, fields["scale"], join(location, "scale"))
    if kind in CHOICE_TYPES:
        if fields.get("options") is None:
            reader.add(join(location, "options"), f"a {kind} question needs `options`")
        else:
            where = join(location, "options")
            typed["options"] = _read_options(reader, fields["options"], where, kind)
    if kind == "number":
        typed["number"] = _read_number(reader, fields.get("number", {}), join(location, "number"))
    if kind in TEXT_MAX_LENGTH_DEFAULTS:
        typed["max_length"] = _read_max_length(reader, fields, location, kind)
    typed.update(_read_index(reader, fields, location, kind))
    if kind == "single_choice" and "service_area" in fields:
        where = join(location, "service_area")
        typed["service_area"] = bool(reader.boolean(fields["service_area"], where))
    if fields.get("contact") is not None:
        typed["contact"] = _read_contact(reader, fields["contact"], join(location, "contact"), kind)
    return typed


def _read_contact(reader: Reader, value: Any, location: str, kind: str | None) -> str | None:
    """Return a question's contact request role, checking it fits the question's type."""
    if not isinstance(value, str) or value not in CONTACT_ROLES:
        roles = ", ".join(CONTACT_ROLES)
        reader.add(location, f"unknown contact role {show(value)}; use {roles}")
        return None
    types = CONTACT_ROLES[value]
    if kind is not None and kind not in types:
        reader.add(location, f"`contact: {value}` is only allowed for {_or(types)} questions")
        return None
    return value


def _read_scale(reader: Reader, raw: Any, location: str) -> Scale | None:
    allowed = ("min", "max", "min_label", "max_label", "dont_know")
    fields = reader.mapping(raw, location, allowed, ("min", "max"))
    if fields is None:
        return None
    low, high = (
        reader.integer(fields[name], join(location, name), low=-100, high=100)
        if fields.get(name) is not None
        else None
        for name in ("min", "max")
    )
    labels = {}
    for name in ("min_label", "max_label"):
        if fields.get(name) is not None:
            limit = TEXT_LIMITS["scale_label"]
            labels[name] = reader.text(fields[name], join(location, name), max_len=limit)
    dont_know = reader.boolean(fields.get("dont_know", False), join(location, "dont_know"))
    if low is None or high is None:
        return None
    if high < low:
        reader.add(join(location, "max"), f"max ({high}) is below min ({low})")
        return None
    if not 2 <= high - low + 1 <= 11:
        reader.add(location, f"a scale needs 2 to 11 points; {low}..{high} has {high - low + 1}")
        return None
    return Scale(min=low, max=high, dont_know=dont_know, **labels)


def _read_options(reader: Reader, raw: Any, location: str, kind: str) -> tuple[Option, ...]:
    items = reader.sequence(raw, location, min_items=2, max_items=MAX_OPTIONS) or []
    options: list[Option] = []
    seen: set[str] = set()
    for number, item in enumerate(items):
        where = join(location, number)
        fields = reader.mapping(item, where, ("key", "label", "exclusive"), ("key", "label"))
        if fields is None:
            continue
        exclusive = False
        if "exclusive" in fields:
            exclusive = bool(reader.boolean(fields["exclusive"], join(where, "exclusive")))
            if exclusive and kind != "multiple_choice":
                reader.add(
                    join(where, "exclusive"),
                    "`exclusive` is only allowed on the options of multiple_choice questions",
                )
        key = reader.key(fields.get("key"), join(where, "key"), OPTION_KEY, _OPTION_RULE)
        label = reader.text(
            fields.get("label"), join(where, "label"), max_len=TEXT_LIMITS["option"]
        )
        if key is not None and key in seen:
            reader.add(join(where, "key"), f"duplicate option key {show(key)}")
        elif key is not None and label is not None:
            seen.add(key)
            options.append(Option(key=key, label=label, exclusive=exclusive))
    return tuple(options)


def _read_number(reader: Reader, raw: Any, location: str) -> NumberBounds | None:
    fields = reader.mapping(raw if raw is not None else {}, location, ("min", "max", "integer"))
    if fields is None:
        return None
    low = high = None
    if fields.get("min") is not None:
        low = reader.number(fields["min"], join(location, "min"))
    if fields.get("max") is not None:
        high = reader.number(fields["max"], join(location, "max"))
    integer = reader.boolean(fields.get("integer", False), join(location, "integer"))
    if low is not None and high is not None and low > high:
        reader.add(join(location, "min"), f"min ({low:g}) is above max ({high:g})")
    bounds = NumberBounds(min=low, max=high, integer=integer)
    return None if bounds == NumberBounds() else bounds  # no bounds at all is written as None


def _read_max_length(reader: Reader, fields: dict[str, Any], location: str, kind: str) -> int:
    default = TEXT_MAX_LENGTH_DEFAULTS[kind]
    if fields.get("max_length") is None:
        return default
    where = join(location, "max_length")
    value = fields["max_length"]
    if isinstance(value, int) and not isinstance(value, bool) and value <= 0:
        reader.add(where, f"must be a positive number of characters, not {value}")
        return default
    return reader.integer(value, where, low=1, high=MAX_TEXT_LENGTH[kind]) or default


def _read_index(
    reader: Reader, fields: dict[str, Any], location: str, kind: str | None
) -> dict[str, Any]:
    index = None
    if fields.get("index") is not None:
        index = reader.key(fields["index"], join(location, "index"), INDEX_KEY, _INDEX_RULE)
    weight = 1.0
    if "weight" in fields:
        where = join(location, "weight")
        value = reader.number(fields["weight"], where, limit=1000)
        if fields.get("index") is None:
            reader.add(where, "`weight` is only allowed together with `index`")
        elif value is not None and value <= 0:
            reader.add(where, f"must be greater than 0, not {value:g}")
        elif value is not None:
            weight = value
    return {"index": index, "weight": weight} if kind == "scale" else {}


def _read_condition(reader: Reader, raw: Any, location: str) -> Condition | None:
    fields = reader.mapping(raw, location, ("question", "equals", "in"), ("question",))
    if fields is None:
        return None
    question = reader.key(
        fields.get("question"), join(location, "question"), QUESTION_KEY, _KEY_RULE
    )
    if ("equals" in fields) == ("in" in fields):
        reader.add(location, "give exactly one of `equals` or `in`")
        return None
    if "equals" in fields:
        raw_values, where = [fields["equals"]], join(location, "equals")
    else:
        where = join(location, "in")
        raw_values = reader.sequence(fields["in"], where, min_items=1, max_items=100) or []
    values = []
    for number, value in enumerate(raw_values):
        spot = where if "equals" in fields else join(where, number)
        text = _condition_value(reader, value, spot)
        if text is not None and text in values:
            reader.add(spot, f"duplicate value {show(text)}")
        elif text is not None:
            values.append(text)
    if question is None or len(values) != len(raw_values):
        return None
    return Condition(question=question, values=tuple(values))


def _condition_value(reader: Reader, value: Any, location: str) -> str | None:
    """Return a condition value as text; YAML reads yes/no as booleans, which mean "yes"/"no"."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value
    reader.add(location, f"must be an option key, yes/no or a scale value, not {show(value)}")
    return None


def _or(types: tuple[str, ...]) -> str:
    return " and ".join(types) if len(types) <= 2 else ", ".join(types)
