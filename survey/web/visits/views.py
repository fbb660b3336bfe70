"""Visit routes: record a visit from the company page, edit it, list visits."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from survey.services.errors import DomainError, NotFound
from survey.services.register import companies, visits
from survey.services.surveys.invitations import local_today
from survey.web.access import requires
from survey.web.visits.forms import CompanySearchForm, VisitFilterForm, VisitForm

bp = Blueprint("visits", __name__)


@bp.route("/visits/")
@requires("read")
def index() -> str:
    """List visits by period, official and service area."""
    form = VisitFilterForm(request.args)
    form.set_choices(visits.active_officials(), visits.service_areas())
    valid = form.validate()
    page = visits.list_visits(
        date_from=form.date_from.data if valid else None,
        date_to=form.date_to.data if valid else None,
        official_id=form.official.data or None,
        service_area_id=form.area.data or None,
        page=request.args.get("page", 1, type=int),
    )
    return render_template("visits/index.html", form=form, page=page)


@bp.route("/visits/start")
@requires("edit")
def start() -> str:
    """Choose the company of a new visit by name or organisation number."""
    form = CompanySearchForm(request.args)
    query = (form.q.data or "").strip()[:100]
    found = companies.list_companies(query=query) if query else None
    return render_template("visits/start.html", form=form, found=found)


def _attach(form: VisitForm, error: DomainError) -> None:
    target = getattr(form, error.field or "", None)
    (target.errors if target is not None else form.form_errors).append(error.message)


def _fields(form: VisitForm) -> dict:
    return {
        "visit_date": form.visit_date.data,
        "official_ids": form.officials.data or [],
        "service_area_id": form.service_area.data,
        "notes": form.notes.data or "",
        "actor_id": current_user.id,
    }


@bp.route("/companies/<id:company_id>/visits/new", methods=["GET", "POST"])
@requires("edit")
def new(company_id: int) -> str | Response:
    """Record a visit to a company."""
    try:
        company = companies.get_company(company_id)
    except NotFound:
        abort(404)
    form = VisitForm()
    form.set_choices(visits.visiting_officials(), visits.service_areas())
    if request.method == "GET":
        form.visit_date.data = local_today()
        if current_user.role == visits.VISITING_ROLE:
            form.officials.data = [current_user.id]
    if form.validate_on_submit():
        try:
            visits.record_visit(company_id, **_fields(form))
        except DomainError as error:
            _attach(form, error)
        else:
            flash(_("The visit is recorded."), "success")
            return redirect(url_for("companies.show", company_id=company_id))
    return render_template("visits/form.html", form=form, company=company, visit=None)


@bp.route("/visits/<id:visit_id>/edit", methods=["GET", "POST"])
@requires("edit")
def edit(visit_id: int) -> str | Response:
    """Change a recorded visit."""
    try:
        visit = visits.get_visit(visit_id)
    except NotFound:
        abort(404)
    form = VisitForm(obj=visit)
    if request.method == "GET":
        form.officials.data = [user.id for user in visit.officials]
        form.service_area.data = visit.service_area_id
    officials = {user.id: user for user in [*visits.visiting_officials(), *visit.officials]}
    areas = visits.service_areas(include_id=visit.service_area_id)
    form.set_choices(sorted(officials.values(), key=lambda user: user.name), areas)
    if form.validate_on_submit():
        try:
            visits.update_visit(visit_id, **_fields(form))
        except DomainError as error:
            _attach(form, error)
        else:
            flash(_("The visit is saved."), "success")
            return redirect(url_for("companies.show", company_id=visit.company_id))
    return render_template("visits/form.html", form=form, company=visit.company, visit=visit)
