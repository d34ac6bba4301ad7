"""SQLAlchemy repository of usage reports (利用報告). Rows in, domain values out."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from infobank.adapters.db import models as m
from infobank.adapters.db.paging import page_of
from infobank.adapters.db.repos.policy import policy_changed
from infobank.domain.pages import Page, PageRequest
from infobank.domain.usage_reports import UsageReport

__all__ = ["SqlAlchemyUsageReports"]


def _report(row: m.UsageReportRow) -> UsageReport:
    return UsageReport(
        id=row.id,
        offer_id=row.offer_id,
        recipient_id=row.recipient_id,
        text=row.text,
        filed_at=row.filed_at,
    )


class SqlAlchemyUsageReports:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, report: UsageReport) -> None:
        policy_changed(self.session)  # a report filed may end a pause of deliveries
        self.session.add(
            m.UsageReportRow(
                id=report.id,
                offer_id=report.offer_id,
                recipient_id=report.recipient_id,
                text=report.text,
                filed_at=report.filed_at,
            )
        )

    def page_for_offer(self, offer_id: str, request: PageRequest) -> Page[UsageReport]:
        row = m.UsageReportRow
        query = select(row).where(row.offer_id == offer_id)
        return page_of(self.session, query, row.filed_at, row.id, request, _report)

    def last_filed_at(self, offer_id: str) -> datetime | None:
        row = m.UsageReportRow
        return self.session.scalar(select(func.max(row.filed_at)).where(row.offer_id == offer_id))
