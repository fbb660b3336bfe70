"""Company register routes: list, show, create, edit, opt out, delete and CSV import."""

from __future__ import annotations

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response

from survey import sni
from survey.models import Company
from survey.services.errors import DomainError, NotFound
from survey.services.register import companies, company_import, company_page, import_columns
from survey.services.register import import_uploads as uploads
from survey.web.access import requires
from survey.web.companies.forms import CompanyFilterForm, CompanyForm, ImportForm
from survey.web.request_limits import accepts_upload

bp = Blueprint("companies", __name__, url_prefix="/companies")
PREVIEW_ROWS = 10


@bp.app_template_global()
def sni_section_name(letter: str | None) -> str:
    """Return the short industry section name for templates."""
    return sni.section_name(letter)


@bp.app_template_filter("sni")
def sni_code(code: str | None) -> str:
    """Write a stored SNI code as people read it: 47211 -> 47.211."""
    return sni.format_code(code)


@bp.route("/")
@requires("read")
def index() -> str:
    """List companies with search, filters and pages."""
    form = CompanyFilterForm(request.args)
    opted = {"yes": True, "no": False}.get(form.opted_out.data or "")
    page = companies.list_companies(
        query=(form.q.data or "")[:100],
        section=form.section.data or None,
        size_class=form.size.data or None,
        opted_out=opted,
        page=request.args.get("page", 1, type=int),
    )
    return render_template("companies/index.html", form=form, page=page)


@bp.route("/<id:company_id>")
@requires("read")
def show(company_id: int) -> str:
    """Show a company with its visits, surveys and follow-ups."""
    try:
        page = company_page.overview(company_id, with_followups=current_user.can("edit"))
    except NotFound:
        abort(404)
    return render_template("companies/show.html", company=page.company, page=page)


def _company(company_id: int) -> Company:
    try:
        return companies.get_company(company_id)
    except NotFound:
        abort(404)


def _show_errors(form: CompanyForm, error: DomainError) -> None:
    errors = getattr(error, "errors", None) or {error.field or "": error.message}
    for name, message in errors.items():
        target = getattr(form, name, None)
        if target is not None:
            target.errors.append(message)
        else:
            form.form_errors.append(message)


@bp.route("/new", methods=["GET", "POST"])
@requires("edit")
def new() -> str | Response:
    """Register a new company."""
    form = CompanyForm()
    if form.validate_on_submit():
        try:
            company = companies.create_company(form.data, actor_id=current_user.id)
        except DomainError as error:
            _show_errors(form, error)
        else:
            flash(_("The company is registered."), "success")
            return redirect(url_for(".show", company_id=company.id))
    return render_template("companies/form.html", form=form, company=None)


@bp.route("/<id:company_id>/edit", methods=["GET", "POST"])
@requires("edit")
def edit(company_id: int) -> str | Response:
    """Change a company's register entry."""
    company = _company(company_id)
    form = CompanyForm(obj=company)
    if request.method == "GET":
        form.sni_code.data = sni.format_code(company.sni_code)
    if form.validate_on_submit():
        try:
            companies.update_company(company_id, form.data, actor_id=current_user.id)
        except DomainError as error:
            _show_errors(form, error)
        else:
            flash(_("The changes are saved."), "success")
            return redirect(url_for(".show", company_id=company_id))
    return render_template("companies/form.html", form=form, company=company)


@bp.route("/<id:company_id>/opt-out", methods=["POST"])
@requires("edit")
def opt_out(company_id: int) -> Response:
    """Opt a company out of surveys (opted_out=1) or back in (opted_out=0)."""
    _company(company_id)
    opted_out = request.form.get("opted_out") == "1"
    companies.set_opted_out(company_id, opted_out, actor_id=current_user.id)
    message = _("The company is opted out.") if opted_out else _("The company is opted back in.")
    flash(message, "success")
    return redirect(url_for(".show", company_id=company_id))


@bp.route("/<id:company_id>/delete", methods=["GET", "POST"])
@requires("edit")
def delete(company_id: int) -> str | Response:
    """Ask to confirm (GET), then delete a company that has no visits or invitations (POST)."""
    company = _company(company_id)
    if request.method == "GET":
        blocker = companies.deletion_blocker(company_id)
        return render_template("companies/delete.html", company=company, blocker=blocker)
    try:
        companies.delete_company(company_id, actor_id=current_user.id)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for(".show", company_id=company_id))
    flash(_("The company is deleted."), "success")
    return redirect(url_for(".index"))


@bp.route("/import", methods=["GET", "POST"])
@requires("edit")
@accepts_upload
def import_file() -> str:
    """Upload a CSV file and preview what importing it would do."""
    form = ImportForm()
    if form.validate_on_submit():
        data = form.file.data.read()
        try:
            result = company_import.preview(data)
        except DomainError as error:
            form.file.errors.append(error.message)
        else:
            return _preview_page(result, uploads.save_upload(data))
    return render_template("companies/import.html", form=form)


@bp.route("/import/template.csv")
@requires("edit")
def import_template() -> Response:
    """Download an empty company file with the column titles the import knows."""
    return Response(
        import_columns.template_file(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=foretag-mall.csv"},
    )


def _preview_page(result: company_import.ImportPreview, token: str, note: str = "") -> str:
    return render_template(
        "companies/import_preview.html",
        result=result,
        token=token,
        note=note,
        fields=import_columns.FIELD_LABELS,
        shown=result.rows[:PREVIEW_ROWS],
    )


def _posted_mapping() -> tuple[str, ...] | None:
    """Return the fields chosen for the columns (`column-0`, `column-1`, ...), if posted."""
    indices = sorted(int(key[7:]) for key in request.form if re.fullmatch(r"column-\d{1,4}", key))
    if not indices:
        return None
    return tuple(request.form.get(f"column-{index}", "") for index in range(indices[-1] + 1))


@bp.route("/import/<token>", methods=["POST"])
@requires("edit")
def import_confirm(token: str) -> str | Response:
    """Show the preview with the chosen fields, import the good rows, or discard the upload."""
    action, mapping = request.form.get("action"), _posted_mapping()
    previewed = request.form.get("previewed")
    try:
        if action == "discard":
            uploads.discard_upload(token)
            flash(_("The import is cancelled; nothing was written."), "info")
            return redirect(url_for(".import_file"))
        if action != "import" or (mapping is not None and previewed != ",".join(mapping)):
            note = _("Check the rows as they will be saved, then import.") if action else ""
            return _preview_page(uploads.preview_upload(token, mapping), token, note)
        result = uploads.import_upload(token, mapping=mapping, actor_id=current_user.id)
    except uploads.AlreadyImported as error:
        flash(error.message, "info")
        return redirect(url_for(".index"))
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for(".import_file"))
    added = ngettext("%(num)s company added.", "%(num)s companies added.", result.created)
    updated = ngettext("%(num)s company updated.", "%(num)s companies updated.", result.updated)
    flash(f"{added} {updated}", "success")
    return redirect(url_for(".index"))
