"""Company register routes: list, show, create, edit, opt out, delete and CSV import."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from survey import sni
from survey.models import Company
from survey.services import companies, company_import, company_page
from survey.services.errors import DomainError, NotFound
from survey.web.access import requires
from survey.web.companies.forms import CompanyFilterForm, CompanyForm, ImportForm
from survey.web.request_limits import accepts_upload

bp = Blueprint("companies", __name__, url_prefix="/companies")


@bp.app_template_global()
def sni_section_name(letter: str | None) -> str:
    """Return the short industry section name for templates."""
    return sni.section_name(letter)


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


@bp.route("/<id:company_id>/delete", methods=["POST"])
@requires("edit")
def delete(company_id: int) -> Response:
    """Delete a company that has no visits or invitations."""
    _company(company_id)
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
            token = company_import.save_upload(data) if result.rows else None
            return render_template("companies/import_preview.html", result=result, token=token)
    return render_template("companies/import.html", form=form)


@bp.route("/import/<token>", methods=["POST"])
@requires("edit")
def import_confirm(token: str) -> Response:
    """Import the good rows of a previewed upload, or discard it."""
    try:
        if request.form.get("action") == "discard":
            company_import.discard_upload(token)
            flash(_("The import is cancelled; nothing was written."), "info")
            return redirect(url_for(".import_file"))
        result = company_import.import_upload(token, actor_id=current_user.id)
    except company_import.AlreadyImported as error:
        flash(error.message, "info")
        return redirect(url_for(".index"))
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for(".import_file"))
    flash(
        _(
            "%(created)s companies added, %(updated)s updated.",
            created=result.created,
            updated=result.updated,
        ),
        "success",
    )
    return redirect(url_for(".index"))
