"""The outbox page: every mail with its status and text, its personal links withheld.

The stored text never holds a working survey or reset link (survey.services.outbox.links), and
the text of a password-reset mail is not shown at all: an official sees that it was sent,
not what it said.
"""

from __future__ import annotations

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from werkzeug.wrappers import Response

from survey.services.errors import DomainError, NotFound
from survey.services.outbox import links, outbox, unsent
from survey.services.outbox.ledger import UNKNOWN_OUTCOME
from survey.services.surveys import progress
from survey.web.access import requires
from survey.web.surveys.forms import ActionForm

bp = Blueprint("outbox", __name__, url_prefix="/outbox")
URL = re.compile(r"https?://[^\s<>\"]+")

MAIL_STATUS_LABELS = {
    "queued": _l("Queued"),
    "sending": _l("Sending"),
    "sent": _l("Sent"),
    "failed": _l("Failed"),
    "cancelled": _l("Not needed"),
}
# Notes the outbox writes in English (stored with the row), shown in the user's language.
MAIL_NOTES = {
    unsent.ANSWERED: _l("not sent: already answered"),
    unsent.OPTED_OUT: _l("not sent: opted out"),
    unsent.CLOSED: _l("not sent: survey closed"),
    unsent.ERASED: _l("not sent: contact erased on request"),
    unsent.SUPERSEDED: _l("not sent: the invitation was sent again"),
    unsent.SERVER_UNREACHABLE: _l("waiting: the mail server could not be reached"),
    unsent.RESET_EXPIRED: _l("not sent: the link expired; ask for a new one"),
    links.LINK_UNAVAILABLE: _l(
        "the personal link could not be made again (SECRET_KEY changed): send anew"
    ),
    UNKNOWN_OUTCOME: _l(
        "unknown outcome after an interrupted delivery; check, then requeue by hand"
    ),
}


@bp.app_template_global()
def mail_status_label(status: str) -> str:
    """Return an outbox status in the user's language."""
    return str(MAIL_STATUS_LABELS.get(status, status))


@bp.app_template_global()
def mail_note(note: str | None) -> str:
    """Return an outbox row's last note in the user's language (server replies as they are)."""
    return str(MAIL_NOTES.get(note, note)) if note else ""


def linkify(text: str) -> Markup:
    """Return plain text as HTML with its web addresses as links (everything else escaped).

    An address with a withheld token stays plain text: it would lead nowhere.
    """
    parts, last = [], 0
    for match in URL.finditer(text):
        if links.WITHHELD in match.group():
            continue
        parts += [
            escape(text[last : match.start()]),
            Markup('<a href="{0}">{0}</a>').format(match.group()),
        ]
        last = match.end()
    parts.append(escape(text[last:]))
    return Markup("").join(parts)


@bp.route("/")
@requires("edit")
def index() -> str:
    """List the newest outbox messages (officials only: recipients are personal data)."""
    status = request.args.get("status") or None
    return render_template(
        "surveys/outbox.html",
        messages=progress.outbox_messages(status=status),
        counts=progress.outbox_counts(),
        status=status,
        action=ActionForm(),
    )


@bp.route("/<id:message_id>")
@requires("edit")
def show(message_id: int) -> str:
    """Show one message's text with its personal links withheld (none for a reset mail)."""
    try:
        message = progress.outbox_message(message_id)
    except NotFound:
        abort(404)
    text = None if message.kind == "password_reset" else linkify(message.text_body)
    return render_template("surveys/outbox_message.html", message=message, text=text)


@bp.route("/<id:message_id>/requeue", methods=["POST"])
@requires("edit")
def requeue(message_id: int) -> Response:
    """Queue a failed message again."""
    if ActionForm().validate_on_submit():
        try:
            outbox.requeue(message_id)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_("The message is queued again."), "success")
    return redirect(url_for(".index"))
