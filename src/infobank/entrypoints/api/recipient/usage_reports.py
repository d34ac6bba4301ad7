"""Usage reports (利用報告) a recipient files with the data ethics board (データ倫理審査会)
when the board's approval of an offer asks for one."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from infobank.domain.usage_reports import UsageReport
from infobank.entrypoints.api.bodies import Input
from infobank.entrypoints.api.deps import ContextDep, CurrentRecipient
from infobank.services import usage_reports
from infobank.services.usage_reports import MAX_REPORT_CHARS

router = APIRouter(tags=["recipients"])


class UsageReportCreate(Input):
    text: str = Field(min_length=1, max_length=MAX_REPORT_CHARS)


class UsageReportPublic(BaseModel):
    id: str
    offer_id: str
    recipient_id: str
    text: str
    filed_at: datetime


def report_public(report: UsageReport) -> UsageReportPublic:
    return UsageReportPublic(
        id=report.id,
        offer_id=report.offer_id,
        recipient_id=report.recipient_id,
        text=report.text,
        filed_at=report.filed_at,
    )


@router.post("/v1/offers/{offer_id}/reports", status_code=status.HTTP_201_CREATED)
def file_report(
    ctx: ContextDep, recipient: CurrentRecipient, offer_id: str, body: UsageReportCreate
) -> UsageReportPublic:
    """File a usage report on an approved offer; an overdue one pauses deliveries until filed."""
    return report_public(usage_reports.file_report(ctx, recipient.id, offer_id, body.text))
