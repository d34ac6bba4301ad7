"""indexes for newest-first pages of the long lists: a recipient's deliveries, a person's
records and notifications (keyset on created_at, id)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 12:30:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_INDEXES = (
    ("ix_deliveries_recipient_page", "deliveries", ["recipient_id", "created_at", "id"]),
    ("ix_records_person_page", "records", ["person_id", "created_at", "id"]),
    ("ix_notifications_person_page", "notifications", ["person_id", "created_at", "id"]),
)


def upgrade() -> None:
    for name, table, columns in _INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in _INDEXES:
        op.drop_index(name, table_name=table)
