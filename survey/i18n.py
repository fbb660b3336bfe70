"""Language selection and the Swedish catalog, merged from per-feature fragments.

Message ids are English; Swedish is the default locale. Each feature keeps its Swedish
translations in `translations/src/sv/<feature>.po` so features can change independently;
`compile_catalogs()` (survey.translations.catalogs) merges them into the `messages.mo` that
Flask-Babel reads; the package build does the same for every wheel (setup.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

from flask import current_app, has_request_context, request, session

from survey.translations.catalogs import compile_catalogs, merged_catalog

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
__all__ = ["compile_catalogs", "merged_catalog"]


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


if __name__ == "__main__":
    for path in compile_catalogs():
        sys.stdout.write(f"compiled {path}\n")
