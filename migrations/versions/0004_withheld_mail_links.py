"""Mail links withheld at rest: outbox rows no longer hold working survey or reset links.

Reset tokens get a nonce (their token is derived from it under SECRET_KEY, as survey links
are) and outbox rows a reference to the reset token their mail carries. Every stored body
and unsubscribe address has its tokens replaced by the withheld marker; the sender puts the
token back in when it delivers. Queued reset mails made before this revision cannot get
their token back (it was random and only its hash is kept): they are cancelled, and asking
again sends a new link.

Revision ID: 0004
Revises: 0003
"""

import base64
import hashlib
import hmac
import re

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

WITHHELD = "\u2022" * 8
OUTBOX = sa.table(
    "outbox",
    sa.column("id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("status", sa.String),
    sa.column("invitation_id", sa.Integer),
    sa.column("text_body", sa.Text),
    sa.column("html_body", sa.Text),
    sa.column("unsubscribe_url", sa.String),
    sa.column("last_error", sa.Text),
)
TOKEN_IN_LINK = re.compile(r"(/s/|/account/reset/)[A-Za-z0-9_-]{20,}")


def _withhold(text):
    return TOKEN_IN_LINK.sub(lambda m: m.group(1) + WITHHELD, text) if text else text


def upgrade():
    with op.batch_alter_table("password_reset_tokens") as batch:
        batch.add_column(sa.Column("token_nonce", sa.String(length=32), nullable=True))
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("password_reset_token_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_outbox_password_reset_token_id_password_reset_tokens",
            "password_reset_tokens",
            ["password_reset_token_id"],
            ["id"],
            ondelete="SET NULL",
        )
    _withhold_rows(op.get_bind())


def _withhold_rows(connection):
    """Withhold the tokens of every stored mail; cancel queued reset mail (no nonce)."""
    rows = connection.execute(
        sa.select(OUTBOX.c.id, OUTBOX.c.text_body, OUTBOX.c.html_body, OUTBOX.c.unsubscribe_url)
    ).all()
    for row in rows:
        connection.execute(
            OUTBOX.update()
            .where(OUTBOX.c.id == row.id)
            .values(
                text_body=_withhold(row.text_body),
                html_body=_withhold(row.html_body),
                unsubscribe_url=_withhold(row.unsubscribe_url),
            )
        )
    connection.execute(
        OUTBOX.update()
        .where(OUTBOX.c.kind == "password_reset", OUTBOX.c.status.in_(("queued", "sending")))
        .values(status="cancelled", last_error="not sent: the link expired; ask for a new one")
    )


def downgrade():
    from flask import current_app

    _reveal_rows(op.get_bind(), current_app.config["SECRET_KEY"])
    with op.batch_alter_table("outbox") as batch:
        batch.drop_constraint(
            "fk_outbox_password_reset_token_id_password_reset_tokens", type_="foreignkey"
        )
        batch.drop_column("password_reset_token_id")
    with op.batch_alter_table("password_reset_tokens") as batch:
        batch.drop_column("token_nonce")


def _token(secret, nonce):
    """The invitation token of a nonce, as survey.services.outbox.links derives it."""
    key = hmac.new(secret.encode("utf-8"), b"survey invitation tokens", hashlib.sha256).digest()
    digest = hmac.new(key, nonce.encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _reveal_rows(connection, secret):
    """Put the token back into queued invitation mail (older code sends bodies as stored);
    cancel queued reset mail, whose link older code cannot make."""
    invitations = sa.table(
        "invitations", sa.column("id", sa.Integer), sa.column("token_nonce", sa.String)
    )
    waiting = OUTBOX.c.status.in_(("queued", "sending"))
    rows = connection.execute(
        sa.select(
            OUTBOX.c.id,
            OUTBOX.c.text_body,
            OUTBOX.c.html_body,
            OUTBOX.c.unsubscribe_url,
            invitations.c.token_nonce,
        )
        .join(invitations, invitations.c.id == OUTBOX.c.invitation_id)
        .where(waiting, OUTBOX.c.kind != "password_reset")
    ).all()
    for row in rows:
        token = _token(secret, row.token_nonce)
        connection.execute(
            OUTBOX.update()
            .where(OUTBOX.c.id == row.id)
            .values(
                text_body=row.text_body.replace(WITHHELD, token),
                html_body=row.html_body.replace(WITHHELD, token),
                unsubscribe_url=row.unsubscribe_url and row.unsubscribe_url.replace(WITHHELD, token),
            )
        )
    connection.execute(
        OUTBOX.update()
        .where(waiting, OUTBOX.c.kind == "password_reset")
        .values(status="cancelled", last_error="not sent: the link expired; ask for a new one")
    )
