"""API token pages: list, create (the secret is shown once) and revoke a user's tokens."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from survey.services.accounts import api_tokens
from survey.services.errors import DomainError, NotFound
from survey.web.access import requires
from survey.web.exports.blueprint import bp
from survey.web.exports.forms import TokenForm


@bp.route("/tokens", methods=["GET", "POST"])
@requires("read")
def tokens() -> str | tuple[str, int]:
    """List the user's API tokens and create a new one, showing its secret once."""
    form = TokenForm()
    created = None
    if form.validate_on_submit():
        try:
            created = api_tokens.create_token(
                current_user.id,
                form.name.data or "",
                days=form.days.data or api_tokens.DEFAULT_LIFETIME_DAYS,
                ip=request.remote_addr,
            )
        except DomainError as error:
            getattr(form, error.field or "name").errors.append(error.message)
        else:
            form = TokenForm(formdata=None)
    page = render_template(
        "exports/tokens.html",
        form=form,
        created=created,
        tokens=api_tokens.list_tokens(current_user.id),
        revoke_form=FlaskForm(),
    )
    return (page, 400) if form.errors else page


@bp.route("/tokens/<id:token_id>/revoke", methods=["POST"])
@requires("read")
def revoke(token_id: int) -> Response:
    """Revoke one of the user's tokens."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        api_tokens.revoke_token(current_user.id, token_id, ip=request.remote_addr)
    except NotFound:
        abort(404)
    flash(_("The token is revoked and no longer works."), "success")
    return redirect(url_for("exports.tokens"))
