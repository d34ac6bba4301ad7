"""eligibility indexes: targeting on persons, holders by category on records

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 12:45:00.000000

Opening an offer finds, set-wise, the persons its targeting admits who hold every requested
category (``SqlAlchemyOffers.eligible_persons``). Two indexes keep that near the cost of one
scan of ``persons`` at a million persons:

- ``ix_persons_targeting``: the targeting columns and the id of the persons not deleted, so
  the candidates come from a narrow index instead of the wide rows (encrypted e-mail and name,
  password hash) of the table.
- ``ix_records_category_person``: the holders of one category in person order, which
  PostgreSQL reads for its hash semi-joins (``ix_records_person_category`` serves the probes
  of one person's records).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_LIVE = sa.text("deleted_at IS NULL")


def upgrade() -> None:
    op.create_index(
        "ix_persons_targeting",
        "persons",
        ["prefecture", "birth_date", "gender", "id"],
        unique=False,
        sqlite_where=_LIVE,
        postgresql_where=_LIVE,
    )
    op.create_index(
        "ix_records_category_person", "records", ["category", "person_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_records_category_person", table_name="records")
    op.drop_index("ix_persons_targeting", table_name="persons")
