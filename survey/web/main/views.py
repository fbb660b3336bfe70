"""Start page and health check."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask.typing import ResponseReturnValue
from sqlalchemy import text

from survey.extensions import db
from survey.web.access import requires

bp = Blueprint("main", __name__)


@bp.route("/")
@requires("read")
def index() -> ResponseReturnValue:
    """Show the start page: the dashboard overview when that feature is installed."""
    overview = current_app.view_functions.get("dashboard.overview")
    if overview is not None:
        return overview()  # served here rather than redirected, so "/" stays the start page
    return render_template("main/index.html")


@bp.route("/healthz")
def health() -> tuple[dict[str, str], int]:
    """Answer whether the app can reach its database (for the proxy's health checks)."""
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}, 200
