"""The organisation (who sends the surveys): name, unit, logo and contact, one row.

Revision ID: 0011o
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op


revision = "0011o"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "organisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=200), nullable=False),
        sa.Column("contact_email", sa.String(length=254), nullable=False),
        sa.Column("contact_phone", sa.String(length=40), nullable=False),
        sa.Column("website", sa.String(length=300), nullable=False),
        sa.Column("logo", sa.LargeBinary(), nullable=True),
        sa.Column("logo_type", sa.String(length=20), nullable=True),
        sa.Column("logo_digest", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("logo_updated_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("id = 1", name=op.f("ck_organisation_single_row")),
        sa.CheckConstraint(
            "logo_type IS NULL OR logo_type IN ('image/png', 'image/jpeg')",
            name=op.f("ck_organisation_logo_type"),
        ),
        sa.CheckConstraint(
            "(logo IS NULL) = (logo_type IS NULL) AND (logo IS NULL) = (logo_digest IS NULL)",
            name=op.f("ck_organisation_logo_complete"),
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_organisation_updated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation")),
    )


def downgrade():
    op.drop_table("organisation")
