"""JSON API routes: batteries, statistics and the response export; token auth, JSON errors.

Every route except the OpenAPI description needs `Authorization: Bearer <token>`; the token's
user and role apply. The API is read-only, sets no cookies and is exempt from CSRF (it takes no
cookie credentials). Company identities never leave through the API: exports are pseudonymised.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, request, session
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from survey.extensions import csrf
from survey.models.base import INTEGER_MAX
from survey.services.accounts import api_tokens
from survey.services.dashboards import measures
from survey.services.errors import DomainError, NotFound
from survey.services.exports import aggregates, api_catalog, export
from survey.services.statistics import skr, statistics
from survey.web.api.openapi import SPEC
from survey.web.exports.blueprint import download
from survey.web.ids import is_id, parse_id

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
PUBLIC = ("api.openapi",)


def error(message: str, status: int) -> Response:
    """Return a JSON error; a 401 also says how to authenticate."""
    response = jsonify({"error": message})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@bp.before_request
def authenticate() -> Response | None:
    """Find the user of the bearer token, or answer 401."""
    if request.endpoint in PUBLIC:
        return None
    scheme, _sep, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return error("missing bearer token", 401)
    user = api_tokens.authenticate(secret.strip())
    if user is None:
        return error("invalid, expired or revoked token", 401)
    if not user.can("read"):
        return error("this token's user may not read", 403)
    g.api_user = user
    return None


@bp.after_request
def no_cookies(response: Response) -> Response:
    """Keep API responses free of session cookies (e.g. a `?lang=` choice is not remembered)."""
    session.modified = False
    return response


@bp.errorhandler(DomainError)
def domain_error(problem: DomainError) -> Response:
    return error(problem.message, 404 if isinstance(problem, NotFound) else 400)


@bp.errorhandler(HTTPException)
def http_error(problem: HTTPException) -> Response:
    return error(problem.description or problem.name, problem.code or 500)


@bp.route("/", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
@bp.route("/<path:_rest>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def fallback(_rest: str = "") -> Response:
    """Answer unknown paths (404) and writes to known ones (405) as JSON: the API is read-only."""
    endpoint, _args = current_app.url_map.bind_to_environ(request.environ).match(method="GET")
    if request.method != "GET" and endpoint != "api.fallback":
        response = error("the API is read-only", 405)
        response.headers["Allow"] = "GET, HEAD"
        return response
    return error("not found", 404)


@bp.route("/openapi.json")
def openapi() -> Response:
    """Serve the OpenAPI 3.1 description of this API."""
    return jsonify(SPEC)


@bp.route("/batteries")
def batteries() -> Response:
    """List batteries with their published versions."""
    return jsonify(api_catalog.list_batteries())


@bp.route("/batteries/<key>")
def battery(key: str) -> Response:
    """Describe a battery version's questions (the latest published, or ?version=N)."""
    number = request.args.get("version", type=int)
    if "version" in request.args and not is_id(number):
        return error(f"version must be a whole number from 1 to {INTEGER_MAX}", 400)
    return jsonify(api_catalog.battery_detail(key, number))


def _stats_args() -> dict[str, Any]:
    args: dict[str, Any] = {k: v for k, v in request.args.items() if k != "where"}
    for item in request.args.getlist("where"):
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise DomainError(
                _("where=%(item)s: write it as FIELD=VALUE", item=item), field="where"
            )
        args[name.strip()] = value.strip()
    return args


@bp.route("/stats")
def stats() -> Response:
    """Return an index per period with changes: the `survey stats --json` object."""
    wanted = aggregates.parse_report_args(_stats_args())
    report = statistics.index_report(
        wanted.filters, index=wanted.index, by=wanted.by, split=wanted.split
    )
    return jsonify(report)


@bp.route("/stats/measures")
def stats_measures() -> Response:
    """Return NPS, CSAT, alpha per index, response rate and NKI's trend: `stats measures`."""
    wanted = aggregates.parse_report_args(_stats_args())
    found = measures.measures(wanted.filters, by=wanted.by)
    return jsonify(measures.measures_json(found))


@bp.route("/stats/skr")
def stats_skr() -> Response:
    """Return NKI by SKR's definition for a year: the `survey stats skr --json` object."""
    args = request.args
    year = args.get("year") or None
    if year is not None and not (year.isdigit() and len(year) == 4):
        return error("year must be written as four digits, e.g. 2024", 400)
    filters = statistics.Filters.from_args({"battery": args.get("battery", "")})
    return jsonify(skr.skr_json(skr.skr_nki(filters, year=year)))


BOOLEANS = {
    "": False,
    "0": False,
    "false": False,
    "no": False,
    "1": True,
    "true": True,
    "yes": True,
}


@bp.route("/responses.csv")
def responses() -> Response:
    """Stream the response export (pseudonymised) as CSV."""
    args = request.args
    survey_id, excel = args.get("survey_id", ""), args.get("excel", "").lower()
    # A bad value is refused rather than ignored: ignoring survey_id would export every survey.
    if survey_id and parse_id(survey_id) is None:
        return error(f"survey_id must be a whole number from 1 to {INTEGER_MAX}", 400)
    if excel not in BOOLEANS:
        return error("excel must be true or false", 400)
    wanted = export.ExportRequest(
        battery=args.get("battery", ""),
        survey_id=int(survey_id) if survey_id else None,
        layout=args.get("format", "wide"),
        excel=BOOLEANS[excel],
    )
    if not wanted.battery:
        return error("battery is required", 400)
    user = g.api_user
    result = export.export_responses(
        wanted, user_id=user.id, role=user.role, via="api", ip=request.remote_addr
    )
    return download(result.chunks, result.filename, "text/csv; charset=utf-8", stream=True)
