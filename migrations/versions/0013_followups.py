"""Follow-ups (uppföljningar) and the contact request roles of battery questions.

- ``questions.contact_role`` marks a battery's contact request: the yes/no question that asks
  whether the company wants to be contacted ("request") and the questions whose answers go
  with it ("about", "phone", "email"); see questionnaires/README.md. Stored versions are left
  as they were: a new version of a shipped battery brings its contact request.
- ``followups``: one row per thing the business unit owes a company (from a contact request,
  by hand, or from a visit), with owner, due date, status and closing note.

Downgrading drops the table and the column.

Revision ID: 0011f
Revises: 0012a
"""

import sqlalchemy as sa
from alembic import op

revision = "0011f"
down_revision = "0012a"
branch_labels = None
depends_on = None

STATUSES = "('new', 'assigned', 'contacted', 'closed')"
SOURCES = "('contact_request', 'manual', 'visit')"
ROLES = "('request', 'about', 'phone', 'email')"


def upgrade():
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contact_role", sa.String(length=10), nullable=True))
        batch_op.create_check_constraint(
            "contact_role", f"contact_role IS NULL OR contact_role IN {ROLES}"
        )
    op.create_table(
        "followups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=True),
        sa.Column("survey_id", sa.Integer(), nullable=True),
        sa.Column("visit_id", sa.Integer(), nullable=True),
        sa.Column("service_area_id", sa.Integer(), nullable=True),
        sa.Column("topic", sa.Text(), nullable=False),
        sa.Column("contact_phone", sa.String(length=100), nullable=True),
        sa.Column("contact_email", sa.String(length=254), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("assigned_at", sa.DateTime(), nullable=True),
        sa.Column("contacted_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("closing_note", sa.Text(), nullable=False),
        sa.Column("overdue_notified_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(f"status IN {STATUSES}", name=op.f("ck_followups_status")),
        sa.CheckConstraint(f"source IN {SOURCES}", name=op.f("ck_followups_source")),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name=op.f("fk_followups_company_id_companies")
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["responses.id"],
            name=op.f("fk_followups_response_id_responses"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["survey_id"], ["surveys.id"], name=op.f("fk_followups_survey_id_surveys")
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["visits.id"],
            name=op.f("fk_followups_visit_id_visits"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["service_area_id"],
            ["service_areas.id"],
            name=op.f("fk_followups_service_area_id_service_areas"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_followups_owner_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_followups_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_followups")),
        sa.UniqueConstraint("response_id", name=op.f("uq_followups_response_id")),
    )
    for column in ("company_id", "survey_id", "visit_id", "service_area_id", "owner_id",
                   "status", "due_on"):  # fmt: skip
        op.create_index(op.f(f"ix_followups_{column}"), "followups", [column], unique=False)


def downgrade():
    op.drop_table("followups")
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.drop_constraint("contact_role", type_="check")
        batch_op.drop_column("contact_role")
