"""Respondent pages: intro, one page per section, review, submit, thanks, opt-out.

Every token that cannot be answered (unknown, expired, opted out, used) gets the same
neutral page with status 404, so a guessed token reveals nothing. Only the session that
just submitted a response is told "already answered, thank you", only the session that
opted out is told so again when it opens the link, and the holder of a link to a survey
that has closed is told that it closed (410): that link came in their mail.
"""

from __future__ import annotations

import hashlib
from typing import Any, cast

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_limiter.util import get_remote_address
from limits import parse_many
from markupsafe import Markup
from werkzeug.wrappers import Response as WerkzeugResponse

from survey.extensions import csrf, limiter
from survey.forms import text_in
from survey.i18n import current_language
from survey.services.errors import DomainError
from survey.services.respondents import respond
from survey.services.respondents.token_lookup import InvitationSnapshot
from survey.web.respond.flow import (
    Flow,
    answer_text,
    answered_here,
    opted_out_here,
    remember_answered,
    remember_opted_out,
)
from survey.web.respond.forms import SubmitForm

bp = Blueprint("respond", __name__, url_prefix="/s")
Page = str | WerkzeugResponse | tuple[str, int]
#: Requests per token: a page-by-page answer takes about fifteen; a link opened in many
#: browsers at once (say, shared in an office) takes a request or two in each.
TOKEN_LIMIT = "120/minute"
#: Requests for a token that cannot be answered (the neutral page), per address.
GUESS_LIMIT = "10/minute;100/hour"
_GUESSES = parse_many(GUESS_LIMIT)


def _token_key() -> str:
    """Return the per-token counter's key: a digest of the token, not the token nor its
    stored hash, so the counters name no link and no invitation."""
    token = str((request.view_args or {}).get("token", ""))
    return hashlib.blake2b(token.encode(), digest_size=16, person=b"ratelimit-token").hexdigest()


# Each link counts against its own limit, set on the blueprint so it is checked once before
# the view; the address counts only the links that cannot be answered (`unavailable`). So
# many companies behind one address (an office, a carrier's NAT) answer at once, and a
# guesser among them slows only the guessing.
limiter.shared_limit(TOKEN_LIMIT, scope="token-link", key_func=_token_key)(bp)


def unavailable() -> tuple[str, int]:
    """Return the one neutral page for every token that cannot be answered; an address
    past its limit of such requests (guessing tokens) gets 429 instead."""
    _count_guess()
    return render_template("respond/unavailable.html"), 404


def _count_guess() -> None:
    """Count a request for an unusable token against the client's address (every window)."""
    if not limiter.enabled:
        return
    address = get_remote_address()
    if not all([limiter.limiter.hit(item, "token-guess", address) for item in _GUESSES]):
        abort(429)


def _already_answered_or_unavailable(token: str) -> Page:
    invitation = respond.lookup(token)
    if answered_here(invitation):
        return render_template("respond/already_answered.html", invitation=invitation)
    if opted_out_here(invitation):
        return render_template("respond/opted_out.html", invitation=invitation)
    if invitation is not None and respond.closed(invitation):
        return render_template("respond/closed.html", invitation=invitation), 410
    return unavailable()


@bp.context_processor
def helpers() -> dict[str, Any]:
    language = current_language()
    return {
        "text_in": lambda text: text_in(text, language),
        "answer_text": lambda question, value: answer_text(question, value, language),
    }


@bp.errorhandler(429)
def too_many(_error: Exception) -> tuple[str, int]:
    return render_template("respond/too_many.html"), 429


@bp.route("/<token>")
def start(token: str) -> Page:
    """Show the intro page, or continue where the company left off."""
    invitation = respond.resolve(token)
    if invitation is None:
        return _already_answered_or_unavailable(token)
    flow = Flow.of(invitation)
    if invitation.draft_page >= 1 and not request.args.get("intro"):
        respond.mark_opened(invitation)
        return redirect(_page_url(token, invitation.draft_page, flow))
    page = render_template("respond/intro.html", invitation=invitation, flow=flow, token=token)
    respond.mark_opened(invitation)  # after the page's reads: they share its transaction
    return page


def _page_url(token: str, page: int, flow: Flow) -> str:
    if page < 1:
        return url_for("respond.start", token=token, intro=1)
    if page > flow.pages:
        return url_for("respond.review", token=token)
    return url_for("respond.page", token=token, page=page)


@bp.route("/<token>/<int:page>", methods=["GET", "POST"])
def page(token: str, page: int) -> Page:
    """Show one section; every POST keeps a draft, 'next' also validates the page."""
    invitation = respond.resolve(token)
    if invitation is None:
        return _already_answered_or_unavailable(token)
    flow = Flow.of(invitation)
    if not 1 <= page <= flow.pages:
        return unavailable()
    formdata, language = (request.form if request.method == "POST" else None), current_language()
    form = flow.form(invitation, page, language=language, formdata=formdata)
    if form.is_submitted():
        action = request.form.get("action", "next")
        if form.validate() or action in ("back", "save"):
            target = {"back": page - 1, "save": page}.get(action, page + 1)
            respond.save_draft(
                invitation, form.merged_answers(), resume_page=max(target, 1), language=language
            )
            if action == "save":
                return redirect(url_for("respond.saved", token=token))
            return redirect(_page_url(token, target, flow))
        respond.save_draft(invitation, form.merged_answers(), resume_page=page, language=language)
    return render_template(
        "respond/page.html", invitation=invitation, flow=flow, form=form, number=page, token=token
    )


@bp.route("/<token>/all", methods=["GET", "POST"])
def one_page(token: str) -> Page:
    """Show every question on one page; submit them all in one POST (or save a draft)."""
    invitation = respond.resolve(token)
    if invitation is None:
        return _already_answered_or_unavailable(token)
    flow, language = Flow.of(invitation), current_language()
    if request.method == "GET":
        forms = (  # a first visit gets the blank questionnaire's kept HTML
            flow.all_forms(invitation, language=language)
            if invitation.draft
            else flow.blank_questionnaire(language=language)
        )
        page = render_template("respond/one_page.html", **_one_page(invitation, token, forms))
        respond.mark_opened(invitation)  # after the page's reads: they share its transaction
        return page
    if request.form.get("action") == "submit":  # most submissions fit: no forms to build
        answers = flow.posted_answers(request.form)
        submitted = _submit_one_page(invitation, token, answers, language)
        if submitted is not None:
            return submitted
    forms, answers = flow.submit_all(language=language, formdata=request.form)
    resume = max(invitation.draft_page, 1)
    if answers is None or request.form.get("action") == "save":
        respond.save_draft(
            invitation, flow.answers_of(forms), resume_page=resume, language=language
        )
        if request.form.get("action") == "save":
            return redirect(url_for("respond.saved", token=token))
        return render_template("respond/one_page.html", **_one_page(invitation, token, forms))
    return cast(Page, _submit_one_page(invitation, token, answers, language, forms))


def _submit_one_page(
    invitation: InvitationSnapshot,
    token: str,
    answers: dict[str, Any],
    language: str,
    forms: list | None = None,
) -> Page | None:
    """Submit the answers of a one-page POST; the thank-you redirect, or the polite page if
    the invitation is used. When an answer does not fit the service writes nothing: without
    `forms` (the posted values, checked before any form was built) this returns None and the
    caller builds the forms to show each error beside its field; with them the page comes
    again with the service's error and the answers are kept as a draft."""
    try:
        respond.submit(invitation, language=language, answers=answers)
    except respond.AlreadyAnswered:
        return render_template("respond/already_answered.html", invitation=invitation)
    except DomainError as failure:
        if forms is None:
            return None
        resume = max(invitation.draft_page, 1)
        respond.save_draft(invitation, answers, resume_page=resume, language=language)
        context = _one_page(invitation, token, forms, failure)
        return render_template("respond/one_page.html", **context)
    remember_answered(invitation.id)
    return redirect(url_for("respond.thanks", token=token))


def _one_page(
    invitation: InvitationSnapshot,
    token: str,
    forms: list | Markup,
    error: DomainError | None = None,
) -> dict[str, Any]:
    """Return the one-page template's context: the forms, or a blank questionnaire's HTML."""
    return {"invitation": invitation, "token": token, "forms": forms, "error": error}


@bp.route("/<token>/saved")
def saved(token: str) -> Page:
    """Confirm that the answers are kept and the link can be opened again."""
    invitation = respond.resolve(token)
    if invitation is None:
        return _already_answered_or_unavailable(token)
    return render_template("respond/saved.html", invitation=invitation, token=token)


@bp.route("/<token>/review", methods=["GET", "POST"])
def review(token: str) -> Page:
    """Show every answer with links to change them; submit once."""
    invitation = respond.resolve(token)
    if invitation is None:
        return _already_answered_or_unavailable(token)
    form, error = SubmitForm(), None
    if form.validate_on_submit():
        try:
            respond.submit(invitation, language=current_language())
        except respond.AlreadyAnswered:
            return render_template("respond/already_answered.html", invitation=invitation)
        except DomainError as failure:
            error = failure
        else:
            remember_answered(invitation.id)
            return redirect(url_for("respond.thanks", token=token))
    return _render_review(invitation, token, form, error)


def _render_review(
    invitation: InvitationSnapshot, token: str, form: SubmitForm, error: DomainError | None
) -> Page:
    flow = Flow.of(invitation)
    pages = flow.review(invitation.draft or {})
    error_page = flow.page_of(error.field) if error is not None and error.field else None
    return render_template(
        "respond/review.html",
        invitation=invitation,
        flow=flow,
        pages=pages,
        form=form,
        error=error,
        error_page=error_page,
        token=token,
    )


@bp.route("/<token>/thanks")
def thanks(token: str) -> Page:
    """Thank the company that just submitted (only its own session sees this page)."""
    invitation = respond.lookup(token)
    if not answered_here(invitation):
        return unavailable()
    return render_template("respond/thanks.html", invitation=invitation)


@bp.route("/<token>/opt-out", methods=["GET", "POST"])
@csrf.exempt
def opt_out(token: str) -> Page:
    """Confirm (GET) or do (POST, RFC 8058 one-click) the opt-out; needs no login or CSRF."""
    invitation = respond.resolve(token)
    if invitation is None:
        known = respond.lookup(token)
        if opted_out_here(known):
            return render_template("respond/opted_out.html", invitation=known)
        return unavailable()
    if request.method == "POST":
        respond.opt_out(token)
        remember_opted_out(invitation.id)
        return render_template("respond/opted_out.html", invitation=invitation)
    return render_template("respond/opt_out.html", invitation=invitation, token=token)
