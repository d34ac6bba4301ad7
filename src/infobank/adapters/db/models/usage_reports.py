"""Usage reports (利用報告): what a recipient reports to the data ethics board about its use
of an offer's data, when the board's approval asks for one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column

from infobank.adapters.db.models.base import ID, Base

__all__ = ["UsageReportRow"]


class UsageReportRow(Base):
    """One usage report, filed by the offer's recipient."""

    __tablename__ = "usage_reports"
    __table_args__ = (Index("ix_usage_reports_offer_filed", "offer_id", "filed_at", "id"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    offer_id: Mapped[str] = mapped_column(ID, ForeignKey("offers.id"))
    recipient_id: Mapped[str] = mapped_column(ID, ForeignKey("recipients.id"))
    text: Mapped[str] = mapped_column(Text)
    filed_at: Mapped[datetime]
