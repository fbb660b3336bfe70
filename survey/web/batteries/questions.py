"""The question editor: only the fields of the question's type, rows of options and matrix
statements, conditions from lists, and a live preview beside the fields.

Every button works without JavaScript (a row action re-shows the form, nothing is saved
until "Spara"); static/js/builder.js only adds the preview as you type and submits the
type and condition lists when they change.
"""

from __future__ import annotations

import dataclasses

from flask import flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from survey.forms import build_section_form
from survey.questionnaires import model as spec
from survey.services.batteries import editor
from survey.services.batteries.builder import draft_version
from survey.services.batteries.conditions import Target, targets_before
from survey.services.batteries.drafts import (
    MATRIX,
    ItemRow,
    OptionRow,
    QuestionDraft,
    draft_of,
    question_block,
)
from survey.services.batteries.library import add_from_library, shelves
from survey.services.batteries.mapping import question_definition, version_definition
from survey.services.batteries.validation import InvalidDraft
from survey.services.errors import DomainError
from survey.web.access import requires
from survey.web.batteries.blueprint import ActionForm, back_to_version, bp
from survey.web.batteries.forms import (
    INDEX_LABELS,
    TYPE_HINTS,
    TYPE_LABELS,
    QuestionForm,
    index_choices,
)

_QUESTION = "/<key>/versions/<id:number>/sections/<id:section_id>/questions"
_ROWS = {"option": "options", "item": "items"}


def draft_from(form: QuestionForm) -> QuestionDraft:
    """Return what the editor holds as a QuestionDraft."""
    plain = {
        name: (form[name].data or "")
        for name in (
            "type key matrix_key text_sv text_en help_sv help_en scale_min scale_max "
            "min_label_sv min_label_en max_label_sv max_label_en index_role weight number_min "
            "number_max max_length show_if_question contact"
        ).split()
    }
    flags = {
        n: bool(form[n].data) for n in ("required", "dont_know", "number_integer", "service_area")
    }
    options = tuple(
        OptionRow(
            key=row.key.data or "",
            sv=row.label_sv.data or "",
            en=row.label_en.data or "",
            exclusive=bool(row.exclusive.data),
        )
        for row in form.options
    )
    items = tuple(
        ItemRow(
            key=row.key.data or "",
            sv=row.text_sv.data or "",
            en=row.text_en.data or "",
            index=row.index_role.data or "",
            weight=row.weight.data or "",
            required=bool(row.required.data),
        )
        for row in form.items
    )
    values = tuple(form.show_if_values.data or ())
    return QuestionDraft(**plain, **flags, options=options, items=items, show_if_values=values)


def form_data(draft: QuestionDraft) -> dict[str, object]:
    """Return a QuestionDraft as the editor form's data (rows padded to two)."""
    data = dataclasses.asdict(draft)
    options = [
        {"key": o.key, "label_sv": o.sv, "label_en": o.en, "exclusive": o.exclusive}
        for o in draft.options
    ]
    items = [
        {
            "key": i.key,
            "text_sv": i.sv,
            "text_en": i.en,
            "index_role": i.index,
            "weight": i.weight,
            "required": i.required,
        }
        for i in draft.items
    ]
    minimum = 3 if not draft.key and not draft.matrix_key else 2
    if draft.type in spec.CHOICE_TYPES:
        options += [{}] * (minimum - len(options))
    if draft.type == MATRIX:
        items += [{}] * (minimum - len(items))
    data.update(options=options, items=items, show_if_values=list(draft.show_if_values))
    return data


def _row_action(draft: QuestionDraft, action: str) -> QuestionDraft:
    """Apply a row button (add, up, down, remove) to the options or statements."""
    kind, _sep, rest = action.partition("-")
    name = _ROWS.get(kind)
    if name is None:
        return draft
    rows = list(getattr(draft, name))
    verb, _sep, number = rest.partition("-")
    index = int(number) if number.isdigit() else -1
    if verb == "add":
        rows.append(OptionRow() if name == "options" else ItemRow())
    elif verb == "remove" and 0 <= index < len(rows):
        rows.pop(index)
    elif verb in ("up", "down") and 0 <= index < len(rows):
        other = index - 1 if verb == "up" else index + 1
        if 0 <= other < len(rows):
            rows[index], rows[other] = rows[other], rows[index]
    return dataclasses.replace(draft, **{name: tuple(rows)})


def _errors(form: QuestionForm, error: DomainError) -> dict[str, list[str]]:
    """Put each problem beside its field, also inside option and statement rows.

    Returns the problems of the option and statement lists as a whole, by list name.
    """
    problems = error.problems if isinstance(error, InvalidDraft) else {"": [error.message]}
    lists: dict[str, list[str]] = {}
    for name, messages in problems.items():
        target = None
        if name in _ROWS.values():
            lists[name] = messages
            continue
        parts = name.split("-")
        if len(parts) == 3 and parts[0] in ("options", "items") and parts[1].isdigit():
            rows = form[parts[0]]
            if int(parts[1]) < len(rows.entries):
                row = rows.entries[int(parts[1])].form
                target = row[parts[2]] if parts[2] in row else None
        elif name in form:
            target = form[name]
        if target is None:
            form.form_errors.append(" ".join(messages))
        else:
            target.errors = [*list(target.errors or []), *messages]
    return lists


def _prepare(form: QuestionForm, targets: list[Target]) -> Target | None:
    """Fill the condition lists: earlier questions, and the chosen one's answers."""
    choices = [("", _("Always show"))] + [(t.key, t.text) for t in targets]
    form.show_if_question.choices = choices
    chosen = next((t for t in targets if t.key == form.show_if_question.data), None)
    form.show_if_values.choices = list(chosen.answers) if chosen else []
    form.index_role.choices = index_choices(form.index_role.data or "")
    for row in form.items:
        row.form.index_role.choices = index_choices(row.form.index_role.data or "")
    return chosen


@bp.route(_QUESTION + "/new", methods=["GET", "POST"], defaults={"question_id": None})
@bp.route(_QUESTION + "/<id:question_id>/edit", methods=["GET", "POST"])
@requires("edit")
def question(key: str, number: int, section_id: int, question_id: int | None) -> str | Response:
    """Add a question (or a matrix) to a draft's section, or edit one."""
    try:
        version = draft_version(key, number)
        section = editor.find_section(version, section_id)
        block = editor.block_of(editor.find_question(version, question_id)) if question_id else []
    except DomainError as error:
        return back_to_version(key, number, error)
    kind = request.values.get("type", "")
    if not block and request.method == "GET" and kind not in TYPE_LABELS:
        return render_template(
            "batteries/question_type.html",
            version=version,
            section=section,
            labels=TYPE_LABELS,
            hints=TYPE_HINTS,
        )
    action = request.form.get("action", "save")
    row_errors: dict[str, list[str]] = {}
    if request.method == "GET":
        draft = (
            draft_of([question_definition(q) for q in block]) if block else QuestionDraft(type=kind)
        )
        form = QuestionForm(formdata=None, data=form_data(draft))
    else:
        form = QuestionForm()
        form.show_if_values.choices = [(v, v) for v in request.form.getlist("show_if_values")]
        if action != "save" and form.validate_on_submit():
            draft = _row_action(draft_from(form), action)
            form = QuestionForm(formdata=None, data=form_data(draft))
        elif form.validate_on_submit():
            try:
                saved = editor.save_block(key, number, section_id, question_id, draft_from(form))
            except DomainError as error:
                row_errors = _errors(form, error)
            else:
                return redirect(
                    url_for(".version", key=key, number=number, _anchor=f"question-{saved.id}")
                )
    first_key = block[0].key if block else None
    targets = targets_before(version_definition(version), section.key, first_key)
    _prepare(form, targets)
    context = {
        "version": version,
        "section": section,
        "block": block,
        "labels": TYPE_LABELS,
        "targets": targets,
        "row_errors": row_errors,
    }
    return render_template(
        "batteries/question.html", form=form, preview=preview_of(draft_from(form)), **context
    )


@bp.route(_QUESTION + "/preview", methods=["POST"])
@requires("edit")
def question_preview(key: str, number: int, section_id: int) -> str:
    """Return the preview of the question being edited, in Swedish and English (a partial)."""
    form = QuestionForm()
    form.show_if_values.choices = [(v, v) for v in request.form.getlist("show_if_values")]
    form.validate_on_submit()
    return render_template("batteries/_question_preview.html", preview=preview_of(draft_from(form)))


def preview_of(draft: QuestionDraft) -> list[tuple[str, object]] | None:
    """Return (language, section form) of the question as companies see it, or None if unready."""
    try:
        questions = question_block(
            dataclasses.replace(draft, show_if_question=""), taken=set(), matrices=set()
        )
    except InvalidDraft:
        return None
    section = spec.Section(key="preview", title=spec.Text(sv=""), questions=tuple(questions))
    battery = spec.Battery(key="preview", title=spec.Text(sv=""), sections=(section,))
    forms = []
    for language in ("sv", "en"):
        with force_locale(language):
            form = build_section_form(
                battery, "preview", language=language, csrf=False, prefix=f"preview-{language}-"
            )
        forms.append((language, form))
    return forms


@bp.route(_QUESTION + "/library", methods=["GET", "POST"])
@requires("edit")
def library(key: str, number: int, section_id: int) -> str | Response:
    """Add questions from published batteries (keys and index roles kept)."""
    try:
        version = draft_version(key, number)
        section = editor.find_section(version, section_id)
    except DomainError as error:
        return back_to_version(key, number, error)
    form = ActionForm()
    error_message = None
    if form.validate_on_submit():
        try:
            skipped = add_from_library(key, number, section_id, request.form.getlist("picks"))
        except DomainError as error:
            error_message = error.message
        else:
            if skipped:
                flash(
                    _(
                        "Already in the battery, so not added again: %(keys)s",
                        keys=", ".join(skipped),
                    )
                )
            return redirect(
                url_for(".version", key=key, number=number, _anchor=f"section-{section_id}")
            )
    return render_template(
        "batteries/library.html",
        version=version,
        section=section,
        shelves=shelves(exclude=key),
        form=form,
        error=error_message,
        index_labels=INDEX_LABELS,
    )
