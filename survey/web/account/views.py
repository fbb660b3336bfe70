"""Routes: ask for a reset link, reset with it, change one's own password."""

from __future__ import annotations

from collections.abc import Callable

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user
from werkzeug.wrappers import Response

from survey.extensions import limiter
from survey.i18n import current_language
from survey.services.accounts import accounts, password_reset
from survey.services.errors import DomainError, NotFound
from survey.web.access import requires
from survey.web.account.forms import ChangePasswordForm, NewPasswordForm, ResetRequestForm

bp = Blueprint("account", __name__, url_prefix="/account")

# Per client address, separate from the login throttle (which counts per account too).
RESET_LIMIT = "10 per 15 minutes"


def _page(template: str, status: int, **context: object) -> Response:
    """Render a page that carries a reset token: never cached."""
    response = make_response(render_template(template, **context), status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _after_sending(email: str, language: str, ip: str | None) -> Callable[[], None]:
    """Return the reset request's work, to run once the answer has gone to the client."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def work() -> None:
        with app.app_context():
            try:
                password_reset.request_reset(email, language=language, ip=ip)
            except Exception:  # noqa: BLE001 - nobody waits for it: log, do not raise
                app.logger.exception("password reset request failed")

    return work


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(RESET_LIMIT, methods=["POST"])
def reset_request() -> str | Response:
    """Ask for a reset link; the answer is the same whether or not the address has an account.

    It is also as fast either way: the request is handled after the answer has been sent
    (when the server closes the response), so its timing cannot tell who has an account.
    """
    form = ResetRequestForm()
    if form.validate_on_submit():
        response = redirect(url_for("account.reset_sent"))
        response.call_on_close(
            _after_sending(form.email.data or "", current_language(), request.remote_addr)
        )
        return response
    return render_template("account/reset_request.html", form=form)


@bp.route("/reset/sent")
def reset_sent() -> str:
    """Say that a link is on its way if the address has an account."""
    return render_template("account/reset_sent.html")


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(RESET_LIMIT, methods=["POST"])
def reset(token: str) -> Response:
    """Choose a new password through a reset link; dead links get a neutral page."""
    if password_reset.valid_token(token) is None:
        return _page("account/reset_invalid.html", 404)
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            password_reset.reset_password(token, form.password.data or "", ip=request.remote_addr)
        except NotFound:
            return _page("account/reset_invalid.html", 404)
        except DomainError as error:
            form.password.errors.append(error.message)
        else:
            flash(_("Your password is changed. Log in with the new password."), "info")
            return redirect(url_for("auth.login"))
    return _page("account/reset.html", 200, form=form)


@bp.route("/password", methods=["GET", "POST"])
@requires("read")
def change_password() -> str | Response:
    """Change one's own password; other sessions of the account end, this one continues."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            user = accounts.change_password(
                current_user.id,
                form.current_password.data or "",
                form.password.data or "",
                ip=request.remote_addr or "",
            )
        except DomainError as error:
            getattr(form, error.field or "password").errors.append(error.message)
        else:
            login_user(user)
            flash(_("Your password is changed."), "info")
            return redirect(url_for("main.index"))
    return render_template("account/password.html", form=form)
