"""Usage reports (利用報告) as the data ethics board (データ倫理審査会) reads them."""

from __future__ import annotations

from fastapi import APIRouter

from infobank.entrypoints.api.deps import ContextDep, Staff
from infobank.entrypoints.api.listing import Listing, PageDep, listing
from infobank.entrypoints.api.recipient.usage_reports import UsageReportPublic, report_public
from infobank.services import usage_reports

router = APIRouter(tags=["staff"])


@router.get("/v1/admin/offers/{offer_id}/reports")
def offer_reports(
    ctx: ContextDep, _staff: Staff, offer_id: str, page: PageDep
) -> Listing[UsageReportPublic]:
    """An offer's usage reports, newest first (ethics board, operator, auditor)."""
    return listing(usage_reports.reports_page(ctx, offer_id, page), report_public)
