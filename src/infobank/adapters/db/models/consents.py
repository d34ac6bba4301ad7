"""Tables for consents (同意), their events and delegation rules (委任条件)."""

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

__all__ = ["ConsentEventRow", "ConsentRow", "DelegationRow"]


class DelegationRow(Base):
    """委任条件: a person's standing rules, as JSON."""

    __tablename__ = "delegations"

    person_id: Mapped[str] = mapped_column(
        ID, ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True
    )
    rules: Mapped[list[dict[str, object]]] = mapped_column(JSON)
    updated_at: Mapped[datetime]


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
