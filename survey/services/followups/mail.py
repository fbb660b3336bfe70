"""Mail to a follow-up's owner: when someone assigns it to them, and once when it is overdue.

The mails name the company, the due date and the follow-up's page, nothing of what the
company wrote (that stays on the page, behind the login). The overdue mail goes out exactly
once per follow-up: one UPDATE claims the overdue, unnotified follow-ups (setting
``overdue_notified_at`` where it is NULL) and the mails are queued in the same transaction,
so a second run, even a concurrent one, finds nothing left to claim.
"""

from __future__ import annotations

from datetime import date

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update

from survey.extensions import db
from survey.models import FollowUp, User
from survey.models.base import utcnow
from survey.services import audit
from survey.services.outbox import outbox
from survey.services.surveys.invitations import local_today

LANGUAGE = "sv"  # officials' mail is in the default language


def _link(followup_id: int) -> str:
    return f"{current_app.config['SURVEY_BASE_URL']}/followups/{followup_id}"


def _queue(kind: str, followup: FollowUp, owner: User, *, subject: str, lead: str) -> None:
    context = {
        "name": owner.name,
        "lead": lead,
        "company": followup.company.name,
        "due_on": followup.due_on.isoformat(),
        "link": _link(followup.id),
        "language": LANGUAGE,
    }
    text = render_template("email/followup.txt", subject=subject, **context)
    html = render_template("email/followup.html", subject=subject, **context)
    outbox.enqueue(
        kind=kind,
        to_addr=owner.email,
        subject=subject,
        text_body=text,
        html_body=html,
        from_name=current_app.config["SURVEY_CONTACT_NAME"],
    )


def queue_assigned(followup: FollowUp, owner: User) -> None:
    """Queue the mail telling an official a follow-up is now theirs (the caller commits)."""
    with force_locale(LANGUAGE):
        subject = _("Follow-up assigned to you: %(company)s", company=followup.company.name)
        lead = _("A follow-up has been assigned to you.")
        _queue("followup_assigned", followup, owner, subject=subject, lead=lead)


def send_overdue(today: date | None = None) -> int:
    """Queue the overdue mail of every open, owned follow-up past its due date not yet told
    about; return how many. Run from a timer (`survey followups remind`); idempotent."""
    today = today or local_today()
    claimed = db.session.scalars(
        update(FollowUp)
        .where(
            FollowUp.status != "closed",
            FollowUp.due_on < today,
            FollowUp.owner_id.is_not(None),
            FollowUp.overdue_notified_at.is_(None),
        )
        .values(overdue_notified_at=utcnow())
        .returning(FollowUp.id)
        .execution_options(synchronize_session=False)
    ).all()
    for followup in db.session.scalars(select(FollowUp).where(FollowUp.id.in_(claimed))):
        with force_locale(LANGUAGE):
            subject = _("Follow-up overdue: %(company)s", company=followup.company.name)
            lead = _("A follow-up of yours is past its due date.")
            _queue("followup_overdue", followup, followup.owner, subject=subject, lead=lead)
        audit.record(
            "followup.overdue_mail",
            user_id=None,
            object_type="followup",
            object_id=followup.id,
            owner_id=followup.owner_id,
        )
    db.session.commit()
    return len(claimed)
