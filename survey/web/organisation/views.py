"""The organisation's settings page (admins) and its logo, served as the type it was
checked to be, under a strict policy of its own."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from survey.services.errors import DomainError
from survey.services.organisation import organisation
from survey.web.access import requires
from survey.web.organisation.forms import OrganisationForm
from survey.web.request_limits import accepts_upload

bp = Blueprint("organisation", __name__)
#: The logo is an image, never a document: nothing in it may load, run or be framed.
LOGO_POLICY = "default-src 'none'; sandbox; frame-ancestors 'none'"


@bp.route("/settings/organisation", methods=["GET", "POST"])
@requires("admin")
@accepts_upload
def edit() -> str | Response:
    """Show and save who the sender is: name, unit, contact and logo."""
    form = OrganisationForm(obj=organisation.stored())
    if form.validate_on_submit():
        upload = form.logo.data
        logo = upload.read() if isinstance(upload, FileStorage) and upload.filename else None
        data = organisation.IdentityInput(
            **{name: form[name].data or "" for name in organisation.IdentityInput.__annotations__}
        )
        try:
            organisation.save(
                data, logo=logo, remove_logo=form.remove_logo.data, actor_id=current_user.id
            )
        except DomainError as error:
            getattr(form, error.field or "name").errors.append(error.message)
        else:
            flash(_("The organisation's settings are saved."), "success")
            return redirect(url_for(".edit"))
    return render_template("organisation/edit.html", form=form)


@bp.route("/organisation/logo")
def logo() -> Response:
    """Serve the logo (public: the survey pages show it to companies)."""
    stored = organisation.logo()
    if stored is None:
        abort(404)
    response = Response(stored.data, mimetype=stored.media_type)
    response.headers["Content-Security-Policy"] = LOGO_POLICY
    response.headers["Content-Disposition"] = "inline; filename=logo"
    if request.args.get("v") == stored.digest[:16]:
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    else:
        response.headers["Cache-Control"] = "no-cache"
    return response
