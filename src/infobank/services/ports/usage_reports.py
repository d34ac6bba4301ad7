"""The port for usage reports (利用報告) recipients file with the data ethics board."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from infobank.domain.pages import Page, PageRequest
from infobank.domain.usage_reports import UsageReport

__all__ = ["UsageReports"]


class UsageReports(Protocol):
    def add(self, report: UsageReport) -> None:
        """Record a report; the policy facts' version moves on with it (it may end a pause)."""

    def page_for_offer(self, offer_id: str, request: PageRequest) -> Page[UsageReport]: ...

    def last_filed_at(self, offer_id: str) -> datetime | None: ...
