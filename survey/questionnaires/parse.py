"""Parse and validate a battery file (YAML) into a Battery, reporting every problem at once."""

from __future__ import annotations

import os
import re
from typing import Any

import yaml

from survey.questionnaires.conditions import QuestionScope, check_condition
from survey.questionnaires.errors import BatteryFileError, Problem
from survey.questionnaires.fields import Reader, join, show, type_name
from survey.questionnaires.matrix import is_matrix, matrix_item_keys, read_matrix
from survey.questionnaires.model import CONTACT_REQUEST, Battery, Question, Section
from survey.questionnaires.questions import QUESTION_KEY, read_question

__all__ = ["MAX_FILE_BYTES", "BatteryFileError", "Problem", "load_file", "parse_battery"]

MAX_FILE_BYTES = 1024 * 1024
MAX_SECTIONS = 50
MAX_QUESTIONS_PER_SECTION = 200
BATTERY_KEY = re.compile(r"[a-z0-9][a-z0-9-]{1,63}")
SECTION_KEY = re.compile(r"[a-z0-9_]{1,64}")
BATTERY_FIELDS = ("key", "title", "introduction", "sections")
SECTION_FIELDS = ("key", "title", "description", "questions")
TEXT_LIMITS = {"title": 200, "introduction": 5000, "description": 2000}


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that rejects a key written twice in one mapping instead of keeping the last."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str | int | float | bool) and key in seen:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping",
                    node.start_mark,
                    f"found key {show(key)} twice",
                    key_node.start_mark,
                )
            seen.add(key if isinstance(key, str | int | float | bool) else id(key_node))
        return super().construct_mapping(node, deep=deep)


def load_file(path: str | os.PathLike[str]) -> Battery:
    """Read, parse and validate the battery file at `path`."""
    source = os.fspath(path)
    try:
        with open(source, "rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise BatteryFileError(
            source, [Problem("(file)", f"cannot read: {error.strerror}")]
        ) from None
    return parse_battery(data, source=source)


def parse_battery(text: str | bytes, *, source: str) -> Battery:
    """Parse and validate battery YAML; raise BatteryFileError listing every problem."""
    if isinstance(text, bytes):
        text = _decode(text, source)
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise BatteryFileError(source, [Problem("(file)", _too_large())])
    document = _load_yaml(text, source)
    reader = Reader()
    battery = _read_battery(reader, document)
    if reader.problems or battery is None:
        raise BatteryFileError(source, reader.problems)
    return battery


def _too_large() -> str:
    return f"file is larger than {MAX_FILE_BYTES // 1024 // 1024} MB; split it or shorten texts"


def _decode(data: bytes, source: str) -> str:
    if len(data) > MAX_FILE_BYTES:
        raise BatteryFileError(source, [Problem("(file)", _too_large())])
    try:
        return data.decode("utf-8-sig")  # a byte order mark is allowed
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        message = f"not valid UTF-8 (byte {error.start}); save the file as UTF-8"
        raise BatteryFileError(source, [Problem(f"line {line}", message)]) from None


def _load_yaml(text: str, source: str) -> Any:
    try:
        return yaml.load(text, Loader=_StrictLoader)  # a SafeLoader subclass: safe
    except yaml.YAMLError as error:
        raise BatteryFileError(source, [_yaml_problem(error, text)]) from None
    except RecursionError:
        problem = Problem("(file)", "invalid YAML: nested too deeply")
        raise BatteryFileError(source, [problem]) from None
    except (ValueError, OverflowError) as error:  # e.g. a timestamp like 2024-13-45
        raise BatteryFileError(source, [Problem("(file)", f"invalid YAML: {error}")]) from None


def _yaml_problem(error: yaml.YAMLError, text: str) -> Problem:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if mark is not None:
        location = f"line {mark.line + 1}, column {mark.column + 1}"
    elif isinstance(getattr(error, "position", None), int):  # yaml.reader.ReaderError
        location = f"line {text[: error.position].count(chr(10)) + 1}"
    else:
        location = "(file)"
    parts = [getattr(error, "context", None), getattr(error, "problem", None)]
    detail = "; ".join(str(part) for part in parts if part) or str(error)
    if isinstance(error, yaml.reader.ReaderError):
        code = error.character if isinstance(error.character, int) else ord(error.character)
        detail = f"character U+{code:04X} is not allowed (control characters cannot be used)"
    return Problem(location, "invalid YAML: " + " ".join(detail.split()))


def _read_battery(reader: Reader, document: Any) -> Battery | None:
    if not isinstance(document, dict):
        found = "empty" if document is None else type_name(document)
        reader.add(
            "(root)", f"the file must be a mapping with key, title and sections; it is {found}"
        )
        return None
    reader.mapping(document, "", BATTERY_FIELDS, ("key", "title", "sections"))
    rule = "use a-z, 0-9 and -, start with a letter or digit, 2-64 characters"
    key = reader.key(document.get("key"), "key", BATTERY_KEY, rule)
    title = reader.text(document.get("title"), "title", max_len=TEXT_LIMITS["title"])
    introduction = None
    if document.get("introduction") is not None:
        limit = TEXT_LIMITS["introduction"]
        introduction = reader.text(document["introduction"], "introduction", max_len=limit)
    sections: list[Section] = []
    if document.get("sections") is not None:
        limit = MAX_SECTIONS
        items = reader.sequence(document["sections"], "sections", min_items=1, max_items=limit)
        scope = QuestionScope(all_keys=_question_keys(items or []))
        section_keys: dict[str, str] = {}
        for number, raw in enumerate(items or []):
            section = _read_section(reader, raw, join("sections", number), scope, section_keys)
            if section is not None:
                sections.append(section)
        _check_contact_request(reader, sections, scope)
    if key is None or title is None:
        return None
    return Battery(key=key, title=title, introduction=introduction, sections=tuple(sections))


def _check_contact_request(reader: Reader, sections: list[Section], scope: QuestionScope) -> None:
    """A question that goes with a contact request needs the request (`contact: request`)."""
    questions = [q for section in sections for q in section.questions]
    if any(q.contact == CONTACT_REQUEST for q in questions):
        return
    for question in questions:
        if question.contact is not None:
            reader.add(
                join(scope.seen[question.key], "contact"),
                "the battery has no yes/no question with `contact: request` for this to go with",
            )


def _question_keys(sections: list[Any]) -> set[str]:
    """Return every question key written in the file, to tell a later question from a typo."""
    keys: set[str] = set()
    for section in sections:
        questions = section.get("questions") if isinstance(section, dict) else None
        if isinstance(questions, list) and len(questions) <= MAX_QUESTIONS_PER_SECTION:
            keys.update(
                q["key"] for q in questions if isinstance(q, dict) and _is_str(q.get("key"))
            )
            keys.update(key for q in questions for key in matrix_item_keys(q))
    return keys


def _is_str(value: Any) -> bool:
    return isinstance(value, str)


def _read_section(
    reader: Reader, raw: Any, location: str, scope: QuestionScope, section_keys: dict[str, str]
) -> Section | None:
    fields = reader.mapping(raw, location, SECTION_FIELDS, ("key", "title", "questions"))
    if fields is None:
        return None
    rule = "use a-z, 0-9 and _ only (e.g. besoket)"
    key = reader.key(fields.get("key"), join(location, "key"), SECTION_KEY, rule)
    if key is not None and key in section_keys:
        reader.add(
            join(location, "key"),
            f"duplicate section key {key!r}; first used at {section_keys[key]}",
        )
    elif key is not None:
        section_keys[key] = location
    title = reader.text(fields.get("title"), join(location, "title"), max_len=TEXT_LIMITS["title"])
    description = None
    if fields.get("description") is not None:
        limit = TEXT_LIMITS["description"]
        description = reader.text(
            fields["description"], join(location, "description"), max_len=limit
        )
    questions: list[Question] = []
    if fields.get("questions") is not None:
        where, limit = join(location, "questions"), MAX_QUESTIONS_PER_SECTION
        items = reader.sequence(fields["questions"], where, min_items=1, max_items=limit) or []
        for number, raw_question in enumerate(items):
            if is_matrix(raw_question):
                questions.extend(
                    read_matrix(reader, raw_question, join(where, number), scope, _read_question)
                )
                continue
            question = _read_question(reader, raw_question, join(where, number), scope)
            if question is not None:
                questions.append(question)
    if key is None or title is None:
        return None
    return Section(key=key, title=title, description=description, questions=tuple(questions))


def _read_question(
    reader: Reader, raw: Any, location: str, scope: QuestionScope
) -> Question | None:
    """Read one question, then check its key is new and its show_if looks back."""
    question = read_question(reader, raw, location)
    key = raw.get("key") if isinstance(raw, dict) else None
    if not isinstance(key, str):
        return question
    if QUESTION_KEY.fullmatch(key):
        location = f"{location} ({key})"
    if key in scope.seen:
        reader.add(
            join(location, "key"), f"duplicate question key; first used at {scope.seen[key]}"
        )
        return None
    scope.seen[key] = location
    if question is None:
        return None
    question = check_condition(reader, question, location, scope)
    if question.service_area:
        first = next((q for q in scope.earlier.values() if q.service_area), None)
        if first is not None:
            reader.add(
                join(location, "service_area"),
                f"only one question gives the service area; {first.key} already does",
            )
    if question.contact is not None:
        first = next((q for q in scope.earlier.values() if q.contact == question.contact), None)
        if first is not None:
            reader.add(
                join(location, "contact"),
                f"only one question has `contact: {question.contact}`; {first.key} already does",
            )
    scope.earlier[key] = question
    return question
