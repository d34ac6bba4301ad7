"""drop consents.delivered_until: which records a consent received is in delivered_records

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 14:25:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.drop_column("delivered_until")


def downgrade() -> None:
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("delivered_until", sa.DateTime(timezone=True), nullable=True))
