"""Versioned static URLs, so browsers keep the stylesheet, scripts and icons for a year.

Every `url_for("static", filename=...)` gains `v=<the file's content hash>`; a request whose
`v` is the file's current hash is answered `Cache-Control: public, max-age=31536000,
immutable`, so a phone asks for nothing again on the next page (it sent three conditional
requests a page before, each answered 304). Changing a file changes its URL, so no browser
keeps an old copy. A request without `v`, or with an old one, keeps Flask's default
(`no-cache`: revalidated every time). Static files hold nothing personal: every other
response stays `no-store` (survey/web/security.py).
"""

from __future__ import annotations

import hashlib
import os
from typing import Any

from flask import Flask, Response, current_app, request
from werkzeug.security import safe_join

#: What a versioned static response may be kept for: a year, never revalidated.
IMMUTABLE = "public, max-age=31536000, immutable"
#: A file's path -> (modification time, size, version): the file is hashed again only
#: when it changes.
_VERSIONS: dict[str, tuple[int, int, str]] = {}


def static_version(filename: str) -> str | None:
    """Return the version of a static file (12 hex digits of its SHA-256), None if absent."""
    folder = current_app.static_folder
    path = safe_join(folder, filename) if folder else None
    if path is None:
        return None
    try:
        stat = os.stat(path)
    except OSError:
        return None
    known = _VERSIONS.get(path)
    if known is not None and known[:2] == (stat.st_mtime_ns, stat.st_size):
        return known[2]
    with open(path, "rb") as handle:
        version = hashlib.file_digest(handle, "sha256").hexdigest()[:12]
    _VERSIONS[path] = (stat.st_mtime_ns, stat.st_size, version)
    return version


def _add_version(endpoint: str, values: dict[str, Any]) -> None:
    """Give a static URL its file's version (`?v=`), unless one is given."""
    if endpoint == "static" and "v" not in values and "filename" in values:
        version = static_version(values["filename"])
        if version is not None:
            values["v"] = version


def _cache_versioned(response: Response) -> Response:
    """Let browsers keep a static file for a year when it is asked for by its current URL."""
    if request.endpoint != "static" or response.status_code not in (200, 304):
        return response
    asked = request.args.get("v")
    filename = (request.view_args or {}).get("filename", "")
    if asked and asked == static_version(filename):
        response.headers["Cache-Control"] = IMMUTABLE
    return response


def register(app: Flask) -> None:
    """Version every static URL and cache the versioned ones for a year."""
    app.url_defaults(_add_version)
    app.after_request(_cache_versioned)
