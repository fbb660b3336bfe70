"""Per-process cache of published battery versions: definitions, form classes, blank forms' HTML.

A published version never changes (DESIGN.md, invariants), so its plain definition and the
WTForms classes generated from its sections can be built once per app process and shared by
every request, instead of loading sections, questions and options from the database (one
query per question) and generating form classes on every respondent page.

The cache lives in `app.extensions`, so each app (each test's app with its own database) has
its own, and is keyed by the version's id *and* content hash: a reused id (SQLite reuses the
highest rowid after a delete) can never return another version's questions. Drafts, which
change, are never cached. What is derived from a definition (generated form classes, the HTML
of its blank questionnaire) is cached only for definitions held by the cache (keyed by the
definition object's identity, which the cache keeps alive).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from flask import current_app, has_app_context

from survey.questionnaires import model as spec

EXTENSION = "survey.published_versions"
T = TypeVar("T")
MAX_VERSIONS = 256  # far more than an installation publishes; a full cache just starts over


class PublishedVersions:
    """The definitions of the published versions this process has served, and what derives."""

    def __init__(self) -> None:
        self._definitions: dict[tuple[int, str], spec.Battery] = {}
        self._derived: dict[int, dict[Hashable, Any]] = {}

    def definition(self, version: Any, build: Callable[[Any], spec.Battery]) -> spec.Battery:
        """Return the definition of a BatteryVersion, built once if it is published."""
        if not version.is_published or not version.content_hash:
            return build(version)
        key = (version.id, version.content_hash)
        found = self._definitions.get(key)
        if found is None:
            if len(self._definitions) >= MAX_VERSIONS:
                self._definitions.clear()
                self._derived.clear()
            found = build(version)
            self._definitions[key] = found
            self._derived[id(found)] = {}
        return found

    def derived(self, definition: spec.Battery, key: Hashable, build: Callable[[], T]) -> T:
        """Return what `build` derives from a definition, built once if the definition is cached.

        `key` names the derived thing (e.g. a section's form class in one language).
        """
        # Every id kept here is that of a definition this cache holds alive, so no other
        # object can have it: finding the id means finding this very definition.
        kept = self._derived.get(id(definition))
        if kept is None:
            return build()
        if key not in kept:
            kept[key] = build()
        return kept[key]


def published_versions() -> PublishedVersions | None:
    """Return the current app's cache (None outside an app context)."""
    if not has_app_context():
        return None
    extensions = current_app.extensions
    cache = extensions.get(EXTENSION)
    if cache is None:
        cache = extensions[EXTENSION] = PublishedVersions()
    return cache
