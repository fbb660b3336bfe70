"""Kept uploads of the company import: one file per preview, until it is imported or expires.

The browser never sends the file twice: the upload is kept (readable by this user only) under
a random id while the official checks the preview and the columns' fields, and is deleted once
imported, discarded or an hour old, since it holds the file's contact persons.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import time
from collections.abc import Sequence
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from survey.services.errors import DomainError, NotFound
from survey.services.register.company_import import (
    ImportPreview,
    ImportResult,
    import_rows,
    preview,
)

#: A kept upload (names and e-mail addresses) is deleted an hour after it was uploaded.
UPLOAD_MAX_AGE_SECONDS = 3600
# A kept upload's file name ends in UPLOADED; while one request imports it, in IMPORTING;
# IMPORTED is the empty marker left once it is imported.
UPLOADED, IMPORTING, IMPORTED = ".csv", ".importing", ".imported"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _upload_dir() -> Path:
    return Path(current_app.config["SURVEY_INSTANCE_DIR"]) / "imports"


class AlreadyImported(DomainError):
    """The upload was imported already (or is being imported by another request)."""


def _already_imported() -> AlreadyImported:
    return AlreadyImported(_("This file is already imported."))


def _upload_path(token: str) -> Path:
    """Return the kept upload; AlreadyImported once it is claimed, NotFound when expired."""
    if not _TOKEN.match(token):
        raise NotFound(_("This import has expired; upload the file again."))
    path = _upload_dir() / f"{token}{UPLOADED}"
    if path.is_file():
        return path
    if any(path.with_suffix(state).exists() for state in (IMPORTING, IMPORTED)):
        raise _already_imported()
    raise NotFound(_("This import has expired; upload the file again."))


def stale_uploads(*, max_age: float = UPLOAD_MAX_AGE_SECONDS) -> list[Path]:
    """Return the kept uploads (and import markers) older than `max_age` seconds."""
    directory = _upload_dir()
    if not directory.is_dir():
        return []
    cutoff = time.time() - max_age
    found = []
    for path in directory.iterdir():
        if path.suffix not in (UPLOADED, IMPORTING, IMPORTED) or not _TOKEN.match(path.stem):
            continue
        try:
            if path.stat().st_mtime < cutoff:
                found.append(path)
        except FileNotFoundError:  # removed meanwhile by another request
            continue
    return found


def remove_stale_uploads(*, max_age: float = UPLOAD_MAX_AGE_SECONDS) -> int:
    """Delete kept uploads (and import markers) older than `max_age` seconds; return how many.

    An upload holds the contact persons of the file, so it is not kept once its preview is
    old: the retention command and every new upload call this.
    """
    stale = stale_uploads(max_age=max_age)
    for path in stale:
        path.unlink(missing_ok=True)
    return len(stale)


def save_upload(data: bytes) -> str:
    """Keep an uploaded file (readable by this user only) until it is confirmed; its id."""
    directory = _upload_dir()
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    directory.chmod(0o700)  # a folder made by an older version kept its mode
    remove_stale_uploads()
    token = secrets.token_urlsafe(24)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    descriptor = os.open(directory / f"{token}{UPLOADED}", flags, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
    return token


def preview_upload(token: str, mapping: Sequence[str] | None = None) -> ImportPreview:
    """Preview a kept upload again, with the columns' fields the user chose."""
    return preview(_upload_path(token).read_bytes(), mapping)


def import_upload(
    token: str, *, mapping: Sequence[str] | None = None, actor_id: int | None
) -> ImportResult:
    """Import the good rows of a kept upload once, then delete the file.

    The file is claimed by renaming it (atomic), so of two confirms at once one imports and
    the other raises AlreadyImported; a marker answers later confirms the same way until
    it is swept with the stale uploads. A failed import puts the file back.
    """
    path = _upload_path(token)
    claimed = path.with_suffix(IMPORTING)
    try:
        path.rename(claimed)
    except FileNotFoundError:
        raise _already_imported() from None
    os.utime(claimed)  # claimed now: the sweep of stale uploads leaves it alone meanwhile
    try:
        checked = preview(claimed.read_bytes(), mapping)
        if checked.mapping_error:
            raise DomainError(checked.mapping_error, field="mapping")
        result = import_rows(checked, actor_id=actor_id)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            claimed.rename(path)
        raise
    path.with_suffix(IMPORTED).touch(mode=0o600)
    claimed.unlink(missing_ok=True)
    return result


def discard_upload(token: str) -> None:
    """Delete a kept upload without importing it."""
    _upload_path(token).unlink(missing_ok=True)
