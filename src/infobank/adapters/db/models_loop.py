"""Tables of the trust loop (SPEC §5–§7): offers, reviews, consents, deliveries, revocations,
benefits, notifications, jobs, idempotency keys and the transparency log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from infobank.adapters.db.models import ID, Base

__all__ = [
    "ConsentEventRow",
    "ConsentRow",
    "DelegationRow",
    "DeliveredRecordRow",
    "DeliveryRow",
    "IdempotencyRow",
    "InvitationRow",
    "JobRow",
    "LedgerEntryRow",
    "LedgerTxnRow",
    "LogLeafRow",
    "LogNodeRow",
    "LogStateRow",
    "NotificationRow",
    "OfferRow",
    "RecipientKeyRow",
    "ReviewRow",
    "RevocationRow",
    "TreeHeadRow",
]


class RecipientKeyRow(Base):
    """The recipient's public encryption key (JWK) and optional webhook URL."""

    __tablename__ = "recipient_endpoints"

    recipient_id: Mapped[str] = mapped_column(ID, ForeignKey("recipients.id"), primary_key=True)
    jwk: Mapped[dict[str, object] | None] = mapped_column(JSON)
    webhook_url: Mapped[str | None] = mapped_column(String(2048))
    updated_at: Mapped[datetime]


class OfferRow(Base):
    """オファー: what a recipient asks for, and where it is in review."""

    __tablename__ = "offers"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    recipient_id: Mapped[str] = mapped_column(ID, ForeignKey("recipients.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    title: Mapped[str]
    purpose_code: Mapped[str] = mapped_column(String(64))
    purpose_text: Mapped[str] = mapped_column(Text)
    justification: Mapped[str | None] = mapped_column(String(32))
    categories: Mapped[list[str]] = mapped_column(JSON)
    benefit_points: Mapped[int]
    retention_days: Mapped[int]
    consent_duration_days: Mapped[int]
    fetch_mode: Mapped[str] = mapped_column(String(16))
    fetch_every_days: Mapped[int | None]
    data_range_days: Mapped[int | None]
    profiling: Mapped[bool] = mapped_column(Boolean)
    reprovision_parties: Mapped[list[str]] = mapped_column(JSON)
    target: Mapped[dict[str, object]] = mapped_column(JSON)
    capacity: Mapped[int]
    created_at: Mapped[datetime]
    submitted_at: Mapped[datetime | None]
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    starts_at: Mapped[datetime | None]  # post-dated start of the consents it gathers


class ReviewRow(Base):
    """A data ethics board (データ倫理審査会) decision, with who, when and the minutes."""

    __tablename__ = "reviews"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    offer_id: Mapped[str] = mapped_column(ID, ForeignKey("offers.id"), index=True)
    reviewer_id: Mapped[str] = mapped_column(ID, ForeignKey("staff.id"))
    decision: Mapped[str] = mapped_column(String(16))
    minutes: Mapped[str] = mapped_column(Text)
    conditions: Mapped[list[str]] = mapped_column(JSON)
    decided_at: Mapped[datetime]


class DelegationRow(Base):
    """委任条件: a person's standing rules, as JSON."""

    __tablename__ = "delegations"

    person_id: Mapped[str] = mapped_column(
        ID, ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True
    )
    rules: Mapped[list[dict[str, object]]] = mapped_column(JSON)
    updated_at: Mapped[datetime]


class InvitationRow(Base):
    """An offer waiting in (or answered from) a person's inbox."""

    __tablename__ = "invitations"
    __table_args__ = (UniqueConstraint("offer_id", "person_id"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    offer_id: Mapped[str] = mapped_column(ID, ForeignKey("offers.id"))
    person_id: Mapped[str] = mapped_column(
        ID, ForeignKey("persons.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(16))  # open | accepted | declined | delegated
    created_at: Mapped[datetime]
    responded_at: Mapped[datetime | None]


class ConsentRow(Base):
    """同意: the immutable signed artefact plus its mutable status and usage beside it."""

    __tablename__ = "consents"
    __table_args__ = (
        UniqueConstraint("offer_id", "person_id"),
        Index("ix_consents_recipient_status", "recipient_id", "status"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    person_id: Mapped[str] = mapped_column(
        ID, ForeignKey("persons.id", ondelete="CASCADE"), index=True
    )
    recipient_id: Mapped[str] = mapped_column(ID, ForeignKey("recipients.id"))
    offer_id: Mapped[str] = mapped_column(ID, ForeignKey("offers.id"))
    mode: Mapped[str] = mapped_column(String(16))
    artefact: Mapped[dict[str, object]] = mapped_column(JSON)
    jws: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)
    start: Mapped[datetime]
    expiry: Mapped[datetime]
    next_delivery_at: Mapped[datetime | None] = mapped_column(index=True)
    use_count: Mapped[int] = mapped_column(Integer, default=0)
    last_used_at: Mapped[datetime | None]
    status_changed_at: Mapped[datetime]
    created_at: Mapped[datetime]
    log_index: Mapped[int | None]
    expiry_notice_at: Mapped[datetime | None]  # the person was told it ends soon
    reminded_at: Mapped[datetime | None]  # the last 90-day reminder


class ConsentEventRow(Base):
    """Every status change of a consent, with when and by whom."""

    __tablename__ = "consent_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    consent_id: Mapped[str] = mapped_column(ID, ForeignKey("consents.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime]
    log_index: Mapped[int | None]


class DeliveryRow(Base):
    """提供: one sealed package (JWS inside JWE) for a recipient under a consent."""

    __tablename__ = "deliveries"
    __table_args__ = (
        Index("ix_deliveries_recipient_status", "recipient_id", "status"),
        UniqueConstraint("consent_id", "sequence"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    consent_id: Mapped[str] = mapped_column(ID, ForeignKey("consents.id"), index=True)
    recipient_id: Mapped[str] = mapped_column(ID, ForeignKey("recipients.id"))
    person_id: Mapped[str] = mapped_column(ID, ForeignKey("persons.id", ondelete="CASCADE"))
    sequence: Mapped[int]
    status: Mapped[str] = mapped_column(String(16))  # ready | fetched | acknowledged | withdrawn
    jwe: Mapped[str | None] = mapped_column(Text)
    digest: Mapped[str] = mapped_column(String(64))
    record_count: Mapped[int]
    categories: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime]
    fetched_at: Mapped[datetime | None]
    acknowledged_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    log_index: Mapped[int | None]
    fetch_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class DeliveredRecordRow(Base):
    """Which records a consent's packages carried, so each is provided once and none is
    skipped, whatever order concurrent writers commit in."""

    __tablename__ = "delivered_records"

    consent_id: Mapped[str] = mapped_column(ID, ForeignKey("consents.id"), primary_key=True)
    record_id: Mapped[str] = mapped_column(
        ID, ForeignKey("records.id", ondelete="CASCADE"), primary_key=True
    )
    delivery_id: Mapped[str] = mapped_column(ID, ForeignKey("deliveries.id"))


class RevocationRow(Base):
    """A stop notice (提供停止) for a recipient, until it confirms deletion."""

    __tablename__ = "revocations"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    consent_id: Mapped[str] = mapped_column(ID, ForeignKey("consents.id"), unique=True)
    recipient_id: Mapped[str] = mapped_column(ID, ForeignKey("recipients.id"), index=True)
    reason: Mapped[str] = mapped_column(String(32))
    notice: Mapped[str] = mapped_column(Text)  # the signed JWS sent to the recipient
    created_at: Mapped[datetime]
    acknowledged_at: Mapped[datetime | None]
    ack_method: Mapped[str | None] = mapped_column(String(16))
    webhook_delivered_at: Mapped[datetime | None]


class LedgerTxnRow(Base):
    """A balanced ledger transaction; ``key`` makes each credit happen exactly once."""

    __tablename__ = "ledger_txns"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    key: Mapped[str] = mapped_column(String(128), unique=True)
    memo: Mapped[str]
    at: Mapped[datetime]


class LedgerEntryRow(Base):
    """One leg of a transaction; the legs of a transaction sum to zero."""

    __tablename__ = "ledger_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    txn_id: Mapped[str] = mapped_column(ID, ForeignKey("ledger_txns.id"), index=True)
    account: Mapped[str] = mapped_column(String(80), index=True)
    amount: Mapped[int]


class NotificationRow(Base):
    """A message to a person: receipts, delegated consents, expiry, reminders."""

    __tablename__ = "notifications"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    person_id: Mapped[str] = mapped_column(
        ID, ForeignKey("persons.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    params: Mapped[dict[str, object]] = mapped_column(JSON)
    created_at: Mapped[datetime]
    read_at: Mapped[datetime | None]


class JobRow(Base):
    """Background work (deliveries, webhooks): polled with FOR UPDATE SKIP LOCKED."""

    __tablename__ = "jobs"
    __table_args__ = (
        Index("ix_jobs_due", "done_at", "run_at"),
        UniqueConstraint("kind", "dedupe_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32))
    dedupe_key: Mapped[str] = mapped_column(String(128))
    payload: Mapped[dict[str, object]] = mapped_column(JSON)
    run_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    done_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class IdempotencyRow(Base):
    """A business POST's response, replayed when the same Idempotency-Key comes again."""

    __tablename__ = "idempotency_keys"

    principal: Mapped[str] = mapped_column(String(80), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int]
    body: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]


class LogStateRow(Base):
    """The one row holding the transparency log's size; appends lock it to take turns."""

    __tablename__ = "log_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    size: Mapped[int]


class LogLeafRow(Base):
    """A transparency log leaf: canonical JSON without personal data in the clear."""

    __tablename__ = "log_leaves"

    idx: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    leaf: Mapped[str] = mapped_column(Text)
    leaf_hash: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]


class LogNodeRow(Base):
    """A complete subtree hash of the Merkle tree, so proofs need O(log n) reads."""

    __tablename__ = "log_nodes"

    level: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    idx: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    hash: Mapped[bytes] = mapped_column(LargeBinary)


class TreeHeadRow(Base):
    """A signed tree head (STH)."""

    __tablename__ = "tree_heads"

    tree_size: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    root_hash: Mapped[str] = mapped_column(String(64))
    timestamp: Mapped[datetime]
    signature: Mapped[str] = mapped_column(Text)
