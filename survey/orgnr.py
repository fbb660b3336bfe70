"""Organisationsnummer: validate, normalise to NNNNNN-NNNN, and generate valid ones for demos.

A Swedish organisation number has ten digits; the last is a Luhn (mod 10) check digit over the
first nine. People write it with or without the hyphen, with spaces, or with a century prefix
(16, 19 or 20) as twelve digits.
"""

from __future__ import annotations

import random

from flask_babel import lazy_gettext as _l

CENTURY_PREFIXES = ("16", "19", "20")
_ALLOWED_SEPARATORS = str.maketrans("", "", " -\u00a0\u2010\u2011\u2012\u2013")

REASONS = {
    "empty": _l("Enter an organisation number."),
    "not_digits": _l("An organisation number has only digits (and an optional hyphen)."),
    "length": _l("An organisation number has 10 digits (NNNNNN-NNNN)."),
    "check_digit": _l("The check digit is wrong; check the organisation number for typos."),
}


class OrgNumberError(ValueError):
    """The text is not a valid organisation number; `reason` is a key of REASONS."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    @property
    def message(self) -> str:
        """Return the user-facing explanation in the current language."""
        return str(REASONS[self.reason])


def luhn_check_digit(digits: str) -> int:
    """Return the Luhn check digit for a string of digits (weights 2,1,2,... from the left)."""
    total = 0
    for position, char in enumerate(digits):
        product = int(char) * (2 if position % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return (10 - total % 10) % 10


def normalize(raw: str) -> str:
    """Return `raw` as NNNNNN-NNNN, or raise OrgNumberError saying what is wrong."""
    compact = (raw or "").strip().translate(_ALLOWED_SEPARATORS)
    if not compact:
        raise OrgNumberError("empty")
    if not compact.isascii() or not compact.isdigit():
        raise OrgNumberError("not_digits")
    if len(compact) == 12 and compact[:2] in CENTURY_PREFIXES:
        compact = compact[2:]
    if len(compact) != 10:
        raise OrgNumberError("length")
    if luhn_check_digit(compact[:9]) != int(compact[9]):
        raise OrgNumberError("check_digit")
    return f"{compact[:6]}-{compact[6:]}"


def is_valid(raw: str) -> bool:
    """Tell whether `raw` is a valid organisation number in any accepted spelling."""
    try:
        normalize(raw)
    except OrgNumberError:
        return False
    return True


def generate(rng: random.Random) -> str:
    """Return a valid, normalised number of a legal person (starts with 5, third digit >= 2)."""
    first_nine = "5" + str(rng.randint(0, 9)) + str(rng.randint(2, 9))
    first_nine += "".join(str(rng.randint(0, 9)) for _ in range(6))
    digits = first_nine + str(luhn_check_digit(first_nine))
    return f"{digits[:6]}-{digits[6:]}"
