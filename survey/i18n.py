"""Language selection and the Swedish catalog, merged from per-feature fragments.

Message ids are English; Swedish is the default locale. Each feature keeps its Swedish
translations in `translations/src/sv/<feature>.po` so features can change independently;
`compile_catalogs()` merges them into the `messages.mo` that Flask-Babel reads.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import current_app, has_request_context, request, session

TRANSLATIONS = Path(__file__).resolve().parent / "translations"


def remember_language_choice() -> None:
    """Keep a language chosen by a `?lang=` link for the rest of the visit."""
    chosen = request.args.get("lang")
    if chosen in current_app.config["LANGUAGES"]:
        session["lang"] = chosen


def select_locale() -> str:
    """Pick the language: a `?lang=` choice, then the browser's preference, then Swedish."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands: messages in the default language
        return languages[0]
    chosen = request.args.get("lang") or session.get("lang")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or languages[0]


def select_timezone() -> str:
    """Use the installation's configured time zone for every user."""
    return current_app.config["SURVEY_TIMEZONE"]


def current_language() -> str:
    """Return the active language code, 'sv' or 'en'."""
    from flask_babel import get_locale

    locale = get_locale()
    return locale.language if locale is not None else "sv"


def merged_catalog(locale: str = "sv") -> Catalog:
    """Merge every fragment of a locale into one catalog (first translation of an id wins)."""
    catalog = Catalog(locale=locale, domain="messages")
    for path in sorted((TRANSLATIONS / "src" / locale).glob("*.po")):
        with path.open("rb") as handle:
            fragment = read_po(handle, locale=locale)
        for message in fragment:
            if message.id and message.string and message.id not in catalog:
                catalog.add(message.id, message.string, context=message.context)
    return catalog


def compile_catalogs() -> list[Path]:
    """Write `translations/<locale>/LC_MESSAGES/messages.mo` for every locale with fragments."""
    written = []
    for locale_dir in sorted((TRANSLATIONS / "src").iterdir()):
        catalog = merged_catalog(locale_dir.name)
        target = TRANSLATIONS / locale_dir.name / "LC_MESSAGES" / "messages.mo"
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as handle:
            write_mo(handle, catalog)
        written.append(target)
    return written


if __name__ == "__main__":
    for path in compile_catalogs():
        sys.stdout.write(f"compiled {path}\n")
