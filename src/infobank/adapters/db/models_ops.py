"""Tables of operating the bank: incidents (漏えい等事案), usage targets and daily snapshots,
the end of the business (事業終了) and transfers between banks (情報銀行間連携)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from infobank.adapters.db.models import ID, Base

__all__ = [
    "ApiRequestDayRow",
    "BankTerminationRow",
    "ExitChoiceRow",
    "IncidentPersonRow",
    "IncidentRow",
    "TransferInRow",
    "TransferOutRow",
    "UsageSnapshotRow",
    "UsageTargetRow",
]


class IncidentRow(Base):
    """An incident staff recorded, with its regulator report's deadlines and progress."""

    __tablename__ = "incidents"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    summary: Mapped[str] = mapped_column(Text)
    discovered_at: Mapped[datetime]
    target: Mapped[str] = mapped_column(String(16))
    recipient_id: Mapped[str | None] = mapped_column(ID, ForeignKey("recipients.id"), index=True)
    categories: Mapped[list[str]] = mapped_column(JSON)
    period_from: Mapped[datetime]
    period_to: Mapped[datetime]
    cause: Mapped[str] = mapped_column(Text)
    measures: Mapped[str] = mapped_column(Text)
    secondary_damage: Mapped[str] = mapped_column(Text)
    wrongful_intent: Mapped[bool] = mapped_column(Boolean)
    sensitive_involved: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(24), index=True)
    affected_count: Mapped[int] = mapped_column(Integer)
    notified_count: Mapped[int] = mapped_column(Integer)
    recipient_suspended: Mapped[bool] = mapped_column(Boolean)
    created_by: Mapped[str] = mapped_column(ID)
    created_at: Mapped[datetime]
    preliminary_due_at: Mapped[datetime]
    final_due_at: Mapped[datetime]
    preliminary_sent_at: Mapped[datetime | None]
    final_sent_at: Mapped[datetime | None]


class IncidentPersonRow(Base):
    """A person an incident touched (and who was told)."""

    __tablename__ = "incident_persons"

    incident_id: Mapped[str] = mapped_column(ID, ForeignKey("incidents.id"), primary_key=True)
    person_id: Mapped[str] = mapped_column(
        ID, ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class UsageTargetRow(Base):
    """The operator's plan for one month and one metric (users, active consents, …)."""

    __tablename__ = "usage_targets"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    metric: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(64))


class UsageSnapshotRow(Base):
    """Counts taken by the worker when a new day (JST) begins."""

    __tablename__ = "usage_snapshots"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    users: Mapped[int] = mapped_column(Integer)
    active_consents: Mapped[int] = mapped_column(Integer)
    deliveries_total: Mapped[int] = mapped_column(Integer)
    taken_at: Mapped[datetime]


class ApiRequestDayRow(Base):
    """API requests served per day (JST), added up from every process's tally."""

    __tablename__ = "usage_api_requests"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


class BankTerminationRow(Base):
    """The one row of the end of the business, once an operator planned it."""

    __tablename__ = "bank_termination"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    planned_at: Mapped[datetime]
    planned_by: Mapped[str] = mapped_column(String(64))
    deadline: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16))
    counts: Mapped[dict[str, object]] = mapped_column(JSON)
    started_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    final_tree_size: Mapped[int | None] = mapped_column(Integer)


class ExitChoiceRow(Base):
    """What a person chose for their data when the bank closes, and what became of it."""

    __tablename__ = "exit_choices"

    person_id: Mapped[str] = mapped_column(
        ID, ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True
    )
    choice: Mapped[str] = mapped_column(String(16))
    target_url: Mapped[str | None] = mapped_column(String(2048))
    chosen_at: Mapped[datetime]
    outcome: Mapped[str | None] = mapped_column(String(16))
    outcome_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)


class TransferOutRow(Base):
    """A person's data sent to another bank (no personal data: counts and where)."""

    __tablename__ = "transfers_out"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    person_id: Mapped[str] = mapped_column(
        ID, ForeignKey("persons.id", ondelete="CASCADE"), index=True
    )
    target_url: Mapped[str] = mapped_column(String(2048))
    status: Mapped[str] = mapped_column(String(16))
    record_count: Mapped[int] = mapped_column(Integer)
    consent_count: Mapped[int] = mapped_column(Integer)
    remote_id: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class TransferInRow(Base):
    """A bundle from another bank, held encrypted until the person confirms it here."""

    __tablename__ = "transfers_in"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    transfer_ref: Mapped[str] = mapped_column(String(64), unique=True)
    issuer: Mapped[str] = mapped_column(String(2048))
    sender_kid: Mapped[str] = mapped_column(String(256))
    sender_jwks: Mapped[dict[str, object]] = mapped_column(JSON)
    email_lookup: Mapped[str] = mapped_column(String(64), index=True)
    bundle: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    received_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    record_count: Mapped[int] = mapped_column(Integer)
    consent_count: Mapped[int] = mapped_column(Integer)
    person_id: Mapped[str | None] = mapped_column(
        ID, ForeignKey("persons.id", ondelete="CASCADE"), index=True
    )
    imported_at: Mapped[datetime | None]
    history_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
