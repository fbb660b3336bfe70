"""Dashboard pages: parse the filters from the URL, call the statistics, render charts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import plotly
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    render_template,
    request,
    send_file,
)
from flask.typing import ResponseReturnValue

from survey.paging import Page
from survey.services.dashboards import dashboard
from survey.services.errors import DomainError
from survey.stats.grades import round_half_up
from survey.web.access import requires
from survey.web.dashboard import pages
from survey.web.dashboard.export import table_csv, table_excel_csv
from survey.web.dashboard.forms import FilterForm
from survey.web.dashboard.panels import Table, display

bp = Blueprint("dashboard", __name__)
PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
COMMENTS_PER_PAGE = 25

Builder = Callable[[dashboard.View, dashboard.Choices], dict[str, Any]]


def _show_error(form: FilterForm, error: DomainError) -> str | None:
    """Put the error beside its field; return it when no field of the form fits."""
    target = getattr(form, error.field or "", None)
    if target is None or error.field in ("csrf_token", "meta"):
        return error.message
    target.errors = [*target.errors, error.message]
    return None


def _render(template: str, build: Builder) -> ResponseReturnValue:
    """Render a dashboard page for the view in the URL, or the form with its error (400)."""
    form = FilterForm(formdata=request.args)
    try:
        view = dashboard.parse_view(request.args)
    except DomainError as error:
        view, failure = None, error
    choices = dashboard.filter_choices(view.filters.battery if view else None)
    form.set_choices(choices)
    if not choices.batteries:
        return render_template(template, form=form, view=None, empty=True)
    if view is not None:
        form.battery.data, form.by.data = view.filters.battery, view.by
        form.compare.data, form.question.data = view.compare, view.question
        form.index.data = view.index
        try:
            return render_template(template, form=form, view=view, **build(view, choices))
        except DomainError as error:
            failure = error
    page_error = _show_error(form, failure)
    return render_template(template, form=form, view=None, page_error=page_error), 400


@bp.route("/dashboard")
@requires("read")
def overview() -> ResponseReturnValue:
    """Show the start page: NKI, factors, comparison, response rate and latest comments."""
    return _render("dashboard/overview.html", pages.overview)


@bp.route("/dashboard/factors")
@requires("read")
def factors() -> ResponseReturnValue:
    """Show every service factor's trend with its interval."""
    return _render("dashboard/factors.html", pages.factors)


@bp.route("/dashboard/priority")
@requires("read")
def priority() -> ResponseReturnValue:
    """Show the priority matrix."""
    return _render("dashboard/priority.html", pages.priority)


@bp.route("/dashboard/questions")
@requires("read")
def questions() -> ResponseReturnValue:
    """Show the answer distribution of a chosen question."""
    return _render("dashboard/questions.html", pages.questions)


@bp.route("/dashboard/responses")
@requires("read")
def responses() -> ResponseReturnValue:
    """Show the response funnel of a survey (or of all surveys of the battery)."""
    return _render("dashboard/responses.html", pages.responses)


@bp.route("/dashboard/comments")
@requires("read")
def comments() -> ResponseReturnValue:
    """List free-text comments, newest first, with search and filters."""

    def build(view: dashboard.View, choices: dashboard.Choices) -> dict[str, Any]:
        found = dashboard.comment_page(view, limit=COMMENTS_PER_PAGE)
        page = Page(found.items, view.page, COMMENTS_PER_PAGE, found.total)
        return {
            "page": page,
            "suppressed": found.suppressed,
            "min_n": current_app.config["SURVEY_MIN_GROUP_SIZE"],
        }

    return _render("dashboard/comments.html", build)


@bp.route("/dashboard/report")
@requires("read")
def report() -> ResponseReturnValue:
    """Show the printable report of the current view."""
    return _render("dashboard/report.html", pages.report)


@bp.route("/dashboard/data/<chart>.csv")
@requires("read")
def data(chart: str) -> ResponseReturnValue:
    """Download one chart's numbers as CSV (small groups suppressed, as on the page)."""
    return _download(chart, table_csv, f"{chart}-{{battery}}.csv")


@bp.route("/dashboard/data/<chart>-excel.csv")
@requires("read")
def data_excel(chart: str) -> ResponseReturnValue:
    """Download one chart's numbers as CSV for Excel (semicolons, decimal commas)."""
    return _download(chart, table_excel_csv, f"{chart}-{{battery}}-excel.csv")


def _download(chart: str, write: Callable[[Table], str], filename: str) -> ResponseReturnValue:
    """Send the panel's table written by ``write``, with a BOM so spreadsheets read UTF-8."""
    if chart not in pages.CSV_PANELS:
        abort(404)
    try:
        view = dashboard.parse_view(request.args)
        panel = pages.csv_panel(chart, view, dashboard.filter_choices(view.filters.battery))
    except DomainError as error:
        return Response(error.message + "\n", status=400, mimetype="text/plain")
    if panel is None:
        abort(404)
    name = filename.format(battery=view.filters.battery)
    return Response(
        "\ufeff" + write(panel.table),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/static/vendor/plotly.min.js")
def plotly_bundle() -> ResponseReturnValue:
    """Serve plotly's JavaScript from the installed Python package (no CDN)."""
    response = send_file(PLOTLY_JS, mimetype="text/javascript", max_age=365 * 24 * 3600)
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


@bp.app_template_global()
def plotly_version() -> str:
    """Return the plotly version, so the bundle's URL changes when plotly is upgraded."""
    return plotly.__version__


@bp.app_template_filter("dashboard_cell")
def dashboard_cell(value: Any, kind: str = "number") -> str:
    """Format a table cell for reading (see ``panels.display``: indices as whole points)."""
    return display(value, kind)


@bp.app_template_filter("half_up")
def half_up(value: float) -> int:
    """Round an index to a whole number, halves upwards (as the grade bands do)."""
    return round_half_up(value)


@bp.app_template_filter("signed_index")
def signed_index(value: float) -> str:
    """Show a change in whole index points with its sign (+3, −2, 0)."""
    shown = round_half_up(value)
    return f"+{shown}" if shown > 0 else str(shown).replace("-", "−")
