"""Every user-visible message has a Swedish translation, with the same placeholders."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from survey.i18n import merged_catalog

ROOT = Path(__file__).resolve().parent.parent
METHODS = [
    ("survey/**.py", "python"),
    ("survey/templates/**.html", "jinja2"),
    ("survey/templates/**.txt", "jinja2"),
]
OPTIONS = {"survey/templates/**": {"extensions": "jinja2.ext.do"}}
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "lazy_pgettext": ((1, "c"), 2)}
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


@pytest.mark.slow
def test_a_built_wheel_serves_swedish(tmp_path: Path) -> None:
    """`pip wheel .` from sources without compiled catalogs puts the Swedish `.mo` in the wheel,
    so a plain `pip install .` does not serve an English UI to a Swedish municipality."""
    source = tmp_path / "source"
    skip = shutil.ignore_patterns("*.mo", "__pycache__", "*.egg-info")
    shutil.copytree(ROOT / "survey", source / "survey", ignore=skip)
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy(ROOT / name, source / name)
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-q", "-w", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = tmp_path.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        compiled = archive.read("survey/translations/sv/LC_MESSAGES/messages.mo")
    catalog = read_mo(io.BytesIO(compiled))
    assert catalog.get("Log in").string == "Logga in"
    assert not list((source / "survey" / "translations").glob("sv/LC_MESSAGES/*.mo"))


def test_no_message_is_translated_two_ways() -> None:
    """Fragments are merged first-wins: the same id translated differently in two fragments
    means one feature shows the other's word ("Closed": a survey "Stängd", a follow-up
    "Avslutad"). Give such a message a context (pgettext) instead."""
    seen: dict[tuple[str, str | None], tuple[str, str]] = {}
    clashes = []
    for path in sorted((ROOT / "survey" / "translations" / "src" / "sv").glob("*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle, locale="sv"):
                if not message.id or not message.string:
                    continue
                msgid = message.id if isinstance(message.id, str) else message.id[0]
                text = message.string if isinstance(message.string, str) else message.string[0]
                first = seen.setdefault((msgid, message.context), (path.name, text))
                if first[1] != text:
                    clashes.append(f"{msgid!r}: {first} vs {(path.name, text)}")
    assert not clashes, "\n".join(clashes)
