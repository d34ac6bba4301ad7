"""Usage reports (利用報告): what a recipient tells the data ethics board (データ倫理審査会)
about its use of an offer's data, when the board's approval asks for one within some days
(``report_after_days``, see ``domain/reviews.py``). A report overdue pauses deliveries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["UsageReport"]


@dataclass(frozen=True, slots=True)
class UsageReport:
    id: str
    offer_id: str
    recipient_id: str
    text: str
    filed_at: datetime
