"""offers: progress of opening (matched persons committed in batches, resumable)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 07:45:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("offers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("opened_by", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("opening_total", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("opening_delegated", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("opening_invited", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("opening_touched_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("opening_done_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(
            "ix_offers_opening_pending", ["status", "opening_done_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("offers", schema=None) as batch_op:
        batch_op.drop_index("ix_offers_opening_pending")
        batch_op.drop_column("opening_done_at")
        batch_op.drop_column("opening_touched_at")
        batch_op.drop_column("opening_invited")
        batch_op.drop_column("opening_delegated")
        batch_op.drop_column("opening_total")
        batch_op.drop_column("opened_by")
