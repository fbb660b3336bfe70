"""Keys suggested from texts, so that an official never has to type one.

A key is the stable identity of a battery, section, question, matrix or option: trends join
on question keys and exports name option keys. The builder suggests one from the Swedish
text when something is created and keeps it from then on (a published key never changes).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "æ": "a", "ø": "o", "é": "e", "ü": "u"})
# Short function words say little about a question; they are left out of its key.
_SKIP = {"och", "att", "det", "den", "som", "ni", "er", "ert", "era", "en", "ett", "av", "på", "i"}


def words(text: str) -> list[str]:
    """Return the text's words in lower case a-z and 0-9 (å, ä, ö folded to a, a, o)."""
    folded = unicodedata.normalize("NFKC", text).lower().translate(_FOLD)
    folded = "".join(
        c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c)
    )
    return re.findall(r"[a-z0-9]+", folded)


def _unique(base: str, taken: Collection[str], joiner: str, limit: int) -> str:
    base = base[:limit].rstrip(joiner) or "x"
    candidate, number = base, 2
    while candidate in taken:
        suffix = f"{joiner}{number}"
        candidate = base[: limit - len(suffix)].rstrip(joiner) + suffix
        number += 1
    return candidate


def _significant(text: str, count: int) -> list[str]:
    found = words(text)
    kept = [w for w in found if w not in _SKIP and len(w) > 1] or found
    return kept[:count]


def question_key(text: str, taken: Collection[str]) -> str:
    """Return a new question key (NKI_HELHET style) from the question's Swedish text."""
    parts = _significant(text, 3) or ["fraga"]
    base = "_".join(parts).upper()
    if not base[0].isalpha():
        base = "F_" + base
    if len(base) < 2:
        base += "_1"
    return _unique(base, taken, "_", 40)


def option_key(label: str, taken: Collection[str]) -> str:
    """Return a new option key (e.g. ``ja_delvis``) from the option's Swedish label."""
    return _unique("_".join(_significant(label, 3)) or "svar", taken, "_", 40)


def section_key(title: str, taken: Collection[str]) -> str:
    """Return a new section or matrix key (e.g. ``hjalp_kontakter``) from its Swedish title."""
    return _unique("_".join(_significant(title, 3)) or "del", taken, "_", 40)


def battery_key(title: str, taken: Collection[str]) -> str:
    """Return a new battery key (e.g. ``uppfoljning-besok``) from its Swedish title."""
    base = "-".join(_significant(title, 4)) or "batteri"
    if len(base) < 2:
        base += "-1"
    return _unique(base, taken, "-", 60)
