"""Follow-up routes: the list with filters, one follow-up with its actions, a new one by hand."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from survey.models import FollowUp
from survey.services.errors import DomainError, NotFound
from survey.services.followups import followups
from survey.services.register import companies, visits
from survey.web.access import requires
from survey.web.followups.forms import (
    SOURCE_LABELS,
    STATUS_LABELS,
    AssignForm,
    CloseForm,
    ContactedForm,
    FollowUpFilterForm,
    FollowUpForm,
)
from survey.web.ids import parse_id

bp = Blueprint("followups", __name__)


@bp.app_context_processor
def _labels() -> dict:
    return {"followup_status": STATUS_LABELS, "followup_source": SOURCE_LABELS}


def _attach(form: FlaskForm, error: DomainError) -> None:
    target = getattr(form, error.field or "", None)
    (target.errors if target is not None else form.form_errors).append(error.message)


@bp.route("/followups/")
@requires("edit")
def index() -> str:
    """List follow-ups: everyone's or mine, open or closed, overdue only, by service area."""
    form = FollowUpFilterForm(request.args)
    form.set_choices(visits.service_areas())
    form.validate()
    criteria = followups.FollowUpFilter(
        owner_id=current_user.id if form.whose.data == "mine" else None,
        overdue=bool(form.overdue.data),
        service_area_id=form.area.data if isinstance(form.area.data, int) else None,
        status=form.status.data if form.status.data in ("open", "closed", "all") else "open",
    )
    page = followups.list_followups(criteria, page=request.args.get("page", 1, type=int))
    return render_template(
        "followups/index.html", form=form, page=page, today=followups.local_today()
    )


@bp.route("/companies/<id:company_id>/followups/new", methods=["GET", "POST"])
@requires("edit")
def new(company_id: int) -> str | Response:
    """Make a follow-up by hand (a company called), or from one of its visits (?visit=N)."""
    try:
        company = companies.get_company(company_id)
    except NotFound:
        abort(404)
    visit_id = parse_id(request.args.get("visit", ""))
    visit = next((v for v in company.visits if v.id == visit_id), None)
    form = FollowUpForm()
    form.set_choices(followups.officials(), visits.service_areas())
    if request.method == "GET":
        form.owner.data = current_user.id
        form.due_on.data = followups.due_date()
        form.service_area.data = visit.service_area_id if visit is not None else None
    if form.validate_on_submit():
        data = followups.FollowUpInput(
            topic=form.topic.data or "",
            contact_phone=form.phone.data or "",
            contact_email=form.email.data or "",
            owner_id=form.owner.data,
            due_on=form.due_on.data,
            service_area_id=form.service_area.data,
            visit_id=visit.id if visit is not None else None,
        )
        try:
            followup = followups.create_followup(company_id, data, actor_id=current_user.id)
        except DomainError as error:
            _attach(form, error)
        else:
            flash(_("The follow-up is created."), "success")
            return redirect(url_for(".show", followup_id=followup.id))
    return render_template("followups/form.html", form=form, company=company, visit=visit)


def _followup(followup_id: int) -> FollowUp:
    try:
        return followups.get_followup(followup_id)
    except NotFound:
        abort(404)


def _page(followup: FollowUp, **forms: FlaskForm) -> str:
    assign = forms.get("assign") or AssignForm(
        data={"owner": followup.owner_id, "due_on": followup.due_on}
    )
    assign.set_choices(followups.officials())
    return render_template(
        "followups/show.html",
        followup=followup,
        overdue=followups.is_overdue(followup),
        assign=assign,
        contacted=ContactedForm(),
        close=forms.get("close") or CloseForm(),
    )


@bp.route("/followups/<id:followup_id>")
@requires("edit")
def show(followup_id: int) -> str:
    """Show a follow-up: the company, what it asked for, its owner, due date and status."""
    return _page(_followup(followup_id))


@bp.route("/followups/<id:followup_id>/assign", methods=["POST"])
@requires("edit")
def assign(followup_id: int) -> str | Response:
    """Give the follow-up an owner (and perhaps a new due date)."""
    followup = _followup(followup_id)
    form = AssignForm()
    form.set_choices(followups.officials())
    if form.validate_on_submit():
        try:
            followups.assign(
                followup_id, form.owner.data, due_on=form.due_on.data, actor_id=current_user.id
            )
        except DomainError as error:
            _attach(form, error)
        else:
            flash(_("The follow-up is assigned."), "success")
            return redirect(url_for(".show", followup_id=followup_id))
    return _page(followup, assign=form)


@bp.route("/followups/<id:followup_id>/contacted", methods=["POST"])
@requires("edit")
def contacted(followup_id: int) -> Response:
    """Mark the company contacted."""
    _followup(followup_id)
    if ContactedForm().validate_on_submit():
        try:
            followups.mark_contacted(followup_id, actor_id=current_user.id)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_("The company is marked as contacted."), "success")
    return redirect(url_for(".show", followup_id=followup_id))


@bp.route("/followups/<id:followup_id>/close", methods=["POST"])
@requires("edit")
def close(followup_id: int) -> str | Response:
    """Close the follow-up with a note on how it ended."""
    followup = _followup(followup_id)
    form = CloseForm()
    if form.validate_on_submit():
        try:
            followups.close(followup_id, form.note.data or "", actor_id=current_user.id)
        except DomainError as error:
            _attach(form, error)
        else:
            flash(_("The follow-up is closed."), "success")
            return redirect(url_for(".show", followup_id=followup_id))
    return _page(followup, close=form)
