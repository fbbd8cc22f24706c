"""Coverage, practice and plans: resources, notes, confidence, attempts, plans.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _owner_columns():
    return [
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("learner_id", sa.Integer, sa.ForeignKey("learner.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("goal_id", sa.Integer, sa.ForeignKey("goal.id", ondelete="CASCADE"),
                  nullable=False, index=True),
    ]


def upgrade() -> None:
    op.create_table(
        "resource", *_owner_columns(),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("url", sa.String(1000)),
        sa.Column("units_total", sa.Integer),
        sa.Column("units_done", sa.Integer, nullable=False, server_default="0"),
        sa.Column("unit_name", sa.String(40)),
        sa.Column("done_at", sa.BigInteger),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("updated_at", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "resource_topic",
        sa.Column("resource_id", sa.Integer, sa.ForeignKey("resource.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("topic", sa.String(200), primary_key=True),
    )
    with op.batch_alter_table("entry") as batch:
        batch.add_column(sa.Column("resource_id", sa.Integer, nullable=True))
        batch.create_foreign_key("fk_entry_resource", "resource", ["resource_id"], ["id"],
                                 ondelete="SET NULL")
    op.create_table(
        "note", *_owner_columns(),
        sa.Column("source", sa.String(1000), nullable=False),
        sa.Column("anchor", sa.String(1000), nullable=False),
        sa.Column("heading", sa.String(500), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("updated_at", sa.BigInteger, nullable=False),
        sa.UniqueConstraint("goal_id", "source", "anchor", name="uq_note_anchor"),
    )
    op.create_table(
        "note_topic",
        sa.Column("note_id", sa.Integer, sa.ForeignKey("note.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("topic", sa.String(200), primary_key=True),
        sa.Column("weight", sa.Float, nullable=False, server_default="1"),
    )
    op.create_table(
        "confidence", *_owner_columns(),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("rating", sa.Integer, nullable=False),
        sa.Column("rated_at", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "attempt", *_owner_columns(),
        sa.Column("taken_on", sa.Date, nullable=False),
        sa.Column("score_pct", sa.Float, nullable=False),
        sa.Column("raw_score", sa.Float),
        sa.Column("raw_max", sa.Float),
        sa.Column("full", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("label", sa.String(200)),
        sa.Column("created_at", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "attempt_domain",
        sa.Column("attempt_id", sa.Integer, sa.ForeignKey("attempt.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("domain", sa.String(200), primary_key=True),
        sa.Column("score_pct", sa.Float, nullable=False),
    )
    op.create_table(
        "plan",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("goal_id", sa.Integer, sa.ForeignKey("goal.id", ondelete="CASCADE"),
                  nullable=False, unique=True),
        sa.Column("text", sa.String(500), nullable=False),
        sa.Column("rrule", sa.String(500), nullable=False),
        sa.Column("minutes", sa.Integer, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_confidence_goal_topic", "confidence", ["goal_id", "topic", "rated_at"])
    op.create_index("ix_entry_goal_topic", "entry", ["goal_id", "topic"])


def downgrade() -> None:
    op.drop_index("ix_entry_goal_topic", "entry")
    for table in ("plan", "attempt_domain", "attempt", "confidence", "note_topic", "note"):
        op.drop_table(table)
    with op.batch_alter_table("entry") as batch:
        batch.drop_constraint("fk_entry_resource", type_="foreignkey")
        batch.drop_column("resource_id")
    op.drop_table("resource_topic")
    op.drop_table("resource")
