"""A battery's service area question: responses take their area from its answer.

- ``questions.service_area`` marks the single-choice question whose option keys are service
  area keys (questionnaires/README.md). The shipped NKI battery's ``OMRADE`` is marked in
  every stored version of ``nki-myndighetsutovning``: its options are the service areas'
  keys, and surveys still running on an earlier version then file their answers too.
- Responses without a service area (neither visit, survey nor import gave one) take the
  area their answer to a marked question names. Their batteries' rollup layouts are
  dropped, so the statistics read raw answers (and are right) until
  `survey stats rebuild-rollups` builds the rollups again.

Downgrading drops the column; the responses keep the areas they were given.

Revision ID: 0009
Revises: 0008
"""

import logging

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")
SHIPPED = "nki-myndighetsutovning"
# The area named by a response's answer to its version's service area question.
ANSWERED_AREA = """
    SELECT MIN(service_areas.id) FROM answers
    JOIN questions ON questions.id = answers.question_id
    JOIN service_areas ON service_areas.key = answers.value_text
    WHERE answers.response_id = responses.id AND questions.service_area
"""
UNFILED = f"responses.service_area_id IS NULL AND ({ANSWERED_AREA}) IS NOT NULL"


def upgrade():
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("service_area", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.execute(
        sa.text(
            "UPDATE questions SET service_area = :yes "
            "WHERE key = 'OMRADE' AND type = 'single_choice' AND version_id IN ("
            " SELECT battery_versions.id FROM battery_versions"
            " JOIN batteries ON batteries.id = battery_versions.battery_id"
            " WHERE batteries.key = :battery)"
        ).bindparams(yes=True, battery=SHIPPED)
    )
    connection = op.get_bind()
    batteries = (
        connection.execute(
            sa.text(
                "SELECT DISTINCT battery_versions.battery_id FROM responses"
                " JOIN battery_versions ON battery_versions.id = responses.battery_version_id"
                f" WHERE {UNFILED}"
            )
        )
        .scalars()
        .all()
    )
    if not batteries:
        return
    op.execute(f"UPDATE responses SET service_area_id = ({ANSWERED_AREA}) WHERE {UNFILED}")
    for battery_id in batteries:
        connection.execute(
            sa.text("DELETE FROM rollup_layouts WHERE battery_id = :battery"),
            {"battery": battery_id},
        )
    log.warning("responses given their service area; run `survey stats rebuild-rollups`")


def downgrade():
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.drop_column("service_area")
