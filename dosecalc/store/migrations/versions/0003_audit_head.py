"""Anchor the newest audit entry, so that removing the last entries of the trail is detected.

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
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    # An existing trail is anchored at its current newest entry.
    op.execute(
        "INSERT INTO audit_head (id, seq, entry_hash) "
        "SELECT 1, seq, entry_hash FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)"
    )


def downgrade() -> None:
    op.drop_table("audit_head")
