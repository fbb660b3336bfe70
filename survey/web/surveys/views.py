"""Survey routes for officials (analysts read): list, create, edit, recipients, follow-up."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from survey.services.errors import DomainError, NotFound
from survey.services.organisation import organisation
from survey.services.register import visits
from survey.services.surveys import invitations, progress, surveys
from survey.web.access import requires
from survey.web.surveys.forms import ActionForm, SurveyForm

bp = Blueprint("surveys", __name__, url_prefix="/surveys")
STATUS_LABELS = {
    "queued": _l("Queued"),
    "sent": _l("Sent"),
    "failed": _l("Failed"),
    "unsent": _l("Not sent (survey closed)"),
    "opened": _l("Opened"),
    "started": _l("Started"),
    "submitted": _l("Answered"),
    "opted_out": _l("Opted out"),
}


#: The survey page's figures: how many invitations reached each stage (history, not state).
STAGE_LABELS = {
    "sent": _l("Sent"),
    "opened": _l("Opened"),
    "started": _l("Started"),
    "submitted": _l("Submitted"),
    "opted_out": _l("Opted out of the survey"),
    "failed": _l("Mail failed"),
    "queued": _l("Not sent yet"),
}


@bp.app_template_global()
def stage_label(stage: str) -> str:
    """Return a stage of the survey's figures in the user's language."""
    return str(STAGE_LABELS.get(stage, stage))


@bp.app_template_global()
def status_label(status: str) -> str:
    """Return an invitation status in the user's language."""
    return str(STATUS_LABELS.get(status, status))


def _survey(survey_id: int) -> Any:
    try:
        return surveys.get_survey(survey_id)
    except NotFound:
        abort(404)


def _show_error(form: Any, error: DomainError) -> None:
    target = getattr(form, error.field, None) if error.field else None
    (target.errors if target is not None else form.form_errors).append(error.message)


def _survey_form(survey: Any = None) -> SurveyForm:
    form = SurveyForm(obj=survey)
    if survey is None and not form.is_submitted():
        form.opens_on.data = date.today()
        form.closes_on.data = date.today() + timedelta(days=30)
        form.reminder_days.data = "7, 14"
        form.sender_name.data = organisation.current().sender
    elif survey is not None and not form.is_submitted():
        form.reminder_days.data = ", ".join(str(d) for d in survey.reminder_days or [])
    form.battery_version_id.choices = [
        (v.id, f"{v.battery.key} v{v.number} – {v.title_sv}") for v in surveys.published_versions()
    ]
    form.service_area_id.choices = [("", _("All service areas"))] + [
        (a.id, a.name_sv) for a in visits.service_areas()
    ]
    return form


@bp.route("/")
@requires("read")
def index() -> str:
    """List the surveys."""
    return render_template("surveys/index.html", surveys=surveys.list_surveys())


@bp.route("/new", methods=["GET", "POST"])
@requires("edit")
def new() -> str | Response:
    """Create a survey."""
    form = _survey_form()
    if form.validate_on_submit():
        try:
            data = surveys.SurveyInput(**form.survey_data())
            survey = surveys.create_survey(data, actor_id=current_user.id)
        except DomainError as error:
            _show_error(form, error)
        else:
            flash(_("The survey is created. Now choose its recipients."), "success")
            return redirect(url_for("recipients.choose", survey_id=survey.id))
    return render_template("surveys/form.html", form=form, survey=None)


@bp.route("/<id:survey_id>/edit", methods=["GET", "POST"])
@requires("edit")
def edit(survey_id: int) -> str | Response:
    """Change a survey."""
    survey = _survey(survey_id)
    form = _survey_form(survey)
    if form.validate_on_submit():
        try:
            data = surveys.SurveyInput(**form.survey_data())
            surveys.update_survey(survey_id, data, actor_id=current_user.id)
        except DomainError as error:
            _show_error(form, error)
        else:
            flash(_("The survey is saved."), "success")
            return redirect(url_for(".show", survey_id=survey_id))
    return render_template("surveys/form.html", form=form, survey=survey)


@bp.route("/<id:survey_id>")
@requires("read")
def show(survey_id: int) -> str:
    """Show a survey's follow-up: counts, response rate, every invitation's status."""
    survey = _survey(survey_id)
    followup = progress.followup(survey_id)
    return render_template(
        "surveys/show.html",
        survey=survey,
        followup=followup,
        action=ActionForm(),
        closed=surveys.is_closed(survey),
    )


@bp.route(
    "/<id:survey_id>/invitations/<id:invitation_id>/<any(remind, resend):what>", methods=["POST"]
)
@requires("edit")
def mail_one(survey_id: int, invitation_id: int, what: str) -> Response:
    """Queue a reminder, or resend the invitation with a new link, to one company."""
    if ActionForm().validate_on_submit():
        action = invitations.remind_now if what == "remind" else invitations.resend
        try:
            action(invitation_id, survey_id, actor_id=current_user.id)
        except NotFound:
            abort(404)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(
                _("The mail is queued.") if what == "remind" else _("A new link is queued."),
                "success",
            )
    return redirect(url_for(".show", survey_id=survey_id))


@bp.route("/<id:survey_id>/invitations/<id:invitation_id>/resend", methods=["GET"])
@requires("edit")
def confirm_resend(survey_id: int, invitation_id: int) -> str:
    """Ask before sending a new link: the old one stops working."""
    survey = _survey(survey_id)
    try:
        invitation = invitations.get_invitation(invitation_id, survey_id)
    except NotFound:
        abort(404)
    company = invitation.company.name
    return render_template(
        "surveys/confirm.html",
        survey=survey,
        title=_("Resend the invitation to %(company)s?", company=company),
        explanation=[
            _("%(company)s gets a new mail with a new personal link.", company=company),
            _("The old link stops working at once, also in the mail already sent; answers "
              "saved so far are kept."),
        ],  # fmt: skip
        button=_("Send a new link"),
        action=url_for(".mail_one", survey_id=survey_id, invitation_id=invitation_id,
                       what="resend"),
    )  # fmt: skip


@bp.route("/<id:survey_id>/close", methods=["GET", "POST"])
@requires("edit")
def close(survey_id: int) -> str | Response:
    """Close a survey now, after a confirmation: answering ends, links stop working."""
    survey = _survey(survey_id)
    if ActionForm().validate_on_submit():
        try:
            surveys.close_now(survey_id, actor_id=current_user.id)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_("The survey is closed. Companies that open their link are told so."), "success")
        return redirect(url_for(".show", survey_id=survey_id))
    return render_template(
        "surveys/confirm.html",
        survey=survey,
        title=_("Close the survey now?"),
        explanation=[
            _(
                "No one can answer after this: each company that opens its link is told that "
                "the survey has closed, and reminders and invitations not yet sent are not sent."
            ),
            _("Answers already submitted are kept."),
        ],  # fmt: skip
        button=_("Close the survey now"),
        action=url_for(".close", survey_id=survey_id),
    )
