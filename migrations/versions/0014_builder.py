"""The builder's matrix questions and exclusive options.

- ``questions.matrix_key`` (with ``matrix_text_sv/en`` and ``matrix_help_sv/en``) groups
  consecutive scale questions of a section into one matrix shown as a table; each item stays
  a question of its own, so answers, statistics and exports are unchanged.
- ``question_options.exclusive`` marks an option of a multiple-choice question that is chosen
  alone ("Inget just nu").

Downgrading drops the columns: matrix items become plain scale questions and exclusive
options plain options.

Revision ID: 0013b
Revises: 0011f
"""

import sqlalchemy as sa
from alembic import op

revision = "0013b"
down_revision = "0011f"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("matrix_key", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("matrix_text_sv", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("matrix_text_en", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("matrix_help_sv", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("matrix_help_en", sa.Text(), nullable=True))
    with op.batch_alter_table("question_options", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("exclusive", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table("question_options", schema=None) as batch_op:
        batch_op.drop_column("exclusive")
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.drop_column("matrix_help_en")
        batch_op.drop_column("matrix_help_sv")
        batch_op.drop_column("matrix_text_en")
        batch_op.drop_column("matrix_text_sv")
        batch_op.drop_column("matrix_key")
