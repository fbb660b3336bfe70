"""SNI 2007 industry codes: normalise a code and find its section (A-U) and short names."""

from __future__ import annotations

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


def normalize_code(raw: str) -> str | None:
    """Return the code as 2-5 digits ("47.111" -> "47111"), or None when it is not one."""
    compact = (raw or "").strip().replace(".", "").replace(" ", "")
    if not (2 <= len(compact) <= 5) or not compact.isascii() or not compact.isdigit():
        return None
    if section_for(compact) is None:
        return None
    return compact


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
