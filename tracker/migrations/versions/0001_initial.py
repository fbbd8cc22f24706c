"""Initial schema: learners, goals, entries and their tags.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "learner",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("created_at", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "goal",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "learner_id", sa.Integer, sa.ForeignKey("learner.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("exam_code", sa.String(40), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("exam_date", sa.Date),
        sa.Column("target_hours", sa.Float),
        sa.Column("passed_on", sa.Date),
        sa.Column("badge_url", sa.String(500)),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("updated_at", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_goal_learner_id", "goal", ["learner_id"])
    op.create_table(
        "entry",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "learner_id", sa.Integer, sa.ForeignKey("learner.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "goal_id", sa.Integer, sa.ForeignKey("goal.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("topic", sa.String(200)),
        sa.Column("description", sa.String(2000), nullable=False),
        sa.Column("start_at", sa.BigInteger, nullable=False),
        sa.Column("end_at", sa.BigInteger),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("source_key", sa.String(200)),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("updated_at", sa.BigInteger, nullable=False),
        sa.UniqueConstraint("learner_id", "source_key", name="uq_entry_source_key"),
    )
    op.create_index("ix_entry_learner_id", "entry", ["learner_id"])
    op.create_index("ix_entry_goal_id", "entry", ["goal_id"])
    op.create_index("ix_entry_learner_start", "entry", ["learner_id", "start_at"])
    op.create_index(
        "uq_entry_running", "entry", ["learner_id"], unique=True,
        sqlite_where=sa.text("end_at IS NULL"), postgresql_where=sa.text("end_at IS NULL"),
    )
    op.create_table(
        "entry_tag",
        sa.Column(
            "entry_id", sa.Integer, sa.ForeignKey("entry.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("tag", sa.String(100), primary_key=True),
    )
    op.create_index("ix_entry_tag_tag", "entry_tag", ["tag"])


def downgrade() -> None:
    op.drop_table("entry_tag")
    op.drop_table("entry")
    op.drop_table("goal")
    op.drop_table("learner")
