"""SNI 2007 industry codes: check and normalise a code, show it, find its section and names.

SNI 2007 (Statistics Sweden) is NACE Rev. 2 with a fifth, Swedish digit: 88 divisions (two
digits), 272 groups (three), classes (four) and detailed groups (five), written `47.211`. A
code is checked against the real divisions and groups below; the fourth and fifth digits are
checked for form only (the full list of detailed groups is not shipped).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from survey.i18n import current_language


class Section(NamedTuple):
    """One SNI section: its letter, the divisions it spans and short names."""

    letter: str
    first_division: int
    last_division: int
    name_sv: str
    name_en: str


SECTIONS = (
    Section("A", 1, 3, "Jordbruk, skogsbruk och fiske", "Agriculture, forestry and fishing"),
    Section("B", 5, 9, "Utvinning av mineral", "Mining and quarrying"),
    Section("C", 10, 33, "Tillverkning", "Manufacturing"),
    Section("D", 35, 35, "Energiförsörjning", "Electricity and gas supply"),
    Section("E", 36, 39, "Vatten, avlopp och avfall", "Water supply, sewerage and waste"),
    Section("F", 41, 43, "Byggverksamhet", "Construction"),
    Section("G", 45, 47, "Handel", "Wholesale and retail trade"),
    Section("H", 49, 53, "Transport och magasinering", "Transportation and storage"),
    Section("I", 55, 56, "Hotell och restaurang", "Accommodation and food service"),
    Section("J", 58, 63, "Information och kommunikation", "Information and communication"),
    Section("K", 64, 66, "Finans och försäkring", "Financial and insurance activities"),
    Section("L", 68, 68, "Fastighetsverksamhet", "Real estate activities"),
    Section("M", 69, 75, "Juridik, ekonomi, vetenskap och teknik", "Professional and technical"),
    Section("N", 77, 82, "Uthyrning och stödtjänster", "Administrative and support services"),
    Section("O", 84, 84, "Offentlig förvaltning och försvar", "Public administration and defence"),
    Section("P", 85, 85, "Utbildning", "Education"),
    Section("Q", 86, 88, "Vård och omsorg", "Human health and social work"),
    Section("R", 90, 93, "Kultur, nöje och fritid", "Arts, entertainment and recreation"),
    Section("S", 94, 96, "Andra serviceverksamheter", "Other service activities"),
    Section("T", 97, 98, "Förvärvsarbete i hushåll", "Activities of households"),
    Section("U", 99, 99, "Extraterritoriella organisationer", "Extraterritorial organisations"),
)
BY_LETTER = {section.letter: section for section in SECTIONS}
#: The section letters, A to U: the one list every filter, import and page uses.
SECTION_LETTERS = "".join(BY_LETTER)


# The groups of each division: the third digit of every real code (NACE Rev. 2, 272 groups).
_GROUP_DIGITS = {
    "01": "1234567", "02": "1234", "03": "12", "05": "12", "06": "12", "07": "12",
    "08": "19", "09": "19", "10": "123456789", "11": "0", "12": "0", "13": "1239",
    "14": "123", "15": "12", "16": "12", "17": "12", "18": "12", "19": "12",
    "20": "123456", "21": "12", "22": "12", "23": "12345679", "24": "12345",
    "25": "12345679", "26": "12345678", "27": "123459", "28": "12349", "29": "123",
    "30": "12349", "31": "0", "32": "123459", "33": "12", "35": "123", "36": "0",
    "37": "0", "38": "123", "39": "0", "41": "12", "42": "129", "43": "1239",
    "45": "1234", "46": "12345679", "47": "123456789", "49": "12345", "50": "1234",
    "51": "12", "52": "12", "53": "12", "55": "1239", "56": "123", "58": "12",
    "59": "12", "60": "12", "61": "1239", "62": "0", "63": "19", "64": "1239",
    "65": "123", "66": "123", "68": "123", "69": "12", "70": "12", "71": "12",
    "72": "12", "73": "12", "74": "1239", "75": "0", "77": "1234", "78": "123",
    "79": "19", "80": "123", "81": "123", "82": "1239", "84": "123", "85": "123456",
    "86": "129", "87": "1239", "88": "19", "90": "0", "91": "0", "92": "0", "93": "12",
    "94": "129", "95": "12", "96": "0", "97": "0", "98": "12", "99": "0",
}  # fmt: skip
DIVISIONS = frozenset(_GROUP_DIGITS)
GROUPS = frozenset(
    division + digit for division, digits in _GROUP_DIGITS.items() for digit in digits
)
_WRITTEN = re.compile(r"^\d{2}(?:\.?\d{1,3})?$")


def normalize_code(raw: str) -> str | None:
    """Return a real SNI 2007 code as 2-5 digits ("47.111" -> "47111"), else None.

    `99.999` is None: division 99 has only the group 99.0.
    """
    text = (raw or "").strip().replace(" ", "")
    if not text.isascii() or not _WRITTEN.match(text):
        return None
    compact = text.replace(".", "")
    if compact[:2] not in DIVISIONS or (len(compact) > 2 and compact[:3] not in GROUPS):
        return None
    return compact


def is_written_as_code(raw: str) -> bool:
    """Tell whether the text has the form of a code (2-5 digits, a dot after two), real or not."""
    return bool(_WRITTEN.match((raw or "").strip().replace(" ", "")))


def format_code(code: str | None) -> str:
    """Write a stored code as people read it: "47211" -> "47.211" ("" for none)."""
    if not code:
        return ""
    return code if len(code) <= 2 else f"{code[:2]}.{code[2:]}"


def section_for(code: str | None) -> Section | None:
    """Return the section a (normalised) code belongs to, or None for an unknown division."""
    if not code or len(code) < 2 or not code[:2].isdigit():
        return None
    division = int(code[:2])
    for section in SECTIONS:
        if section.first_division <= division <= section.last_division:
            return section
    return None


def section_letter(code: str | None) -> str | None:
    """Return the section letter (A-U) of a code, or None."""
    section = section_for(code)
    return section.letter if section else None


def section_name(letter: str | None) -> str:
    """Return the short section name in the current language ("" for an unknown letter)."""
    section = BY_LETTER.get(letter or "")
    if section is None:
        return ""
    return section.name_en if current_language() == "en" else section.name_sv
