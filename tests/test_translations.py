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
        # A plural message (ngettext) is one catalog entry, found by its singular id.
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault(msgid, filename)
    return found


def _pairs(message) -> list[tuple[str, str]]:  # noqa: ANN001 - a babel Message
    """Return (English, Swedish) pairs: each plural form beside the English plural."""
    if isinstance(message.id, str):
        return [(message.id, message.string)]
    singular, plural = message.id[0], message.id[1]
    return [(singular if i == 0 else plural, text) for i, text in enumerate(message.string)]


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
        and any(
            set(PLACEHOLDER.findall(source)) != set(PLACEHOLDER.findall(translation))
            for source, translation in _pairs(message)
        )
    ]
    assert not wrong, f"placeholders differ: {wrong}"
