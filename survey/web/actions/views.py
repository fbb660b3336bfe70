"""Action plan routes: list, create (also from the dashboard, with the index chosen), show, edit."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from survey.services.dashboards import action_effect, dashboard
from survey.services.errors import DomainError, NotFound
from survey.services.followups import actions
from survey.services.followups.actions import ActionInput
from survey.services.register import visits
from survey.web.access import requires
from survey.web.actions.forms import ActionFilterForm, ActionForm, status_name
from survey.web.dashboard.panels import factor_name

bp = Blueprint("actions", __name__)


@bp.route("/actions/")
@requires("read")
def index() -> ResponseReturnValue:
    """List the actions, latest start first, by status and owner."""
    form = ActionFilterForm(request.args)
    form.set_choices(actions.owners())
    valid = form.validate()
    page = actions.list_actions(
        status=form.status.data if valid else None,
        owner_id=form.owner.data if valid else None,
        page=request.args.get("page", 1, type=int),
    )
    return render_template("actions/index.html", form=form, page=page)


def _form(owner_id: int | None = None, area_id: int | None = None) -> ActionForm:
    form = ActionForm()
    form.set_choices(
        actions.batteries_with_indices(),
        visits.service_areas(include_id=area_id),
        actions.owners(include_id=owner_id),
    )
    return form


def _input(form: ActionForm) -> ActionInput:
    return ActionInput(
        title=form.title.data or "",
        description=form.description.data or "",
        battery=form.battery.data or "",
        factor=form.factor.data or "",
        service_area_id=form.service_area.data or None,
        owner_id=form.owner.data,
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data,
        status=form.status.data or "",
    )


def _prefill(form: ActionForm) -> None:
    """Fill a new action from the link it came from: battery, index and area of the view."""
    form.battery.data = request.args.get("battery") or dashboard.default_battery()
    form.factor.data = request.args.get("factor")
    area = request.args.get("area")
    form.service_area.data = next((a.id for a in visits.service_areas() if a.key == area), 0)
    form.owner.data = current_user.id
    form.status.data = "planned"


def _save(form: ActionForm, action_id: int | None) -> int | None:
    """Create or change the action; on a refused value put the error beside its field."""
    try:
        if action_id is None:
            return actions.create_action(_input(form), actor_id=current_user.id).id
        return actions.update_action(action_id, _input(form), actor_id=current_user.id).id
    except DomainError as error:
        target = getattr(form, error.field or "", None)
        (target.errors if target is not None else form.form_errors).append(error.message)
        return None


@bp.route("/actions/new", methods=["GET", "POST"])
@requires("edit")
def new() -> ResponseReturnValue:
    """Create an action (the dashboard's links choose the battery, index and area)."""
    form = _form()
    if request.method == "GET":
        _prefill(form)
    if form.validate_on_submit() and (saved := _save(form, None)) is not None:
        flash(_("The action is saved."), "success")
        return redirect(url_for("actions.show", action_id=saved))
    return render_template("actions/form.html", form=form, action=None)


@bp.route("/actions/<id:action_id>/edit", methods=["GET", "POST"])
@requires("edit")
def edit(action_id: int) -> ResponseReturnValue:
    """Change an action."""
    action = _found(action_id)
    form = _form(action.owner_id, action.service_area_id)
    if request.method == "GET":
        form.process(data=_values(action))
    if form.validate_on_submit() and _save(form, action_id) is not None:
        flash(_("The action is saved."), "success")
        return redirect(url_for("actions.show", action_id=action_id))
    return render_template("actions/form.html", form=form, action=action)


@bp.route("/actions/<id:action_id>")
@requires("read")
def show(action_id: int) -> ResponseReturnValue:
    """Show an action with its index before and after it."""
    action = _found(action_id)
    return render_template("actions/show.html", action=action, effect=action_effect.effect(action))


def _found(action_id: int) -> Any:
    try:
        return actions.get_action(action_id)
    except NotFound:
        abort(404)


def _values(action: Any) -> dict[str, Any]:
    values = actions.input_of(action)
    return {
        "title": values.title,
        "description": values.description,
        "battery": values.battery,
        "factor": values.factor,
        "service_area": values.service_area_id or 0,
        "owner": values.owner_id,
        "starts_on": values.starts_on,
        "ends_on": values.ends_on,
        "status": values.status,
    }


@bp.app_template_global()
def factor_label(role: str) -> str:
    """Return an index's display name (a service factor's, or NKI)."""
    return factor_name(role)


@bp.app_template_global()
def action_status(status: str) -> str:
    """Return an action status's display name (planerad, pågår, avslutad)."""
    return status_name(status)
