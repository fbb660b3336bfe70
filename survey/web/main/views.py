"""Start page and health check."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import text

from survey.extensions import db
from survey.web.access import requires

bp = Blueprint("main", __name__)


@bp.route("/")
@requires("read")
def index() -> str:
    """Show the start page."""
    return render_template("main/index.html")


@bp.route("/healthz")
def health() -> tuple[dict[str, str], int]:
    """Answer whether the app can reach its database (for the proxy's health checks)."""
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}, 200
