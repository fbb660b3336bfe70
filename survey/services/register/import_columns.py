"""Which column of a company file holds which register field: synonyms, guesses, checks.

Municipalities export their registers from many systems, so a column is recognised by its
title compared without case, diacritics, spaces or punctuation: `Org.nr`, `ORGNR` and
`org nr` are one title, as are `E-postadress` and `epostadress`. The user sees the guess and
may change each column's field, or leave it out; the web import and the CLI share these rules.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Sequence

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from survey.services.errors import DomainError

IGNORE = ""
REQUIRED = ("org_number", "name")
#: The register fields a column can fill, in the order of the template file.
FIELD_LABELS = {
    "org_number": _l("Organisation number"),
    "name": _l("Name"),
    "sni_code": _l("SNI code"),
    "size_class": _l("Size (employees)"),
    "contact_name": _l("Contact person"),
    "contact_email": _l("Contact e-mail"),
    "language": _l("Language of survey mail"),
}
#: Titles that name each field, compared by `title_key` (the first is the template's title).
SYNONYMS = {
    "org_number": (
        "organisationsnummer", "orgnr", "orgnummer", "organisationsnr", "orgno",
        "orgnumber", "organisationnumber", "organizationnumber", "corporateid",
    ),
    "name": (
        "namn", "foretagsnamn", "foretag", "foretagetsnamn", "bolagsnamn", "bolag", "firma",
        "firmanamn", "name", "company", "companyname",
    ),
    "sni_code": (
        "sni", "snikod", "sni2007", "sni2007kod", "snicode", "branschkod", "bransch",
        "industry", "industrycode",
    ),
    "size_class": (
        "storlek", "storleksklass", "anstallda", "antalanstallda", "antalanst",
        "storlekanstallda", "employees", "numberofemployees", "size", "sizeclass",
    ),
    "contact_name": (
        "kontaktperson", "kontakt", "kontaktnamn", "contact", "contactname", "contactperson",
    ),
    "contact_email": (
        "epost", "epostadress", "mejl", "mejladress", "mail", "mailadress", "email",
        "emailaddress", "emailadress", "kontaktepost", "contactemail",
    ),
    "language": ("sprak", "language", "lang", "sprakval", "utskickssprak"),
}  # fmt: skip
_BY_KEY = {synonym: field for field, synonyms in SYNONYMS.items() for synonym in synonyms}


def title_key(title: str) -> str:
    """Return a title without case, diacritics or punctuation ("E-postadress" -> "epostadress")."""
    decomposed = unicodedata.normalize("NFKD", title.casefold())
    return "".join(char for char in decomposed if char.isalnum() and char.isascii())


def field_label(field: str) -> str:
    """Return the user's name of a register field ("" for a left-out column)."""
    return str(FIELD_LABELS[field]) if field in FIELD_LABELS else ""


def guess_mapping(header: Sequence[str]) -> tuple[str, ...]:
    """Return each column's field by its title; unknown titles and repeats are left out."""
    taken: set[str] = set()
    mapping = []
    for title in header:
        field = _BY_KEY.get(title_key(title), IGNORE)
        if field in taken:
            field = IGNORE
        taken.add(field)
        mapping.append(field)
    return tuple(mapping)


def check_mapping(header: Sequence[str], mapping: Sequence[str]) -> tuple[str, ...]:
    """Return the mapping when every field is known, used once, and the required ones are there.

    Raises DomainError (field "mapping") naming what is wrong, in the user's language.
    """
    if len(mapping) != len(header) or any(f and f not in FIELD_LABELS for f in mapping):
        raise DomainError(_("Choose a field from the list for every column."), field="mapping")
    for field in FIELD_LABELS:
        titles = [title for title, chosen in zip(header, mapping, strict=True) if chosen == field]
        if len(titles) > 1:
            raise DomainError(
                _(
                    "The columns %(columns)s are all imported as %(field)s; choose one.",
                    columns=", ".join(titles),
                    field=field_label(field),
                ),
                field="mapping",
            )
    missing = [field_label(field) for field in REQUIRED if field not in mapping]
    if missing:
        raise DomainError(
            _("Choose the column that holds: %(fields)s.", fields=", ".join(missing)),
            field="mapping",
        )
    return tuple(mapping)


TEMPLATE_TITLES = (
    "organisationsnummer", "namn", "sni", "storlek", "kontaktperson", "epost", "språk",
)  # fmt: skip


def template_file() -> bytes:
    """Return the template file: its column titles as Excel opens them (UTF-8 BOM, `;`)."""
    text = io.StringIO(newline="")
    csv.writer(text, delimiter=";", lineterminator="\r\n").writerow(TEMPLATE_TITLES)
    return text.getvalue().encode("utf-8-sig")
