"""offers: persons an opening did not invite because the rules refuse the recipient itself,
and the reason codes

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("offers", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("opening_not_invited", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("opening_held_back", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("offers", schema=None) as batch_op:
        batch_op.drop_column("opening_held_back")
        batch_op.drop_column("opening_not_invited")
