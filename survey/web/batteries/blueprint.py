"""The batteries blueprint and helpers shared by its view modules."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from survey.services.batteries.validation import InvalidDraft
from survey.services.errors import DomainError, NotFound

bp = Blueprint("batteries", __name__, url_prefix="/batteries")


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


def require_action() -> None:
    """Abort with 400 unless the POST carries a valid CSRF token."""
    if not ActionForm().validate_on_submit():
        abort(400)


def show_errors(form: FlaskForm, error: DomainError) -> None:
    """Put a service's error(s) beside the fields they are about."""
    problems = error.problems if isinstance(error, InvalidDraft) else {error.field: [error.message]}
    for name, messages in problems.items():
        target: Any = form[name] if name and name in form else None
        if target is None:
            form.form_errors.append(" ".join(messages))
        else:
            target.errors = [*target.errors, *messages]


def back_to_version(key: str, number: int, error: DomainError | None = None) -> Response:
    """Redirect to a version's page, flashing a refusal if there was one (404 if unknown)."""
    if isinstance(error, NotFound):
        abort(404)
    if error is not None:
        flash(error.message, "error")
    return redirect(url_for("batteries.version", key=key, number=number))
