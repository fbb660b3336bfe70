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
PLURALS: set[str] = set()


def _extracted() -> dict[str, str]:
    found: dict[str, str] = {}
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), METHODS, keywords=KEYWORDS, options_map=OPTIONS
    ):
        # ngettext's pair is one catalog entry, found by its singular id
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault(msgid, filename)
        if isinstance(message, tuple):
            PLURALS.add(msgid)
    return found


def test_every_message_has_a_swedish_translation() -> None:
    catalog = merged_catalog("sv")
    missing = [
        f"{where}: {msgid!r}" for msgid, where in _extracted().items() if msgid not in catalog
    ]
    assert not missing, "untranslated messages:\n" + "\n".join(sorted(missing))
    singular = [msgid for msgid in PLURALS if not catalog[msgid].pluralizable]
    assert not singular, f"ngettext messages without plural forms in the catalog: {singular}"


def test_swedish_translations_keep_their_placeholders() -> None:
    catalog = merged_catalog("sv")
    wrong = [
        message.id
        for message in catalog
        if message.id
        and any(
            set(PLACEHOLDER.findall(source)) != set(PLACEHOLDER.findall(target))
            for source, target in _forms(message)
        )
    ]
    assert not wrong, f"placeholders differ: {wrong}"


def _forms(message) -> list[tuple[str, str]]:  # noqa: ANN001 - a babel Message
    """Pair each translation with its source: a plural's forms with the plural id."""
    if isinstance(message.id, str):
        return [(message.id, message.string)]
    singular, plural = message.id[:2]
    return [(singular, message.string[0])] + [(plural, form) for form in message.string[1:]]
