"""Index rollups: keep the month cuboids of at most one dimension and the full day cuboid.

A submission now adds to 8 rollup rows instead of 24 (survey.services.statistics.cube): by
month the cuboid of no dimension, those of one dimension and the full one; by day the full
one. The rows of the cuboids no longer kept (two-dimension months, smaller days) are never
read or updated again, so they are removed. What remains is unchanged and still complete.

Downgrading cannot bring the removed rows back from the rollups alone: it drops every
battery's rollups and layout, so the statistics read raw answers until
`survey stats rebuild-rollups` builds them again with the older code.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

#: The cuboids kept (bit sets over survey, area, SNI section, size class, mode; 31 = all).
KEPT = "(grain = 'M' AND cuboid IN (0, 1, 2, 4, 8, 16, 31)) OR (grain = 'D' AND cuboid = 31)"


def upgrade():
    op.execute(f"DELETE FROM index_rollups WHERE NOT ({KEPT})")


def downgrade():
    op.execute("DELETE FROM index_rollups")
    op.execute("DELETE FROM rollup_layouts")
