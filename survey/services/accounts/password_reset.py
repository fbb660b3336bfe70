"""Password reset by an e-mailed single-use link (changing one's own: accounts.accounts).

A reset token is 256 bits derived from 128 random bits (`token_nonce`) under a key from
SECRET_KEY, stored only as its SHA-256 hash; it expires after an hour and works once. The
queued mail withholds the token, which is put in only on its way to the mail server
(`mail_links`): no page, log or database column holds a live reset link. Asking for a link
answers at once with the same page whether or not the address has an account; the request
is handled after the answer is sent (see the view), so its timing reveals nothing either.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from survey.extensions import db
from survey.models import PasswordResetToken, User
from survey.models.base import utcnow
from survey.models.user import new_session_nonce
from survey.services import audit
from survey.services.accounts.accounts import check_password_policy, hasher, normalize_email
from survey.services.accounts.api_tokens import revoke_all as revoke_api_tokens
from survey.services.errors import DomainError, NotFound
from survey.services.organisation import organisation
from survey.services.outbox import links, outbox

TOKEN_LIFETIME = timedelta(hours=1)
#: A link an administrator sends (a new colleague's first password, or a forgotten one)
#: waits for a working day: the person may not read the mail within the hour.
ADMIN_TOKEN_LIFETIME = timedelta(hours=24)
# At most this many unused links per account per lifetime: no mail-bombing an official.
MAX_OPEN_TOKENS = 3


def hash_token(token: str) -> str:
    """Return the stored form of a reset token: its SHA-256 hex digest."""
    return links.hash_token(token)


def reset_link(token: str) -> str:
    """Return the absolute link that opens the reset form for a token."""
    return f"{current_app.config['SURVEY_BASE_URL']}/account/reset/{token}"


def _compose(
    user_name: str, link: str, language: str, *, sent_by: str | None = None
) -> tuple[str, str, str]:
    """Write the mail: asked for by the user, or sent by an administrator (`sent_by`)."""
    hours = int(_lifetime(sent_by is not None).total_seconds() // 3600)
    context = {
        "name": user_name,
        "link": link,
        "hours": hours,
        "language": language,
        "sent_by": sent_by,
    }
    with force_locale(language):
        subject = _("Choose a password") if sent_by else _("Reset your password")
        text = render_template("email/password_reset.txt", subject=subject, **context)
        html = render_template("email/password_reset.html", subject=subject, **context)
    return subject, text, html


def _lifetime(by_admin: bool) -> timedelta:
    return ADMIN_TOKEN_LIFETIME if by_admin else TOKEN_LIFETIME


def _open_tokens(user_id: int) -> int:
    query = select(func.count(PasswordResetToken.id)).where(
        PasswordResetToken.user_id == user_id,
        PasswordResetToken.used_at.is_(None),
        PasswordResetToken.expires_at > utcnow(),
    )
    return db.session.scalar(query) or 0


def request_reset(email: str, *, language: str = "sv", ip: str | None = None) -> None:
    """Queue a reset link for an active account with this address; silently nothing otherwise."""
    user = db.session.scalar(select(User).where(User.email == normalize_email(email[:254])))
    if user is None or not user.active or _open_tokens(user.id) >= MAX_OPEN_TOKENS:
        db.session.rollback()
        return
    _queue_link(user, language=language)
    audit.record(
        "user.password_reset_requested", user_id=None, object_type="user", object_id=user.id, ip=ip
    )
    db.session.commit()


def send_link(user_id: int, *, actor_id: int, language: str = "sv") -> User:
    """Mail another user a link to choose a password (an administrator's action).

    The same single-use link as `request_reset`, through the outbox with the token withheld,
    valid ADMIN_TOKEN_LIFETIME; the password stays as it is until the link is used.
    """
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("No such user."))
    if user.id == actor_id:
        raise DomainError(_("Change your own password on the password page."))
    if not user.active:
        raise DomainError(_("The account is deactivated: reactivate it first."))
    if _open_tokens(user.id) >= MAX_OPEN_TOKENS:
        raise DomainError(
            _(
                "The person already has %(n)s unused links; ask them to use the latest one.",
                n=MAX_OPEN_TOKENS,
            )
        )
    actor = db.session.get(User, actor_id)
    _queue_link(user, language=language, sent_by=actor.name if actor else "")
    audit.record("user.password_link_sent", user_id=actor_id, object_type="user", object_id=user.id)
    db.session.commit()
    return user


def _queue_link(user: User, *, language: str, sent_by: str | None = None) -> None:
    """Add a reset token and its mail (link withheld) to the transaction."""
    subject, text, html = _compose(user.name, reset_link(links.WITHHELD), language, sent_by=sent_by)
    now = utcnow()
    nonce = secrets.token_hex(16)
    row = PasswordResetToken(
        user_id=user.id,
        token_hash=hash_token(links.derive(nonce, links.PASSWORD_RESET)),
        token_nonce=nonce,
        created_at=now,
        expires_at=now + _lifetime(sent_by is not None),
    )
    db.session.add(row)
    db.session.flush()
    outbox.enqueue(
        kind="password_reset",
        to_addr=user.email,
        subject=subject,
        text_body=text,
        html_body=html,
        from_name=organisation.current().sender,
        password_reset_token_id=row.id,
    )


def valid_token(token: str) -> PasswordResetToken | None:
    """Return the unused, unexpired reset token row for a link's token, else None."""
    if not token or len(token) > 100:
        return None
    row = db.session.scalar(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == hash_token(token))
    )
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        return None
    return row


def reset_password(token: str, password: str, *, ip: str | None = None) -> User:
    """Set a new password through a reset link; the link and every session of the user end."""
    row = valid_token(token)
    user = db.session.get(User, row.user_id) if row else None
    if row is None or user is None or not user.active:
        raise NotFound(_("This link is not valid. It may have expired or already been used."))
    check_password_policy(password)
    now = utcnow()
    claimed = db.session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.id == row.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # a concurrent use of the same link won
        db.session.rollback()
        raise NotFound(_("This link is not valid. It may have expired or already been used."))
    db.session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    user.password_hash = hasher().hash(password)
    user.session_nonce = new_session_nonce()
    revoke_api_tokens(user.id, reason="password_reset", actor_id=user.id)
    audit.record(
        "user.password_reset",
        user_id=user.id,
        object_type="user",
        object_id=user.id,
        ip=ip,
        fields=["password"],
    )
    db.session.commit()
    return user
