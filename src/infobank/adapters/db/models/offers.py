"""Tables for offers (オファー) and invitations; ethics reviews are in ``reviews``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from infobank.adapters.db.models.base import ID, Base

__all__ = ["InvitationRow", "OfferRow"]


class OfferRow(Base):
    """オファー: what a recipient asks for, and where it is in review."""

    __tablename__ = "offers"
    __table_args__ = (Index("ix_offers_opening_pending", "status", "opening_done_at"),)

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
    # codes of the inference catalogue its profiling infers (NULL: none named)
    profiling_infers: Mapped[list[str] | None] = mapped_column(JSON)
    reprovision_parties: Mapped[list[str]] = mapped_column(JSON)
    target: Mapped[dict[str, object]] = mapped_column(JSON)
    capacity: Mapped[int]
    created_at: Mapped[datetime]
    submitted_at: Mapped[datetime | None]
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    starts_at: Mapped[datetime | None]  # post-dated start of the consents it gathers
    # Opening in batches (resumable): who opened it, how many persons it matched in all, how
    # many were consented for (delegated) or invited so far, and when the last batch ran.
    opened_by: Mapped[str | None] = mapped_column(String(36))
    opening_total: Mapped[int | None]
    opening_delegated: Mapped[int] = mapped_column(Integer, server_default="0", default=0)
    opening_invited: Mapped[int] = mapped_column(Integer, server_default="0", default=0)
    opening_touched_at: Mapped[datetime | None]
    opening_done_at: Mapped[datetime | None]
    # Persons matched but not asked because the rules refuse the recipient itself, and why
    # (reason codes such as "certificate_expired").
    opening_not_invited: Mapped[int] = mapped_column(Integer, server_default="0", default=0)
    opening_held_back: Mapped[list[str] | None] = mapped_column(JSON)
    # Submitted again for a new review (再審査) while approved or open; cleared by the review.
    renewal_requested_at: Mapped[datetime | None]


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
