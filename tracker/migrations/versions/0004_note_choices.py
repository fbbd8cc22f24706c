"""Notes linked or unlinked by hand: the learner's choices, kept across re-imports.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "note_topic_choice",
        sa.Column("note_id", sa.Integer, sa.ForeignKey("note.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("topic", sa.String(200), primary_key=True),
        sa.Column("linked", sa.Boolean, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("note_topic_choice")
