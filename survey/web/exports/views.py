"""The export page: responses as CSV (streamed) with their codebook, and aggregates as CSV."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from survey.services.errors import DomainError
from survey.services.exports import aggregates as export_aggregates
from survey.services.exports import export
from survey.web.access import requires
from survey.web.exports import tokens  # noqa: F401  (registers the token pages)
from survey.web.exports.blueprint import bp, download
from survey.web.exports.forms import ExportForm


def _form() -> ExportForm:
    form = ExportForm()
    choices = export.export_choices()
    form.battery.choices = [
        SelectChoice(key, f"{title} ({key})") for key, title in choices.batteries
    ]
    form.survey_id.choices = [SelectChoice("", _("All surveys"))] + [
        SelectChoice(survey_id, f"{name} ({key})") for survey_id, name, key in choices.surveys
    ]
    if not export.may_see_identities(current_user.role):
        del form.identities
    return form


def _page(form: ExportForm, status: int = 200) -> tuple[str, int]:
    return render_template("exports/index.html", form=form), status


@bp.route("/", methods=["GET", "POST"])
@requires("read")
def index() -> tuple[str, int] | Response:
    """Show the export form; on submit, stream the CSV or send its codebook as a zip."""
    form = _form()
    if not form.validate_on_submit():
        return _page(form, 400 if form.errors else 200)
    wanted = export.ExportRequest(
        battery=form.battery.data,
        survey_id=form.survey_id.data,
        layout=form.layout.data,
        excel=form.excel.data,
        identities=bool(form.identities.data) if "identities" in form else False,
    )
    try:
        if request.form.get("action") == "codebook":
            described = export.describe_export(wanted, role=current_user.role)
            name = described.filename.removesuffix(".csv") + "-codebook.zip"
            return download(described.documentation_zip(), name, "application/zip")
        result = export.export_responses(
            wanted,
            user_id=current_user.id,
            role=current_user.role,
            via="web",
            ip=request.remote_addr,
        )
    except DomainError as error:
        target = getattr(form, error.field or "", None) or form.battery
        target.errors.append(error.message)
        return _page(form, 400)
    return download(result.chunks, result.filename, "text/csv; charset=utf-8", stream=True)


@bp.route("/aggregates.csv")
@requires("read")
def aggregates() -> Response:
    """Send an index per period (and split) with changes as CSV, small groups suppressed."""
    try:
        table = export_aggregates.aggregates_csv(request.args, user_id=current_user.id)
    except DomainError as error:
        return Response(error.message + "\n", status=400, mimetype="text/plain")
    return download(table.text, table.filename, "text/csv; charset=utf-8")
