"""User administration routes (admins only): list, create, rename, change role, send a
password link, (de)activate; the actions that cannot be undone ask first."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from survey.i18n import current_language
from survey.models import User
from survey.services.accounts import password_reset, users
from survey.services.errors import DomainError, NotFound
from survey.web.access import requires
from survey.web.users.forms import ROLE_CHOICES, ConfirmForm, NameForm, RoleForm, UserForm

bp = Blueprint("users", __name__, url_prefix="/users")


@bp.app_template_global()
def role_label(role: str) -> str:
    """Return the role's name for templates."""
    labels = {choice.value: choice.label for choice in ROLE_CHOICES}
    return str(labels.get(role, role))


def _user(user_id: int) -> User:
    try:
        return users.get_user(user_id)
    except NotFound:
        abort(404)


@bp.route("/")
@requires("admin")
def index() -> str:
    """List every account."""
    return render_template("users/index.html", users=users.list_users())


@bp.route("/new", methods=["GET", "POST"])
@requires("admin")
def new() -> str | Response:
    """Create an account."""
    form = UserForm()
    if form.validate_on_submit():
        try:
            users.create_user(
                form.email.data or "",
                form.name.data or "",
                form.role.data or "",
                form.password.data or "",
                actor_id=current_user.id,
            )
        except DomainError as error:
            getattr(form, error.field or "email").errors.append(error.message)
        else:
            flash(_("The account is created."), "success")
            return redirect(url_for(".index"))
    return render_template("users/new.html", form=form)


@bp.route("/<id:user_id>", methods=["GET", "POST"])
@requires("admin")
def show(user_id: int) -> str | Response:
    """Show an account and change its role."""
    user = _user(user_id)
    form = RoleForm(obj=user)
    if form.validate_on_submit():
        try:
            users.change_role(user_id, form.role.data or "", actor_id=current_user.id)
        except DomainError as error:
            form.role.errors.append(error.message)
        else:
            flash(_("The role is saved."), "success")
            return redirect(url_for(".show", user_id=user_id))
    return _show(user, role_form=form)


def _show(
    user: User, *, role_form: RoleForm | None = None, name_form: NameForm | None = None, **extra
) -> str:
    return render_template(
        "users/show.html",
        user=user,
        form=role_form or RoleForm(obj=user, formdata=None),
        name_form=name_form or NameForm(obj=user, formdata=None),
        **extra,
    )


@bp.route("/<id:user_id>/name", methods=["POST"])
@requires("admin")
def rename(user_id: int) -> str | Response:
    """Correct an account's name."""
    user = _user(user_id)
    form = NameForm()
    if form.validate_on_submit():
        try:
            users.rename(user_id, form.name.data or "", actor_id=current_user.id)
        except DomainError as error:
            form.name.errors.append(error.message)
        else:
            flash(_("The name is saved."), "success")
            return redirect(url_for(".show", user_id=user_id))
    return _show(user, name_form=form)


@bp.route("/<id:user_id>/password-link", methods=["GET", "POST"])
@requires("admin")
def send_password_link(user_id: int) -> str | Response:
    """Ask, then mail the person a link to choose a password (their password stays until
    they use it)."""
    user = _user(user_id)
    form, error = ConfirmForm(), None
    if form.validate_on_submit():
        try:
            password_reset.send_link(user_id, actor_id=current_user.id, language=current_language())
        except DomainError as failure:
            error = failure.message
        else:
            message = _("A link to choose a password is on its way to %(email)s.", email=user.email)
            flash(message, "success")
            return redirect(url_for(".show", user_id=user_id))
    return render_template("users/confirm_link.html", user=user, form=form, error=error)


@bp.route("/<id:user_id>/active", methods=["GET", "POST"])
@requires("admin")
def set_active(user_id: int) -> str | Response:
    """Deactivate an account (active=0, ending its sessions) or reactivate it (active=1);
    GET asks before deactivating."""
    user = _user(user_id)
    if request.method == "GET":
        return render_template("users/confirm_deactivate.html", user=user, form=ConfirmForm())
    active = request.form.get("active") == "1"
    try:
        users.set_active(user_id, active, actor_id=current_user.id)
    except DomainError as error:
        return _show(_user(user_id), access_error=error.message)
    flash(_("The account is active.") if active else _("The account is deactivated."), "success")
    return redirect(url_for(".show", user_id=user_id))
