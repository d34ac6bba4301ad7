"""operations: incidents, usage targets and snapshots, the end of the business, transfers
between banks, and help desk assignment and first replies

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("inquiries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("assigned_to", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("assigned_at", _TS, nullable=True))
        batch_op.add_column(sa.Column("first_replied_at", _TS, nullable=True))
        batch_op.create_index(batch_op.f("ix_inquiries_assigned_to"), ["assigned_to"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_inquiries_assigned_to_staff"), "staff", ["assigned_to"], ["id"]
        )
    # Inquiries answered before this revision: their first reply is their first staff message.
    op.execute(
        "UPDATE inquiries SET first_replied_at = (SELECT min(m.created_at) FROM inquiry_messages m"
        " WHERE m.inquiry_id = inquiries.id AND m.author_kind = 'staff')"
    )

    op.create_table(
        "incidents",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("discovered_at", _TS, nullable=False),
        sa.Column("target", sa.String(length=16), nullable=False),
        sa.Column("recipient_id", sa.String(length=36), nullable=True),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("period_from", _TS, nullable=False),
        sa.Column("period_to", _TS, nullable=False),
        sa.Column("cause", sa.Text(), nullable=False),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.Column("secondary_damage", sa.Text(), nullable=False),
        sa.Column("wrongful_intent", sa.Boolean(), nullable=False),
        sa.Column("sensitive_involved", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("affected_count", sa.Integer(), nullable=False),
        sa.Column("notified_count", sa.Integer(), nullable=False),
        sa.Column("recipient_suspended", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("preliminary_due_at", _TS, nullable=False),
        sa.Column("final_due_at", _TS, nullable=False),
        sa.Column("preliminary_sent_at", _TS, nullable=True),
        sa.Column("final_sent_at", _TS, nullable=True),
        sa.ForeignKeyConstraint(
            ["recipient_id"], ["recipients.id"], name=op.f("fk_incidents_recipient_id_recipients")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incidents")),
    )
    op.create_index(op.f("ix_incidents_recipient_id"), "incidents", ["recipient_id"])
    op.create_index(op.f("ix_incidents_status"), "incidents", ["status"])
    op.create_table(
        "incident_persons",
        sa.Column("incident_id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_incident_persons_incident_id_incidents"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_incident_persons_person_id_persons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("incident_id", "person_id", name=op.f("pk_incident_persons")),
    )
    op.create_index(op.f("ix_incident_persons_person_id"), "incident_persons", ["person_id"])

    op.create_table(
        "usage_targets",
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("metric", sa.String(length=32), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("month", "metric", name=op.f("pk_usage_targets")),
    )
    op.create_table(
        "usage_snapshots",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("users", sa.Integer(), nullable=False),
        sa.Column("active_consents", sa.Integer(), nullable=False),
        sa.Column("deliveries_total", sa.Integer(), nullable=False),
        sa.Column("taken_at", _TS, nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_usage_snapshots")),
    )
    op.create_table(
        "usage_api_requests",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_usage_api_requests")),
    )

    op.create_table(
        "bank_termination",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("planned_at", _TS, nullable=False),
        sa.Column("planned_by", sa.String(length=64), nullable=False),
        sa.Column("deadline", _TS, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("started_at", _TS, nullable=True),
        sa.Column("completed_at", _TS, nullable=True),
        sa.Column("final_tree_size", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_termination")),
    )
    op.create_table(
        "exit_choices",
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("choice", sa.String(length=16), nullable=False),
        sa.Column("target_url", sa.String(length=2048), nullable=True),
        sa.Column("chosen_at", _TS, nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("outcome_at", _TS, nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_exit_choices_person_id_persons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_exit_choices")),
    )
    op.create_table(
        "transfers_out",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("target_url", sa.String(length=2048), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("record_count", sa.Integer(), nullable=False),
        sa.Column("consent_count", sa.Integer(), nullable=False),
        sa.Column("remote_id", sa.String(length=64), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("sent_at", _TS, nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_transfers_out_person_id_persons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfers_out")),
    )
    op.create_index(op.f("ix_transfers_out_person_id"), "transfers_out", ["person_id"])
    op.create_table(
        "transfers_in",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("transfer_ref", sa.String(length=64), nullable=False),
        sa.Column("issuer", sa.String(length=2048), nullable=False),
        sa.Column("sender_kid", sa.String(length=256), nullable=False),
        sa.Column("sender_jwks", sa.JSON(), nullable=False),
        sa.Column("email_lookup", sa.String(length=64), nullable=False),
        sa.Column("bundle", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("received_at", _TS, nullable=False),
        sa.Column("expires_at", _TS, nullable=False),
        sa.Column("record_count", sa.Integer(), nullable=False),
        sa.Column("consent_count", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=True),
        sa.Column("imported_at", _TS, nullable=True),
        sa.Column("history_enc", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_transfers_in_person_id_persons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfers_in")),
        sa.UniqueConstraint("transfer_ref", name=op.f("uq_transfers_in_transfer_ref")),
    )
    op.create_index(op.f("ix_transfers_in_email_lookup"), "transfers_in", ["email_lookup"])
    op.create_index(op.f("ix_transfers_in_person_id"), "transfers_in", ["person_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_transfers_in_person_id"), table_name="transfers_in")
    op.drop_index(op.f("ix_transfers_in_email_lookup"), table_name="transfers_in")
    op.drop_table("transfers_in")
    op.drop_index(op.f("ix_transfers_out_person_id"), table_name="transfers_out")
    op.drop_table("transfers_out")
    op.drop_table("exit_choices")
    op.drop_table("bank_termination")
    op.drop_table("usage_api_requests")
    op.drop_table("usage_snapshots")
    op.drop_table("usage_targets")
    op.drop_index(op.f("ix_incident_persons_person_id"), table_name="incident_persons")
    op.drop_table("incident_persons")
    op.drop_index(op.f("ix_incidents_status"), table_name="incidents")
    op.drop_index(op.f("ix_incidents_recipient_id"), table_name="incidents")
    op.drop_table("incidents")
    with op.batch_alter_table("inquiries", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_inquiries_assigned_to_staff"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_inquiries_assigned_to"))
        batch_op.drop_column("first_replied_at")
        batch_op.drop_column("assigned_at")
        batch_op.drop_column("assigned_to")
