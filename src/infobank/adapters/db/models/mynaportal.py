"""Tables of the Mynaportal connector and the intermediary's joint applications (連名申請)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from infobank.adapters.db.models.base import ID, Base

__all__ = [
    "IdentityVerificationRow",
    "JointApplicationRow",
    "MynaportalItemRow",
    "MynaportalLinkRow",
]


class JointApplicationRow(Base):
    """連名申請: a recipient approved for these purposes and categories of Mynaportal data."""

    __tablename__ = "joint_applications"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    recipient_id: Mapped[str] = mapped_column(ID, ForeignKey("recipients.id"), index=True)
    purposes: Mapped[list[str]] = mapped_column(JSON)
    categories: Mapped[list[str]] = mapped_column(JSON)
    approval_reference: Mapped[str] = mapped_column(String(128))
    approved_on: Mapped[date]
    created_by: Mapped[str] = mapped_column(ID)
    created_at: Mapped[datetime]
    withdrawn_at: Mapped[datetime | None]
    withdrawn_by: Mapped[str | None] = mapped_column(ID)


class MynaportalLinkRow(Base):
    """One linkage attempt; secrets (PKCE verifier, access token) sealed under the person's key."""

    __tablename__ = "mynaportal_links"
    __table_args__ = (Index("ix_mynaportal_links_status_window", "status", "window_end"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    person_id: Mapped[str] = mapped_column(
        ID, ForeignKey("persons.id", ondelete="CASCADE"), index=True
    )
    state_lookup: Mapped[str] = mapped_column(String(64), unique=True)
    nonce: Mapped[str] = mapped_column(String(128))
    verifier_enc: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(16))
    failure_code: Mapped[str | None] = mapped_column(String(64))
    token_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    window_start: Mapped[datetime | None]
    window_end: Mapped[datetime | None]
    last_fetched_at: Mapped[datetime | None]
    renewal_notified_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]


class IdentityVerificationRow(Base):
    """本人確認 by the My Number card; ``card_lookup`` keeps one card to one account."""

    __tablename__ = "identity_verifications"

    person_id: Mapped[str] = mapped_column(
        ID, ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True
    )
    method: Mapped[str] = mapped_column(String(32))
    verified_at: Mapped[datetime]
    certificate_serial: Mapped[str] = mapped_column(String(64))
    certificate_issuer: Mapped[str] = mapped_column(String(255))
    certificate_not_after: Mapped[datetime]
    card_lookup: Mapped[str] = mapped_column(String(64), unique=True)


class MynaportalItemRow(Base):
    """Which Mynaportal items a person already holds (keyed hash of the item id), so a
    refetch adds only what is new."""

    __tablename__ = "mynaportal_items"

    person_id: Mapped[str] = mapped_column(
        ID, ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True
    )
    item_lookup: Mapped[str] = mapped_column(String(64), primary_key=True)
    record_id: Mapped[str] = mapped_column(ID, ForeignKey("records.id", ondelete="CASCADE"))
    created_at: Mapped[datetime]
