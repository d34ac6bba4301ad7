"""mynaportal linkage, identity verification and joint applications

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 12:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "joint_applications",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("recipient_id", sa.String(length=36), nullable=False),
        sa.Column("purposes", sa.JSON(), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("approval_reference", sa.String(length=128), nullable=False),
        sa.Column("approved_on", sa.Date(), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_by", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["recipients.id"],
            name=op.f("fk_joint_applications_recipient_id_recipients"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_joint_applications")),
    )
    with op.batch_alter_table("joint_applications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_joint_applications_recipient_id"), ["recipient_id"], unique=False
        )

    op.create_table(
        "mynaportal_links",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("state_lookup", sa.String(length=64), nullable=False),
        sa.Column("nonce", sa.String(length=128), nullable=False),
        sa.Column("verifier_enc", sa.LargeBinary(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("failure_code", sa.String(length=64), nullable=True),
        sa.Column("token_enc", sa.LargeBinary(), nullable=True),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=True),
        sa.Column("window_end", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_fetched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("renewal_notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_mynaportal_links_person_id_persons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mynaportal_links")),
        sa.UniqueConstraint("state_lookup", name=op.f("uq_mynaportal_links_state_lookup")),
    )
    with op.batch_alter_table("mynaportal_links", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mynaportal_links_person_id"), ["person_id"], unique=False
        )
        batch_op.create_index(
            "ix_mynaportal_links_status_window", ["status", "window_end"], unique=False
        )

    op.create_table(
        "identity_verifications",
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("certificate_serial", sa.String(length=64), nullable=False),
        sa.Column("certificate_issuer", sa.String(length=255), nullable=False),
        sa.Column("certificate_not_after", sa.DateTime(timezone=True), nullable=False),
        sa.Column("card_lookup", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_identity_verifications_person_id_persons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_identity_verifications")),
        sa.UniqueConstraint("card_lookup", name=op.f("uq_identity_verifications_card_lookup")),
    )

    op.create_table(
        "mynaportal_items",
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("item_lookup", sa.String(length=64), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_mynaportal_items_person_id_persons"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["records.id"],
            name=op.f("fk_mynaportal_items_record_id_records"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", "item_lookup", name=op.f("pk_mynaportal_items")),
    )


def downgrade() -> None:
    op.drop_table("mynaportal_items")
    op.drop_table("identity_verifications")
    with op.batch_alter_table("mynaportal_links", schema=None) as batch_op:
        batch_op.drop_index("ix_mynaportal_links_status_window")
        batch_op.drop_index(batch_op.f("ix_mynaportal_links_person_id"))
    op.drop_table("mynaportal_links")
    with op.batch_alter_table("joint_applications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_joint_applications_recipient_id"))
    op.drop_table("joint_applications")
