"""Choosing a survey's recipients: search and tick, paste or upload a list, or a rule; then a
preview of who is invited and who is excluded (and why), then the confirmation.

Every step is a server-rendered form, so it works without JavaScript: the search is a GET
form, the ticks and the list are posted to a preview, and the preview's confirm button posts
what was shown (the picked companies' ids, or the rule).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response

from survey import sni
from survey.services.errors import DomainError, NotFound
from survey.services.register import companies, visits
from survey.services.surveys import recipient_lists, recipients, surveys
from survey.web.access import requires
from survey.web.surveys.forms import (
    ConfirmRecipientsForm,
    OrgNumberListForm,
    PickForm,
    RecipientForm,
    SearchForm,
)

bp = Blueprint("recipients", __name__, url_prefix="/surveys")


def _survey(survey_id: int) -> Any:
    try:
        return surveys.get_survey(survey_id)
    except NotFound:
        abort(404)


def _rule_form() -> RecipientForm:
    form = RecipientForm()
    form.service_area_id.choices = [("", "–")] + [(a.id, a.name_sv) for a in visits.service_areas()]
    form.sni_section.choices = [("", "–")] + [
        (s.letter, f"{s.letter} – {s.name_sv}") for s in sni.SECTIONS
    ]
    return form


def _rule(form: RecipientForm) -> recipients.RecipientFilter:
    return recipients.RecipientFilter(**{k: v for k, v in form.data.items() if k != "csrf_token"})


def _choose_page(survey: Any, **forms: Any) -> str:
    """Render the choosing page with the given forms (fresh ones for the others)."""
    search = SearchForm(request.args)
    query = (search.q.data or "").strip() if search.validate() else ""
    page = request.args.get("page", 1, type=int)
    found = companies.list_companies(query=query, page=page) if query else None
    context = {
        "survey": survey,
        "search": search,
        "found": found,
        "invited": recipients.invited_company_ids(survey.id) if query else set(),
        "pick": forms.get("pick") or PickForm(formdata=None),
        "listing": forms.get("listing") or OrgNumberListForm(formdata=None),
        "form": forms.get("rule") or _rule_form(),
    }
    return render_template("surveys/recipients.html", **context)


def _preview_page(survey: Any, preview: recipients.Preview, **context: Any) -> str:
    confirm = ConfirmRecipientsForm(formdata=None)
    return render_template(
        "surveys/recipients_preview.html", survey=survey, preview=preview, confirm=confirm,
        **context,
    )  # fmt: skip


def _show_error(form: Any, error: DomainError) -> None:
    target = getattr(form, error.field, None) if error.field else None
    if target is None:
        form.form_errors.append(error.message)
    else:  # a field of a form not validated (the confirm's rule) holds an empty tuple
        target.errors = [*target.errors, error.message]


@bp.route("/<id:survey_id>/recipients", methods=["GET", "POST"])
@requires("edit")
def choose(survey_id: int) -> str:
    """Show the ways to choose recipients; a posted rule shows its preview."""
    survey = _survey(survey_id)
    form = _rule_form()
    if form.validate_on_submit():
        try:
            preview = recipients.preview(survey_id, _rule(form))
        except DomainError as error:
            _show_error(form, error)
        else:
            return _preview_page(survey, preview, rule=form)
    return _choose_page(survey, rule=form)


@bp.route("/<id:survey_id>/recipients/picked", methods=["POST"])
@requires("edit")
def pick(survey_id: int) -> str:
    """Preview the companies ticked in the search results."""
    survey = _survey(survey_id)
    form = PickForm()
    if form.validate_on_submit():
        try:
            preview = recipients.preview(survey_id, recipients.Picked(form.company_ids()))
        except DomainError as error:
            _show_error(form, error)
        else:
            return _preview_page(survey, preview)
    return _choose_page(survey, pick=form)


@bp.route("/<id:survey_id>/recipients/list", methods=["POST"])
@requires("edit")
def upload(survey_id: int) -> str:
    """Preview the companies of a pasted or uploaded list of organisation numbers."""
    survey = _survey(survey_id)
    form = OrgNumberListForm()
    if form.validate_on_submit():
        numbers = recipient_lists.parse(form.text())
        company_ids, unknown = recipient_lists.resolve(numbers)
        problems = sorted(numbers.problems + unknown, key=lambda p: p.line)
        try:
            preview = recipients.preview(survey_id, recipients.Picked(tuple(company_ids)))
        except DomainError as error:
            _show_error(form, error)
        else:
            return _preview_page(survey, preview, problems=problems)
    return _choose_page(survey, listing=form)


@bp.route("/<id:survey_id>/recipients/confirm", methods=["POST"])
@requires("edit")
def confirm(survey_id: int) -> str | Response:
    """Invite the previewed companies (a rule is applied again) and say how it went."""
    survey = _survey(survey_id)
    form, rule = ConfirmRecipientsForm(), _rule_form()
    if not form.validate_on_submit():
        return redirect(url_for(".choose", survey_id=survey_id))
    selection = recipients.Picked(form.ids()) if form.company_ids.data else _rule(rule)
    try:
        result = recipients.invite_recipients(survey_id, selection, actor_id=current_user.id)
    except DomainError as error:
        _show_error(rule, error)
        return _choose_page(survey, rule=rule)
    skipped = sum(result.skipped.values())
    message = ngettext("%(num)s company invited.", "%(num)s companies invited.", result.invited) + (
        " " + ngettext("%(num)s skipped.", "%(num)s skipped.", skipped) if skipped else ""
    )
    flash(message, "success")
    return redirect(url_for("surveys.show", survey_id=survey_id))
