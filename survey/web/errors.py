"""Friendly error pages in the user's language, never a trace."""

from __future__ import annotations

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import NotFound as HTTPNotFound

from survey.extensions import db
from survey.services.errors import NotFound

_NOT_FOUND = HTTPNotFound()


def register(app: Flask) -> None:
    """Render every HTTP error and unexpected exception with the error template."""

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int]:
        return render_template("errors/error.html", error=error), error.code or 500

    @app.errorhandler(NotFound)
    def not_found(_error: NotFound) -> tuple[str, int]:
        """An object a service could not find (or the user may not see) is a 404, not a 500."""
        db.session.rollback()
        return render_template("errors/error.html", error=_NOT_FOUND), 404

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> tuple[str, int]:
        if app.testing and app.config.get("PROPAGATE_UNEXPECTED", True):
            raise error
        app.logger.exception("unhandled error")
        db.session.rollback()
        return render_template("errors/error.html", error=None), 500
