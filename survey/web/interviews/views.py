"""Interview mode on a visit: pick a published battery and fill it in for the company."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from survey.forms import build_all_section_forms, submit_all_section_forms
from survey.i18n import current_language
from survey.services.batteries import batteries
from survey.services.errors import DomainError
from survey.services.respondents import interview as interviews
from survey.web.access import requires

bp = Blueprint("interviews", __name__)


@bp.route("/visits/<id:visit_id>/interview")
@requires("edit")
def choose(visit_id: int) -> str | Response:
    """Choose which battery to fill in (the conversation guide is preselected)."""
    visit = interviews.get_visit(visit_id)
    chosen = request.args.get("battery")
    if chosen:
        return redirect(url_for(".fill", visit_id=visit_id, key=chosen))
    versions = interviews.interview_batteries()
    return render_template("interviews/choose.html", visit=visit, versions=versions)


@bp.route("/visits/<id:visit_id>/interview/<key>", methods=["GET", "POST"])
@requires("edit")
def fill(visit_id: int, key: str) -> str | Response:
    """Fill in a battery on the company's behalf; the answers become an interview response."""
    visit = interviews.get_visit(visit_id)
    version = batteries.get_version(key)
    lang = current_language()
    if request.method == "POST":
        forms, answers = submit_all_section_forms(version, language=lang, formdata=request.form)
        if answers is not None:
            try:
                interviews.record_interview(
                    visit_id, key, answers, language=lang, actor_id=current_user.id
                )
            except DomainError as error:
                flash(error.message, "error")
            else:
                flash(_("The answers are saved with the visit."), "success")
                return redirect(_visit_url(visit_id))
    else:
        saved = interviews.saved_answers(visit_id, key)
        forms = build_all_section_forms(version, language=lang, data=saved)
    context = {"visit": visit, "version": version, "forms": forms, "back": _visit_url(visit_id)}
    return render_template("interviews/fill.html", **context)


def _visit_url(visit_id: int) -> str:
    from flask import current_app

    if "visits.show" in current_app.view_functions:
        return url_for("visits.show", visit_id=visit_id)
    return url_for("visits.edit", visit_id=visit_id)
