"""Battery list, battery and version pages, creating, publishing, drafts, copies, archive."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from survey.forms import build_all_section_forms, submit_all_section_forms
from survey.models import BatteryVersion
from survey.services.batteries import batteries, builder, editor
from survey.services.batteries.conditions import describe
from survey.services.batteries.diff import breaches, diff
from survey.services.batteries.inputs import TextsInput
from survey.services.batteries.mapping import version_definition
from survey.services.errors import DomainError
from survey.web.access import requires
from survey.web.batteries.blueprint import (
    ActionForm,
    back_to_version,
    bp,
    require_action,
    show_errors,
)
from survey.web.batteries.forms import (
    INDEX_LABELS,
    TYPE_LABELS,
    CreateForm,
    DuplicateForm,
    PublishForm,
    TextsForm,
)


def _texts(form: TextsForm) -> TextsInput:
    return TextsInput(
        form.title_sv.data or "",
        form.title_en.data or "",
        form.intro_sv.data or "",
        form.intro_en.data or "",
    )


@bp.route("/")
@requires("read")
def index() -> str:
    """List every battery."""
    return render_template("batteries/index.html", rows=builder.list_batteries())


@bp.route("/new", methods=["GET", "POST"])
@requires("edit")
def create() -> str | Response:
    """Create a battery with an empty draft."""
    form = CreateForm()
    if form.validate_on_submit():
        try:
            version = builder.create_battery(
                form.key.data or "", _texts(form), actor_id=current_user.id
            )
        except DomainError as error:
            show_errors(form, error)
        else:
            return redirect(url_for(".version", key=version.battery.key, number=1))
    return render_template("batteries/create.html", form=form)


@bp.route("/<key>")
@requires("read")
def show(key: str) -> str:
    """Show a battery and its versions."""
    battery = batteries.get_battery(key)
    return render_template(
        "batteries/show.html", battery=battery, draft=builder.draft_of(battery), action=ActionForm()
    )


@bp.route("/<key>/draft", methods=["POST"])
@requires("edit")
def new_draft(key: str) -> Response:
    """Start a new draft from the latest version (or open the existing draft)."""
    require_action()
    version = builder.start_draft(key, actor_id=current_user.id)
    return redirect(url_for(".version", key=key, number=version.number))


@bp.route("/<key>/duplicate", methods=["GET", "POST"])
@requires("edit")
def duplicate(key: str) -> str | Response:
    """Copy a battery under a new key."""
    battery = batteries.get_battery(key)
    form = DuplicateForm()
    if form.validate_on_submit():
        try:
            version = builder.duplicate_battery(key, form.key.data or "", actor_id=current_user.id)
        except DomainError as error:
            show_errors(form, error)
        else:
            return redirect(url_for(".version", key=version.battery.key, number=1))
    return render_template("batteries/duplicate.html", form=form, battery=battery)


@bp.route("/<key>/archive", methods=["POST"])
@requires("edit")
def archive(key: str) -> Response:
    """Archive a battery, or bring it back (archived=0)."""
    require_action()
    archived = request.form.get("archived", "1") == "1"
    builder.set_archived(key, archived, actor_id=current_user.id)
    flash(
        _("The battery is archived.") if archived else _("The battery is back in use."), "success"
    )
    return redirect(url_for(".show", key=key))


@bp.route("/<key>/versions/<id:number>")
@requires("read")
def version(key: str, number: int) -> str:
    """Show a version; a draft with its editing buttons."""
    found = batteries.get_version(key, number)
    return render_template("batteries/version.html", **_outline(found), action=ActionForm())


def _outline(found: BatteryVersion) -> dict[str, object]:
    """Return what the version page shows: blocks per section, conditions in words."""
    definition = version_definition(found)
    conditions = {q.key: describe(definition, q.show_if) for q in definition.questions()}
    blocks = {section.id: editor.blocks(list(section.questions)) for section in found.sections}
    return {
        "version": found,
        "blocks": blocks,
        "conditions": conditions,
        "type_labels": TYPE_LABELS,
        "index_labels": INDEX_LABELS,
    }


@bp.route("/<key>/versions/<id:number>/texts", methods=["GET", "POST"])
@requires("edit")
def texts(key: str, number: int) -> str | Response:
    """Edit a draft's title and introduction."""
    try:
        found = builder.draft_version(key, number)
    except DomainError as error:
        return back_to_version(key, number, error)
    form = TextsForm(
        data={n: getattr(found, n) for n in ("title_sv", "title_en", "intro_sv", "intro_en")}
    )
    if form.validate_on_submit():
        try:
            builder.update_texts(key, number, _texts(form))
        except DomainError as error:
            show_errors(form, error)
        else:
            return back_to_version(key, number)
    return render_template("batteries/texts.html", form=form, version=found)


@bp.route("/<key>/versions/<id:number>/publish", methods=["GET", "POST"])
@requires("edit")
def publish(key: str, number: int) -> str | Response:
    """Show what publishing freezes and what breaks comparability; publish when confirmed."""
    try:
        check = builder.check_publish(key, number)
    except DomainError as error:
        return back_to_version(key, number, error)
    form = PublishForm()
    if form.validate_on_submit():
        try:
            builder.publish_draft(key, number, actor_id=current_user.id, anyway=form.anyway.data)
        except builder.DraftProblems as error:
            found = batteries.get_version(key, number)
            page = render_template(
                "batteries/version.html",
                **_outline(found),
                action=ActionForm(),
                problems=error.problems,
            )
            return page, 422  # type: ignore[return-value]
        except DomainError as error:
            show_errors(form, error)
        else:
            flash(_("Version %(n)s is published and can no longer change.", n=number), "success")
            return back_to_version(key, number)
    found = batteries.get_version(key, number)
    return render_template(
        "batteries/publish.html", version=found, check=check, form=form, index_labels=INDEX_LABELS
    )


@bp.route("/<key>/compare")
@requires("read")
def compare(key: str) -> str:
    """Show what changed between two versions of a battery."""
    battery = batteries.get_battery(key)
    numbers = [v.number for v in battery.versions]
    newest = numbers[-1]
    old = request.args.get("old", type=int) or max(newest - 1, numbers[0])
    new = request.args.get("new", type=int) or newest
    if old not in numbers or new not in numbers:
        old, new = max(newest - 1, numbers[0]), newest
    first = version_definition(batteries.get_version(key, old))
    second = version_definition(batteries.get_version(key, new))
    return render_template(
        "batteries/compare.html",
        battery=battery,
        numbers=numbers,
        old=old,
        new=new,
        changes=diff(first, second),
        breaches=breaches(first, second),
    )


@bp.route("/<key>/versions/<id:number>/preview", methods=["GET", "POST"])
@requires("read")
def preview(key: str, number: int) -> str:
    """Show a version exactly as companies see it, in Swedish or English; nothing is stored."""
    found = batteries.get_version(key, number)
    lang = "en" if request.args.get("lang") == "en" else "sv"
    if request.method == "POST":
        forms, answers = submit_all_section_forms(found, language=lang, formdata=request.form)
    else:
        forms, answers = build_all_section_forms(found, language=lang), None
    return render_template(
        "batteries/preview.html", version=found, forms=forms, lang=lang, checked=answers is not None
    )
