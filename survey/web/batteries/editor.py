"""Routes that edit a draft's sections and questions; published versions are refused."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from survey.services import battery_editor as editor
from survey.services.battery_builder import draft_version
from survey.services.battery_inputs import QuestionInput, SectionInput, question_input
from survey.services.battery_mapping import question_definition
from survey.services.errors import DomainError
from survey.web.access import requires
from survey.web.batteries.blueprint import back_to_version, bp, require_action, show_errors
from survey.web.batteries.forms import QuestionForm, SectionForm

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


@bp.route(
    _VERSION + "/sections/<id:section_id>/questions/new",
    methods=["GET", "POST"],
    defaults={"question_id": None},
)
@bp.route(
    _VERSION + "/sections/<id:section_id>/questions/<id:question_id>/edit",
    methods=["GET", "POST"],
)
@requires("edit")
def question(key: str, number: int, section_id: int, question_id: int | None) -> str | Response:
    """Add a question of any type to a draft's section, or edit one."""
    try:
        version = draft_version(key, number)
        current = editor.find_section(version, section_id)
        existing = editor.find_question(version, question_id) if question_id else None
    except DomainError as error:
        return back_to_version(key, number, error)
    initial = question_input(question_definition(existing)).__dict__ if existing else None
    form = QuestionForm(data=initial or {"type": request.args.get("type", "scale")})
    if form.validate_on_submit():
        data = QuestionInput(**{n: form[n].data for n in QuestionInput.__dataclass_fields__})
        try:
            saved = editor.save_question(key, number, section_id, question_id, data)
        except DomainError as error:
            show_errors(form, error)
        else:
            return _anchor(key, number, f"question-{saved.id}")
    context = {"version": version, "section": current, "question": existing}
    return render_template("batteries/question.html", form=form, **context)


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
