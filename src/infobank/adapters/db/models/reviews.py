"""Tables for the data ethics board's (データ倫理審査会) decisions on offers: the minutes,
free-text notes, and each structured condition in a column of its own (審査会の条件), so that
an auditor can query them and the database holds their types."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from infobank.adapters.db.models.base import ID, Base

__all__ = ["ReviewRow"]


class ReviewRow(Base):
    """A data ethics board (データ倫理審査会) decision, with who, when and the minutes."""

    __tablename__ = "reviews"
    __table_args__ = (UniqueConstraint("offer_id", "seq"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    offer_id: Mapped[str] = mapped_column(ID, ForeignKey("offers.id"), index=True)
    seq: Mapped[int]  # 1 for the offer's first decision, 2 for the next: the last is in force
    reviewer_id: Mapped[str] = mapped_column(ID, ForeignKey("staff.id"))
    decision: Mapped[str] = mapped_column(String(16))
    minutes: Mapped[str] = mapped_column(Text)
    notes: Mapped[list[str]] = mapped_column(JSON)  # free-text conditions
    decided_at: Mapped[datetime]
    # The conditions the rules check; NULL (or an empty list) sets none.
    max_retention_days: Mapped[int | None]
    profiling_allowed: Mapped[bool | None]
    target_age_min: Mapped[int | None]
    target_age_max: Mapped[int | None]
    target_prefectures: Mapped[list[str] | None] = mapped_column(JSON)
    capacity_max: Mapped[int | None]
    approval_valid_until: Mapped[date | None]
    report_after_days: Mapped[int | None]
