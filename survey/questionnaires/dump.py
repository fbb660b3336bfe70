"""Write a Battery back as battery-file YAML, in the documented field order."""

from __future__ import annotations

from typing import Any

import yaml

from survey.questionnaires.model import (
    TEXT_MAX_LENGTH_DEFAULTS,
    Battery,
    Condition,
    NumberBounds,
    Option,
    Question,
    Scale,
    Section,
    Text,
)

# Short mappings (texts, options, conditions) are written on one line when they fit.
_FLOW_LIMIT = 80


class _Flow(dict[str, Any]):
    """A mapping written in flow style: {sv: Ja, en: Yes}."""


class _Dumper(yaml.SafeDumper):
    """SafeDumper that writes flow mappings for _Flow and literal blocks for multi-line text."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # indent list items under their key


def _represent_flow(dumper: yaml.SafeDumper, data: _Flow) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=True)


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(_Flow, _represent_flow)
_Dumper.add_representer(str, _represent_str)


def dump_battery(battery: Battery) -> str:
    """Return `battery` as YAML that parses back to an equal Battery."""
    data: dict[str, Any] = {"key": battery.key, "title": _text(battery.title)}
    if battery.introduction is not None:
        data["introduction"] = _text(battery.introduction)
    data["sections"] = [_section(section, battery) for section in battery.sections]
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100, indent=2)


def _section(section: Section, battery: Battery) -> dict[str, Any]:
    data: dict[str, Any] = {"key": section.key, "title": _text(section.title)}
    if section.description is not None:
        data["description"] = _text(section.description)
    data["questions"] = _entries(section.questions, battery)
    return data


def _entries(questions: tuple[Question, ...], battery: Battery) -> list[dict[str, Any]]:
    """Return the section's question entries; the items of a matrix become one block."""
    entries: list[dict[str, Any]] = []
    block: list[Question] = []
    for question in questions:
        key = question.matrix.key if question.matrix else None
        if block and key != block[0].matrix.key:  # type: ignore[union-attr]
            entries.append(_matrix(block, battery))
            block = []
        if question.matrix is not None:
            block.append(question)
        else:
            entries.append(_question(question, battery))
    if block:
        entries.append(_matrix(block, battery))
    return entries


def _matrix(items: list[Question], battery: Battery) -> dict[str, Any]:
    first, matrix, scale = items[0], items[0].matrix, items[0].scale
    if matrix is None or scale is None:
        raise ValueError(f"{first.key} is not a matrix item with a scale")
    data: dict[str, Any] = {"matrix": matrix.key, "text": _text(matrix.text)}
    if matrix.help is not None:
        data["help"] = _text(matrix.help)
    data["scale"] = _scale(scale)
    if first.show_if is not None:
        data["show_if"] = _condition(first.show_if, battery)
    data["items"] = [_item(item) for item in items]
    return data


def _item(item: Question) -> dict[str, Any]:
    data: dict[str, Any] = {"key": item.key, "text": _text(item.text)}
    if item.required:
        data["required"] = True
    if item.index is not None:
        data["index"] = item.index
        if item.weight != 1.0:
            data["weight"] = _plain_number(item.weight)
    return data


def _question(question: Question, battery: Battery) -> dict[str, Any]:
    data: dict[str, Any] = {"key": question.key, "type": question.type}
    data["text"] = _text(question.text)
    if question.help is not None:
        data["help"] = _text(question.help)
    if question.required:
        data["required"] = True
    if question.scale is not None:
        data["scale"] = _scale(question.scale)
    if question.options:
        data["options"] = [_option(option) for option in question.options]
    if question.number is not None and question.number != NumberBounds():
        data["number"] = _number(question.number)
    if question.max_length not in (None, TEXT_MAX_LENGTH_DEFAULTS.get(question.type)):
        data["max_length"] = question.max_length
    if question.show_if is not None:
        data["show_if"] = _condition(question.show_if, battery)
    if question.index is not None:
        data["index"] = question.index
        if question.weight != 1.0:
            data["weight"] = _plain_number(question.weight)
    if question.service_area:
        data["service_area"] = True
    if question.contact is not None:
        data["contact"] = question.contact
    return data


def _text(text: Text) -> dict[str, str]:
    data = {"sv": text.sv} if text.en is None else {"sv": text.sv, "en": text.en}
    fits = len(text.sv) + len(text.en or "") <= _FLOW_LIMIT
    return _Flow(data) if fits and not any("\n" in value for value in data.values()) else data


def _scale(scale: Scale) -> dict[str, Any]:
    data: dict[str, Any] = {"min": scale.min, "max": scale.max}
    if scale.min_label is not None:
        data["min_label"] = _text(scale.min_label)
    if scale.max_label is not None:
        data["max_label"] = _text(scale.max_label)
    if scale.dont_know:
        data["dont_know"] = True
    return data


def _option(option: Option) -> dict[str, Any]:
    label = _text(option.label)
    extra = {"exclusive": True} if option.exclusive else {}
    if isinstance(label, _Flow):
        return _Flow(key=option.key, label=label, **extra)
    return {"key": option.key, "label": label, **extra}


def _number(bounds: NumberBounds) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if bounds.min is not None:
        data["min"] = _plain_number(bounds.min)
    if bounds.max is not None:
        data["max"] = _plain_number(bounds.max)
    if bounds.integer:
        data["integer"] = True
    return _Flow(data)


def _condition(condition: Condition, battery: Battery) -> dict[str, Any]:
    """Return show_if; scale and NPS values are written as numbers."""
    numeric = battery.question(condition.question).type in ("scale", "nps")
    values = [int(value) if numeric else value for value in condition.values]
    if len(values) == 1:
        return _Flow(question=condition.question, equals=values[0])
    return _Flow(question=condition.question, **{"in": values})


def _plain_number(value: float) -> int | float:
    """Return a whole float as an int so 10000.0 is written 10000."""
    return int(value) if value.is_integer() and abs(value) < 1e15 else value
