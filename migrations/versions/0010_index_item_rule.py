"""Respondent indices need two thirds of an index's items: drop the rollups built before.

The rollups hold sums of respondent indices computed with the old rule (one answered item
was enough for a factor index). Both tables are a cache of the raw answers: deleting the
layouts makes every battery's statistics come from raw answers, with the new rule, until
``survey stats rebuild-rollups`` (or the next publishing of a small battery) rebuilds them.

Revision ID: 0010
Revises: 0009
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("DELETE FROM index_rollups")
    op.execute("DELETE FROM rollup_layouts")


def downgrade():
    """Nothing to restore: the rollups are rebuilt from the raw answers."""
