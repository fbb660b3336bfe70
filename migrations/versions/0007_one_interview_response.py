"""One interview response per visit and battery version (a partial unique index).

Saving a visit's interview again now updates its response; before, every save (three
parallel ones too) added a response. Duplicates already stored are reduced to the latest
save (the highest id) of each visit and battery version, which is what saving again now
keeps. Their batteries' rollup layouts are dropped, so the statistics read raw answers
(and stay right) until `survey stats rebuild-rollups` builds the rollups again.

Downgrading drops the index; the removed duplicates do not come back.

Revision ID: 0007
Revises: 0005
"""

import logging

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0005"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")
INTERVIEW = sa.text("collection_mode = 'interview'")
DUPLICATES = """
    SELECT r.id FROM responses r
    WHERE r.collection_mode = 'interview' AND r.visit_id IS NOT NULL
      AND r.id < (
        SELECT MAX(later.id) FROM responses later
        WHERE later.collection_mode = 'interview'
          AND later.visit_id = r.visit_id
          AND later.battery_version_id = r.battery_version_id
      )
"""


def upgrade():
    connection = op.get_bind()
    batteries = connection.execute(
        sa.text(
            "SELECT DISTINCT v.battery_id FROM battery_versions v "
            f"JOIN responses r ON r.battery_version_id = v.id WHERE r.id IN ({DUPLICATES})"
        )
    ).scalars().all()
    if batteries:
        log.warning(
            "removing repeated interview responses; run `survey stats rebuild-rollups`"
        )
        op.execute(f"DELETE FROM answers WHERE response_id IN ({DUPLICATES})")
        op.execute(f"DELETE FROM responses WHERE id IN ({DUPLICATES})")
        for battery_id in batteries:
            connection.execute(
                sa.text("DELETE FROM rollup_layouts WHERE battery_id = :battery"),
                {"battery": battery_id},
            )
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.create_index(
            "uq_responses_interview",
            ["visit_id", "battery_version_id"],
            unique=True,
            postgresql_where=INTERVIEW,
            sqlite_where=INTERVIEW,
        )


def downgrade():
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_responses_interview", postgresql_where=INTERVIEW, sqlite_where=INTERVIEW
        )
