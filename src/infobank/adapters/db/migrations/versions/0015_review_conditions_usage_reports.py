"""reviews: the data ethics board's conditions as typed columns (the free-text list becomes
``notes``) and each offer's decisions numbered in order; offers: renewal requests (再審査);
usage_reports (利用報告)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 09:00:00.000000
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

_CONDITIONS: tuple[tuple[str, sa.types.TypeEngine[Any]], ...] = (
    ("max_retention_days", sa.Integer()),
    ("profiling_allowed", sa.Boolean()),
    ("target_age_min", sa.Integer()),
    ("target_age_max", sa.Integer()),
    ("target_prefectures", sa.JSON()),
    ("capacity_max", sa.Integer()),
    ("approval_valid_until", sa.Date()),
    ("report_after_days", sa.Integer()),
)


# Decisions so far are numbered by time, then id (the order they were read in before).
_NUMBER = sa.text(
    "UPDATE reviews SET seq = (SELECT count(*) FROM reviews AS earlier "
    "WHERE earlier.offer_id = reviews.offer_id AND (earlier.decided_at < reviews.decided_at "
    "OR (earlier.decided_at = reviews.decided_at AND earlier.id <= reviews.id)))"
)


def upgrade() -> None:
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        # The free-text conditions recorded so far stay as they were, as notes.
        batch_op.alter_column("conditions", new_column_name="notes")
        for name, kind in _CONDITIONS:
            batch_op.add_column(sa.Column(name, kind, nullable=True))
        batch_op.add_column(sa.Column("seq", sa.Integer(), nullable=True))
    op.execute(_NUMBER)
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.alter_column("seq", existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_reviews_offer_id"), ["offer_id", "seq"])
    with op.batch_alter_table("offers", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("renewal_requested_at", sa.DateTime(timezone=True), nullable=True)
        )
    op.create_table(
        "usage_reports",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("offer_id", sa.String(length=36), nullable=False),
        sa.Column("recipient_id", sa.String(length=36), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["offer_id"], ["offers.id"], name=op.f("fk_usage_reports_offer_id_offers")
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["recipients.id"],
            name=op.f("fk_usage_reports_recipient_id_recipients"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_usage_reports")),
    )
    op.create_index("ix_usage_reports_offer_filed", "usage_reports", ["offer_id", "filed_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_usage_reports_offer_filed", table_name="usage_reports")
    op.drop_table("usage_reports")
    with op.batch_alter_table("offers", schema=None) as batch_op:
        batch_op.drop_column("renewal_requested_at")
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_reviews_offer_id"), type_="unique")
        batch_op.drop_column("seq")
        for name, _ in reversed(_CONDITIONS):
            batch_op.drop_column(name)
        batch_op.alter_column("notes", new_column_name="conditions")
