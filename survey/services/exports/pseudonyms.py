"""Stable per-installation pseudonyms for companies in exports.

A pseudonym is HMAC-SHA256 of the organisationsnummer under a key derived from the installation's
secret (SURVEY_PSEUDONYM_KEY when set, else SECRET_KEY), truncated to 64 bits: the same company
gets the same pseudonym in every export of this installation, so analysts can follow it over
time, while the number cannot be recovered or guessed by hashing the (small) space of org numbers
without the secret.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable

from flask import current_app

_CONTEXT = b"survey.export.company-pseudonym.v1"


def pseudonym_key() -> bytes:
    """Return this installation's pseudonym key, derived from its configured secret."""
    secret = current_app.config.get("SURVEY_PSEUDONYM_KEY") or current_app.config["SECRET_KEY"]
    return hmac.new(str(secret).encode("utf-8"), _CONTEXT, hashlib.sha256).digest()


def pseudonym(org_number: str, key: bytes) -> str:
    """Return the stable pseudonym of an organisationsnummer, e.g. `C-3f9a0c12d4e5b6a7`."""
    digits = "".join(ch for ch in org_number if ch.isdigit())
    digest = hmac.new(key, digits.encode("ascii"), hashlib.sha256).hexdigest()
    return "C-" + digest[:16]


def pseudonymizer() -> Callable[[str], str]:
    """Return a function that pseudonymises org numbers with this installation's key."""
    key = pseudonym_key()
    return lambda org_number: pseudonym(org_number, key)
