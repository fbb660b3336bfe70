"""Friendly error pages in the user's language, never a trace."""

from __future__ import annotations

from flask import Flask, current_app, render_template
from flask.typing import ResponseReturnValue
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable
from werkzeug.exceptions import NotFound as HTTPNotFound

from survey.extensions import db
from survey.services.errors import NotFound

_NOT_FOUND = HTTPNotFound()
RETRY_AFTER_SECONDS = 30
# SQLite's own words for "the file cannot be used right now" (locked, unopenable).
_SQLITE_UNAVAILABLE = ("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_CANTOPEN")


def database_unreachable(error: Exception) -> bool:
    """Tell whether a database error means "cannot reach the database now", not a bug.

    Connection refused or dropped, a server shutting down or starting up (PostgreSQL's
    SQLSTATE classes 08 and 57P), a locked SQLite file or an exhausted pool: the request can
    succeed when tried again. Any other database error is a bug and stays a 500.
    """
    if isinstance(error, PoolTimeout):
        return True
    if not isinstance(error, DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    if not isinstance(error, OperationalError):
        return False
    sqlstate = getattr(error.orig, "sqlstate", "")
    if sqlstate is None:  # psycopg: raised by the client (refused, closed), not the server
        return True
    if sqlstate.startswith(("08", "57P")):
        return True
    return getattr(error.orig, "sqlite_errorname", "") in _SQLITE_UNAVAILABLE


def _rollback() -> None:
    """Roll back the request's session; a connection that is already gone is discarded."""
    try:
        db.session.rollback()
    except SQLAlchemyError:
        db.session().invalidate()


def end_session(_error: BaseException | None = None) -> None:
    """Close the request's session at teardown, even when the server dropped its connection.

    A view may be done (say, a submission committed and its redirect built) while a read
    transaction is still open; if PostgreSQL goes away before the teardown's ROLLBACK, that
    ROLLBACK fails. Raised there, the error would replace the finished response with a bare
    500, so the dead connection is thrown away instead and the response goes out.
    """
    try:
        db.session.remove()
    except SQLAlchemyError as error:
        current_app.logger.warning("database connection lost at teardown: %s", _first_line(error))
        db.session().invalidate()
        db.session.remove()


def _unavailable_page() -> str:
    """Render the 503 page from the template globals only, without context processors.

    Flask-Login's context processor loads the logged-in user, which needs the database
    that is down; the page itself is standalone for the same reason.
    """
    return current_app.jinja_env.get_template("errors/unavailable.html").render()


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def register(app: Flask) -> None:
    """Render every HTTP error and unexpected exception with the error template."""
    # Registered after the extensions' teardowns, so it runs before them (Flask runs them
    # in reverse) and leaves them nothing to roll back.
    app.teardown_appcontext(end_session)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int] | tuple[str, int, dict[str, str]]:
        if error.code == 503:
            headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
            return _unavailable_page(), 503, headers
        return render_template("errors/error.html", error=error), error.code or 500

    @app.errorhandler(NotFound)
    def not_found(_error: NotFound) -> tuple[str, int]:
        """An object a service could not find (or the user may not see) is a 404, not a 500."""
        db.session.rollback()
        return render_template("errors/error.html", error=_NOT_FOUND), 404

    @app.errorhandler(SQLAlchemyError)
    def database_error(error: SQLAlchemyError) -> ResponseReturnValue:
        """Answer 503 "try again soon" while the database is down or restarting."""
        if not database_unreachable(error):
            return unexpected(error)
        app.logger.warning("database unavailable: %s", _first_line(error))
        _rollback()
        # Dispatched like any HTTP error, so a blueprint's own handler (the API's JSON) applies.
        return app.handle_http_exception(ServiceUnavailable(retry_after=RETRY_AFTER_SECONDS))

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> ResponseReturnValue:
        """Log a bug and answer 500, dispatched like any HTTP error (the API's is JSON)."""
        if app.testing and app.config.get("PROPAGATE_UNEXPECTED", True):
            raise error
        app.logger.exception("unhandled error")
        _rollback()
        return app.handle_http_exception(InternalServerError(original_exception=error))
