"""Common passwords, refused when officials choose a password.

The 30,000 most common passwords come from zxcvbn's frequency lists; a short list of
Swedish ones (seasons, towns, "lösenord") is kept beside this module.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from zxcvbn.frequency_lists import FREQUENCY_LISTS

_SWEDISH = Path(__file__).with_name("common_passwords.txt")


@cache
def _passwords() -> frozenset[str]:
    swedish = (line.strip().lower() for line in _SWEDISH.read_text("utf-8").splitlines())
    return frozenset(FREQUENCY_LISTS["passwords"]) | {word for word in swedish if word}


def is_common(password: str) -> bool:
    """Tell whether the password (ignoring case) is on a common-passwords list."""
    return password.strip().lower() in _passwords()
