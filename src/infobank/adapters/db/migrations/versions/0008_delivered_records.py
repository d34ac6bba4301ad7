"""delivered records: which records each consent's packages carried

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 14:10:00.000000

Periodic deliveries used to pick "records created after the newest one already delivered".
A record written by a transaction that committed after a build had read the records, but
stamped earlier than the build's newest record, fell behind that mark and was never
provided. Remembering the records each consent carried provides every record exactly once.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "delivered_records",
        sa.Column("consent_id", sa.String(length=36), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("delivery_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["consent_id"],
            ["consents.id"],
            name=op.f("fk_delivered_records_consent_id_consents"),
        ),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["deliveries.id"],
            name=op.f("fk_delivered_records_delivery_id_deliveries"),
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["records.id"],
            name=op.f("fk_delivered_records_record_id_records"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("consent_id", "record_id", name=op.f("pk_delivered_records")),
    )


def downgrade() -> None:
    op.drop_table("delivered_records")
