"""Merge the per-feature `.po` fragments of each locale into the `messages.mo` Flask-Babel reads.

This module needs only Babel, not the app: the package build (setup.py) loads it by path to
compile the catalogs into every wheel, and `make` runs it (`python -m survey.i18n`) for a
checkout. Each feature keeps its Swedish translations in `src/<locale>/<feature>.po`.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

SOURCES = Path(__file__).resolve().parent


def merged_catalog(locale: str = "sv", sources: Path = SOURCES) -> Catalog:
    """Merge every fragment of a locale into one catalog (first translation of an id wins)."""
    catalog = Catalog(locale=locale, domain="messages")
    for path in sorted((sources / "src" / locale).glob("*.po")):
        with path.open("rb") as handle:
            fragment = read_po(handle, locale=locale)
        for message in fragment:
            if message.id and message.string and message.id not in catalog:
                catalog.add(message.id, message.string, context=message.context)
    return catalog


def compile_catalogs(sources: Path = SOURCES, target: Path | None = None) -> list[Path]:
    """Write `<target>/<locale>/LC_MESSAGES/messages.mo` for every locale with fragments."""
    written = []
    for locale_dir in sorted((sources / "src").iterdir()):
        catalog = merged_catalog(locale_dir.name, sources)
        path = (target or sources) / locale_dir.name / "LC_MESSAGES" / "messages.mo"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_mo(handle, catalog)
        written.append(path)
    return written
