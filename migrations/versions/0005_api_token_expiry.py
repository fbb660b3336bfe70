"""API tokens expire: `api_tokens.expires_at`, chosen when a token is created.

Tokens that exist at the upgrade get 90 days from the upgrade (the default lifetime), so
no program stops working at once and none keeps working for ever.

Revision ID: 0005
Revises: 0004
"""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TOKENS = sa.table("api_tokens", sa.column("expires_at", sa.DateTime()))


def upgrade():
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(), nullable=True))
    expires = datetime.now(UTC).replace(tzinfo=None) + timedelta(days=90)  # naive UTC
    op.execute(TOKENS.update().values(expires_at=expires))
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.alter_column("expires_at", existing_type=sa.DateTime(), nullable=False)


def downgrade():
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_column("expires_at")
