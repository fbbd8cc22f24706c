"""Cards and Anki: cards added with 'card add', export state per card, review results.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "card",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("learner_id", sa.Integer, sa.ForeignKey("learner.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("exam_code", sa.String(40), nullable=False),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("front", sa.Text, nullable=False),
        sa.Column("back", sa.Text, nullable=False),
        sa.Column("card_key", sa.Text, nullable=False),
        sa.Column("guid", sa.String(20), nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("updated_at", sa.BigInteger, nullable=False),
        sa.UniqueConstraint("learner_id", "guid", name="uq_card_guid"),
    )
    op.create_index("ix_card_learner_exam", "card", ["learner_id", "exam_code"])
    op.create_table(
        "card_state",
        sa.Column("learner_id", sa.Integer, sa.ForeignKey("learner.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("guid", sa.String(20), primary_key=True),
        sa.Column("exam_code", sa.String(40), nullable=False),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("note_hash", sa.String(64), nullable=False),
        sa.Column("changed_at", sa.BigInteger, nullable=False),
        sa.Column("fields_html", sa.Text, nullable=False),
        sa.Column("media", sa.Text, nullable=False),
    )
    op.create_table(
        "anki_review",
        sa.Column("goal_id", sa.Integer, sa.ForeignKey("goal.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("topic", sa.String(200), primary_key=True),
        sa.Column("learner_id", sa.Integer, sa.ForeignKey("learner.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("cards", sa.Integer, nullable=False, server_default="0"),
        sa.Column("answers", sa.Integer, nullable=False, server_default="0"),
        sa.Column("again", sa.Integer, nullable=False, server_default="0"),
        sa.Column("reviews", sa.Integer, nullable=False, server_default="0"),
        sa.Column("lapses", sa.Integer, nullable=False, server_default="0"),
        sa.Column("mean_ease", sa.Float),
        sa.Column("imported_at", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("anki_review")
    op.drop_table("card_state")
    op.drop_index("ix_card_learner_exam", "card")
    op.drop_table("card")
