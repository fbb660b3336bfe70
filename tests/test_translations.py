"""Every user-visible message has a Swedish translation, with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

from survey.i18n import merged_catalog

ROOT = Path(__file__).resolve().parent.parent
METHODS = [
    ("survey/**.py", "python"),
    ("survey/templates/**.html", "jinja2"),
    ("survey/templates/**.txt", "jinja2"),
]
OPTIONS = {"survey/templates/**": {"extensions": "jinja2.ext.do"}}
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _extracted() -> dict[str, str]:
    found: dict[str, str] = {}
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), METHODS, keywords=KEYWORDS, options_map=OPTIONS
    ):
        ids = message if isinstance(message, tuple) else (message,)
        for msgid in ids:
            if msgid:
                found.setdefault(msgid, filename)
    return found


def test_every_message_has_a_swedish_translation() -> None:
    catalog = merged_catalog("sv")
    missing = [
        f"{where}: {msgid!r}" for msgid, where in _extracted().items() if msgid not in catalog
    ]
    assert not missing, "untranslated messages:\n" + "\n".join(sorted(missing))


def test_swedish_translations_keep_their_placeholders() -> None:
    catalog = merged_catalog("sv")
    wrong = [
        message.id
        for message in catalog
        if message.id
        and isinstance(message.id, str)
        and set(PLACEHOLDER.findall(message.id)) != set(PLACEHOLDER.findall(message.string))
    ]
    assert not wrong, f"placeholders differ: {wrong}"
