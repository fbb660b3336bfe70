"""Respondent pages: remember the language a company answers in, so reminders follow it."""

from __future__ import annotations

from flask import request

from survey.i18n import current_language
from survey.services import invitations

# The pages where a respondent posts answers (not the opt-out, which may be a mail client's).
ANSWERING = frozenset({"respond.page", "respond.one_page", "respond.review"})


def follow_answer_language() -> None:
    """Before a respondent's answers are handled, note the page's language on the invitation.

    Only a POST counts: a link scanner that opens the mailed link with an English browser
    must not change the language of a Swedish company's reminders.
    """
    if request.method != "POST" or request.endpoint not in ANSWERING:
        return
    token = (request.view_args or {}).get("token")
    if isinstance(token, str):
        invitations.follow_respondent_language(token, current_language())
