"""Route: download everything stored about one company as JSON (administrators only)."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort
from flask_login import current_user

from survey.services.errors import NotFound
from survey.services.privacy import personal_data
from survey.web.access import requires

bp = Blueprint("privacy", __name__, url_prefix="/privacy")


@bp.route("/companies/<org_number>/report.json")
@requires("admin")
def company_report(org_number: str) -> Response:
    """Send the company's data report as a JSON attachment."""
    try:
        report = personal_data.company_report(org_number, actor_id=current_user.id)
    except NotFound:
        abort(404)
    body = json.dumps(report, ensure_ascii=False, indent=2)
    name = report["company"]["org_number"]
    return Response(
        body,
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="company-{name}.json"',
            "Cache-Control": "no-store",
        },
    )
