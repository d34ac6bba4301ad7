"""Tables for transfers between banks, outgoing and incoming."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from infobank.adapters.db.models.base import ID, Base

__all__ = ["TransferInRow", "TransferOutRow"]


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
