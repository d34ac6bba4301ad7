"""Tables for deliveries (提供), the records each one carried, recipients' keys and
revocations (提供停止)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from infobank.adapters.db.models.base import ID, Base

__all__ = ["DeliveredRecordRow", "DeliveryRow", "RecipientKeyRow", "RevocationRow"]


class RecipientKeyRow(Base):
    """The recipient's public encryption key (JWK) and optional webhook URL."""

    __tablename__ = "recipient_endpoints"

    recipient_id: Mapped[str] = mapped_column(ID, ForeignKey("recipients.id"), primary_key=True)
    jwk: Mapped[dict[str, object] | None] = mapped_column(JSON)
    webhook_url: Mapped[str | None] = mapped_column(String(2048))
    updated_at: Mapped[datetime]


class DeliveryRow(Base):
    """提供: one sealed package (JWS inside JWE) for a recipient under a consent."""

    __tablename__ = "deliveries"
    __table_args__ = (
        Index("ix_deliveries_recipient_status", "recipient_id", "status"),
        Index("ix_deliveries_recipient_page", "recipient_id", "created_at", "id"),  # newest first
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
