"""Routes that edit a draft's sections and questions; published versions are refused."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from survey.services.batteries import editor
from survey.services.batteries.builder import draft_version
from survey.services.batteries.inputs import SectionInput
from survey.services.errors import DomainError
from survey.web.access import requires
from survey.web.batteries.blueprint import back_to_version, bp, require_action, show_errors
from survey.web.batteries.forms import SectionForm

_VERSION = "/<key>/versions/<id:number>"
_SECTION_FIELDS = ("key", "title_sv", "title_en", "description_sv", "description_en")


def _anchor(key: str, number: int, fragment: str) -> Response:
    return redirect(url_for(".version", key=key, number=number, _anchor=fragment))


@bp.route(_VERSION + "/sections/new", methods=["GET", "POST"], defaults={"section_id": None})
@bp.route(_VERSION + "/sections/<id:section_id>/edit", methods=["GET", "POST"])
@requires("edit")
def section(key: str, number: int, section_id: int | None) -> str | Response:
    """Add a section to a draft, or edit one."""
    try:
        version = draft_version(key, number)
        current = editor.find_section(version, section_id) if section_id else None
    except DomainError as error:
        return back_to_version(key, number, error)
    form = SectionForm(data={n: getattr(current, n) for n in _SECTION_FIELDS} if current else None)
    if form.validate_on_submit():
        data = SectionInput(**{n: form[n].data or "" for n in _SECTION_FIELDS})
        try:
            saved = editor.save_section(key, number, section_id, data)
        except DomainError as error:
            show_errors(form, error)
        else:
            return _anchor(key, number, f"section-{saved.id}")
    return render_template("batteries/section.html", form=form, version=version, section=current)


@bp.route(_VERSION + "/sections/<id:section_id>/<any(up, down):direction>", methods=["POST"])
@requires("edit")
def move_section(key: str, number: int, section_id: int, direction: str) -> Response:
    """Move a section up or down."""
    require_action()
    try:
        editor.move_section(key, number, section_id, direction)
    except DomainError as error:
        return back_to_version(key, number, error)
    return _anchor(key, number, f"section-{section_id}")


@bp.route(_VERSION + "/sections/<id:section_id>/remove", methods=["POST"])
@requires("edit")
def remove_section(key: str, number: int, section_id: int) -> Response:
    """Remove a section with its questions."""
    require_action()
    try:
        editor.remove_section(key, number, section_id)
    except DomainError as error:
        return back_to_version(key, number, error)
    return back_to_version(key, number)


@bp.route(_VERSION + "/questions/<id:question_id>/<any(up, down):direction>", methods=["POST"])
@requires("edit")
def move_question(key: str, number: int, question_id: int, direction: str) -> Response:
    """Move a question up or down within its section."""
    require_action()
    try:
        editor.move_question(key, number, question_id, direction)
    except DomainError as error:
        return back_to_version(key, number, error)
    return _anchor(key, number, f"question-{question_id}")


@bp.route(_VERSION + "/questions/<id:question_id>/remove", methods=["POST"])
@requires("edit")
def remove_question(key: str, number: int, question_id: int) -> Response:
    """Remove a question from a draft."""
    require_action()
    try:
        editor.remove_question(key, number, question_id)
    except DomainError as error:
        return back_to_version(key, number, error)
    return back_to_version(key, number)


def _number_or_none(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


@bp.route(_VERSION + "/questions/<id:question_id>/place", methods=["POST"])
@requires("edit")
def place_question(key: str, number: int, question_id: int) -> Response:
    """Move a question to another section, or before another question (drag and drop)."""
    require_action()
    section_id = _number_or_none(request.form.get("section"))
    before = _number_or_none(request.form.get("before"))
    try:
        if section_id is None:
            raise DomainError(_("Choose the section to move it to."))
        editor.place_question(key, number, question_id, section_id, before)
    except DomainError as error:
        return back_to_version(key, number, error)
    return _anchor(key, number, f"question-{question_id}")


@bp.route(_VERSION + "/sections/<id:section_id>/place", methods=["POST"])
@requires("edit")
def place_section(key: str, number: int, section_id: int) -> Response:
    """Move a section before another one, or last (drag and drop)."""
    require_action()
    try:
        editor.place_section(key, number, section_id, _number_or_none(request.form.get("before")))
    except DomainError as error:
        return back_to_version(key, number, error)
    return _anchor(key, number, f"section-{section_id}")
