"""Usage reports (利用報告): a recipient files one with the data ethics board when the board's
approval asks for it (``report_after_days``); the board reads them. While a report is overdue
``offer.reviewed`` pauses the offer's deliveries; filing one ends the pause at once, because
the report moves the policy facts' version on in the same transaction."""

from __future__ import annotations

import uuid

from infobank.domain.errors import Conflict, InvalidInput, NotFound
from infobank.domain.pages import Page, PageRequest
from infobank.domain.usage_reports import UsageReport
from infobank.services.context import Context

__all__ = ["MAX_REPORT_CHARS", "file_report", "reports_page"]

MAX_REPORT_CHARS = 20000


def file_report(ctx: Context, recipient_id: str, offer_id: str, text: str) -> UsageReport:
    """The recipient reports on its use of an offer the board approved."""
    text = text.strip()
    if not text:
        raise InvalidInput("the report needs some text", code="report_empty")
    if len(text) > MAX_REPORT_CHARS:
        raise InvalidInput(f"a report holds at most {MAX_REPORT_CHARS} characters")
    now = ctx.clock.now()
    with ctx.uow() as uow:
        offer = uow.offers.get(offer_id, for_update=True)
        # Another recipient's offer is answered exactly like a missing one.
        if offer is None or offer.recipient_id != recipient_id:
            raise NotFound("no such offer")
        if not any(r.decision == "approve" for r in uow.reviews.for_offer(offer_id)):
            raise Conflict(
                "the data ethics board has not approved this offer; there is nothing to report",
                code="offer_state",
            )
        report = UsageReport(
            id=str(uuid.uuid4()),
            offer_id=offer_id,
            recipient_id=recipient_id,
            text=text,
            filed_at=now,
        )
        uow.usage_reports.add(report)
        uow.commit()
    return report


def reports_page(ctx: Context, offer_id: str, request: PageRequest) -> Page[UsageReport]:
    """One page of an offer's usage reports, newest first (for the board and auditors)."""
    with ctx.read() as uow:
        if uow.offers.get(offer_id) is None:
            raise NotFound("no such offer")
        return uow.usage_reports.page_for_offer(offer_id, request)
