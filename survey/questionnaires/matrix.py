"""Read a matrix block of a battery file: several scale items on one shared scale.

```
- matrix: besoket
  text: {sv: Vad tyckte ni om besöket?}
  scale: {min: 1, max: 6}
  items:
    - {key: BESOK_VART_TIDEN, text: {sv: Var besöket värt tiden?}, required: true}
    - {key: BESOK_LYSSNADE, text: {sv: Lyssnade vi?}, index: bemotande}
```

Each item becomes a `scale` question of its own with `matrix` set; the block's `scale` and
`show_if` belong to every item.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Any

from survey.questionnaires.conditions import QuestionScope
from survey.questionnaires.fields import Reader, join
from survey.questionnaires.model import Matrix, Question

MATRIX_KEY = re.compile(r"[a-z0-9_]{1,64}")
MATRIX_FIELDS = ("matrix", "text", "help", "scale", "show_if", "items")
ITEM_FIELDS = ("key", "text", "required", "index", "weight")
MAX_ITEMS = 50

ReadQuestion = Callable[[Reader, Any, str, QuestionScope], "Question | None"]


def is_matrix(raw: Any) -> bool:
    """Return whether a question entry of a file is a matrix block."""
    return isinstance(raw, dict) and "matrix" in raw


def matrix_item_keys(raw: Any) -> list[str]:
    """Return the item keys written in a matrix block (for telling later keys from typos)."""
    items = raw.get("items") if is_matrix(raw) else None
    if not isinstance(items, list):
        return []
    return [i["key"] for i in items if isinstance(i, dict) and isinstance(i.get("key"), str)]


def read_matrix(
    reader: Reader, raw: dict[str, Any], location: str, scope: QuestionScope, read: ReadQuestion
) -> list[Question]:
    """Return the items of a matrix block as scale questions, reporting every problem."""
    reader.mapping(raw, location, MATRIX_FIELDS, ("matrix", "text", "scale", "items"))
    rule = "use a-z, 0-9 and _ only (e.g. besoket)"
    key = reader.key(raw.get("matrix"), join(location, "matrix"), MATRIX_KEY, rule)
    if key is not None and key in scope.matrices:
        first = scope.matrices[key]
        reader.add(join(location, "matrix"), f"duplicate matrix key; first used at {first}")
    elif key is not None:
        scope.matrices[key] = location
    text = reader.text(raw.get("text"), join(location, "text"), max_len=2000)
    help_text = None
    if raw.get("help") is not None:
        help_text = reader.text(raw["help"], join(location, "help"), max_len=2000)
    where = join(location, "items")
    items = reader.sequence(raw.get("items"), where, min_items=1, max_items=MAX_ITEMS) or []
    questions: list[Question] = []
    for number, item in enumerate(items):
        spot = join(where, number)
        fields = reader.mapping(item, spot, ITEM_FIELDS, ("key", "text"))
        if fields is None:
            continue
        synthetic = {**fields, "type": "scale", "scale": raw.get("scale")}
        if "show_if" in raw:
            synthetic["show_if"] = raw["show_if"]
        question = read(reader, synthetic, spot, scope)
        if question is not None and key is not None and text is not None:
            matrix = Matrix(key=key, text=text, help=help_text)
            question = dataclasses.replace(question, matrix=matrix)
            scope.earlier[question.key] = question
            questions.append(question)
    return questions
