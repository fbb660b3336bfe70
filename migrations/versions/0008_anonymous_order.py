"""Anonymous responses: no running answer ids, no forced language, room for random ids.

- ``answers`` loses its ``id``: the primary key is (response_id, question_id), the pair
  that was already unique. A running number told the order answers were stored in, and so
  which anonymous response came when. On SQLite the table is rebuilt WITHOUT ROWID (a
  hidden rowid would keep the same order).
- ``responses.language`` may be NULL (anonymous surveys do not keep it).
- ``responses`` on SQLite is rebuilt with AUTOINCREMENT, so ordinary ids count from 1
  even when only the random negative ids of anonymous responses exist.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_ANSWER_COLUMNS = "response_id, question_id, value_number, value_text, dont_know"


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_upgrade()
        return
    op.alter_column("responses", "language", existing_type=sa.String(2), nullable=True)
    op.drop_constraint("pk_answers", "answers", type_="primary")
    op.drop_column("answers", "id")
    op.create_primary_key("pk_answers", "answers", ["response_id", "question_id"])
    op.drop_constraint("uq_answers_response_id_question_id", "answers", type_="unique")


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_downgrade()
        return
    op.execute("UPDATE responses SET language = 'sv' WHERE language IS NULL")
    op.alter_column("responses", "language", existing_type=sa.String(2), nullable=False)
    op.drop_constraint("pk_answers", "answers", type_="primary")
    op.create_unique_constraint(
        "uq_answers_response_id_question_id", "answers", ["response_id", "question_id"]
    )
    op.execute("ALTER TABLE answers ADD COLUMN id SERIAL")
    op.create_primary_key("pk_answers", "answers", ["id"])


def _sqlite_upgrade():
    with op.batch_alter_table(
        "responses", recreate="always", table_kwargs={"sqlite_autoincrement": True}
    ) as batch:
        batch.alter_column("language", existing_type=sa.String(2), nullable=True)
    op.create_table(
        "answers_new",
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("value_number", sa.Float(), nullable=True),
        sa.Column("value_text", sa.Text(), nullable=True),
        sa.Column("dont_know", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["question_id"], ["questions.id"], name="fk_answers_question_id_questions"
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["responses.id"],
            name="fk_answers_response_id_responses",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("response_id", "question_id", name="pk_answers"),
        sqlite_with_rowid=False,
    )
    op.execute(
        f"INSERT INTO answers_new ({_ANSWER_COLUMNS}) SELECT {_ANSWER_COLUMNS} FROM answers"
    )
    op.drop_table("answers")
    op.rename_table("answers_new", "answers")
    op.create_index("ix_answers_question_id", "answers", ["question_id"])


def _sqlite_downgrade():
    op.create_table(
        "answers_old",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("value_number", sa.Float(), nullable=True),
        sa.Column("value_text", sa.Text(), nullable=True),
        sa.Column("dont_know", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["question_id"], ["questions.id"], name="fk_answers_question_id_questions"
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["responses.id"],
            name="fk_answers_response_id_responses",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_answers"),
        sa.UniqueConstraint(
            "response_id", "question_id", name="uq_answers_response_id_question_id"
        ),
    )
    op.execute(
        f"INSERT INTO answers_old ({_ANSWER_COLUMNS}) SELECT {_ANSWER_COLUMNS} FROM answers"
    )
    op.drop_index("ix_answers_question_id", table_name="answers")
    op.drop_table("answers")
    op.rename_table("answers_old", "answers")
    op.create_index("ix_answers_question_id", "answers", ["question_id"])
    op.execute("UPDATE responses SET language = 'sv' WHERE language IS NULL")
    with op.batch_alter_table(
        "responses", recreate="always", table_kwargs={"sqlite_autoincrement": False}
    ) as batch:
        batch.alter_column("language", existing_type=sa.String(2), nullable=False)
