"""consent life (post-dated start, expiry notices, reminders, fetch caps), published terms
versions and recipient exceptions

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 13:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("offers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("starts_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("expiry_notice_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("fetch_count", sa.Integer(), nullable=False, server_default="0")
        )

    op.create_table(
        "terms_versions",
        sa.Column("version", sa.String(length=32), nullable=False),
        sa.Column("text_ja", sa.Text(), nullable=False),
        sa.Column("text_en", sa.Text(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_terms_versions")),
    )
    op.create_index(
        op.f("ix_terms_versions_published_at"), "terms_versions", ["published_at"], unique=False
    )
    op.create_table(
        "exception_types",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name_ja", sa.Text(), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("evidence_required", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_exception_types")),
    )
    op.create_table(
        "recipient_exceptions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("recipient_id", sa.String(length=36), nullable=False),
        sa.Column("type_code", sa.String(length=64), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("minutes", sa.Text(), nullable=False),
        sa.Column("approved_by", sa.String(length=64), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["recipients.id"],
            name=op.f("fk_recipient_exceptions_recipient_id_recipients"),
        ),
        sa.ForeignKeyConstraint(
            ["type_code"],
            ["exception_types.code"],
            name=op.f("fk_recipient_exceptions_type_code_exception_types"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recipient_exceptions")),
    )
    op.create_index(
        op.f("ix_recipient_exceptions_recipient_id"),
        "recipient_exceptions",
        ["recipient_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_recipient_exceptions_recipient_id"), table_name="recipient_exceptions")
    op.drop_table("recipient_exceptions")
    op.drop_table("exception_types")
    op.drop_index(op.f("ix_terms_versions_published_at"), table_name="terms_versions")
    op.drop_table("terms_versions")
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_column("fetch_count")
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.drop_column("reminded_at")
        batch_op.drop_column("expiry_notice_at")
    with op.batch_alter_table("offers", schema=None) as batch_op:
        batch_op.drop_column("starts_at")
