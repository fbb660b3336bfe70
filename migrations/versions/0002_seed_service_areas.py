"""Seed the configurable list of service areas (myndighetsområden).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

AREAS = [
    ("bygglov", "Bygglov", "Building permits"),
    ("miljo_halsoskydd", "Miljö- och hälsoskydd", "Environment and health protection"),
    ("livsmedel", "Livsmedelskontroll", "Food control"),
    ("servering", "Serveringstillstånd", "Alcohol licensing"),
    ("brandskydd", "Brandskydd", "Fire safety"),
    ("markupplatelse", "Markupplåtelse", "Use of public land"),
    ("ovrigt", "Övrigt", "Other"),
]


def upgrade():
    table = sa.table(
        "service_areas",
        sa.column("key", sa.String),
        sa.column("name_sv", sa.String),
        sa.column("name_en", sa.String),
        sa.column("position", sa.Integer),
        sa.column("active", sa.Boolean),
    )
    op.bulk_insert(
        table,
        [
            {"key": k, "name_sv": sv, "name_en": en, "position": i, "active": True}
            for i, (k, sv, en) in enumerate(AREAS)
        ],
    )


def downgrade():
    op.execute(
        sa.text("DELETE FROM service_areas WHERE key IN :keys").bindparams(
            sa.bindparam("keys", [k for k, _, _ in AREAS], expanding=True)
        )
    )
