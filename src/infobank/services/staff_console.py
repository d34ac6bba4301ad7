"""What the staff console shows: recipients under vetting, offers with everything a reviewer
or operator must read. Read models only; every change goes through the use cases
(``businesses``, ``offers``, ``inquiries``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from infobank.domain.identity import Business, Certification, PrincipalKind
from infobank.domain.offers import Offer, Review
from infobank.domain.pages import Page, PageRequest
from infobank.domain.reviews import approval_ends, report_due
from infobank.domain.usage_reports import UsageReport
from infobank.services.context import Context
from infobank.services.disclosure import disclosure
from infobank.services.ports.unit_of_work import UnitOfWork

__all__ = [
    "EXPIRY_WARNING_DAYS",
    "REPORTS_SHOWN",
    "OfferView",
    "RecipientView",
    "certificate_state",
    "offer_view",
    "offers_board",
    "recipient_names",
    "recipients",
    "review_queue",
]

EXPIRY_WARNING_DAYS = 90


def certificate_state(cert: Certification, today: date) -> str:
    """``valid``, ``expiring`` (within 90 days), ``expired`` or ``not_yet`` valid."""
    if today < cert.valid_from:
        return "not_yet"
    if today > cert.valid_until:
        return "expired"
    if (cert.valid_until - today).days <= EXPIRY_WARNING_DAYS:
        return "expiring"
    return "valid"


@dataclass(frozen=True, slots=True)
class RecipientView:
    business: Business
    certifications: tuple[tuple[Certification, str], ...]  # with certificate_state

    @property
    def certified(self) -> bool:
        return any(state in ("valid", "expiring") for _, state in self.certifications)


def recipients(ctx: Context, request: PageRequest) -> Page[RecipientView]:
    """A page of recipients, newest first, with their certificates and how each stands today
    (期限切れの警告)."""
    today = ctx.clock.now().date()
    with ctx.read() as uow:
        return uow.businesses.page(PrincipalKind.RECIPIENT, request).map(
            lambda b: RecipientView(
                business=b,
                certifications=tuple(
                    (c, certificate_state(c, today)) for c in uow.businesses.certifications(b.id)
                ),
            )
        )


def recipient_names(ctx: Context) -> dict[str, str]:
    """Every recipient's name by id (for choosing one in a form)."""
    with ctx.read() as uow:
        return {b.id: b.name for b in uow.businesses.list(PrincipalKind.RECIPIENT)}


REPORTS_SHOWN = 3  # newest usage reports shown with an offer; the rest on their own page


@dataclass(frozen=True, slots=True)
class OfferView:
    offer: Offer
    disclosure: dict[str, Any]  # exactly what persons are shown
    reviews: tuple[Review, ...]
    suspended: bool
    # The approval in force (the last decision, when it approves), when it ends, and the usage
    # report (利用報告) it asks for: ``report`` is None (none asked), "filed", "due" or
    # "overdue"; the newest reports, and whether there are more.
    approval: Review | None = None
    approval_ends: datetime | None = None
    approval_lapsed: bool = False
    report_due: datetime | None = None
    report: str | None = None
    reports: tuple[UsageReport, ...] = ()
    more_reports: bool = False


def _report_state(last_filed: datetime | None, approval: Review, now: datetime) -> str | None:
    due = report_due(approval)
    if due is None or approval.decided_at is None:
        return None
    if last_filed is not None and last_filed >= approval.decided_at:
        return "filed"
    return "overdue" if now >= due else "due"


def offer_view(ctx: Context, uow: UnitOfWork, offer: Offer) -> OfferView:
    """Everything the board, an operator or an auditor reads about one offer."""
    now = ctx.clock.now()
    recipient = uow.businesses.get(PrincipalKind.RECIPIENT, offer.recipient_id)
    reviews = tuple(uow.reviews.for_offer(offer.id))
    approval = reviews[-1] if reviews and reviews[-1].decision == "approve" else None
    ends = approval_ends(approval) if approval else None
    reports = uow.usage_reports.page_for_offer(offer.id, PageRequest(limit=REPORTS_SHOWN))
    last = reports.items[0].filed_at if reports.items else None
    return OfferView(
        offer=offer,
        disclosure=disclosure(ctx, uow, offer),
        reviews=reviews,
        suspended=recipient is None or recipient.suspended_at is not None,
        approval=approval,
        approval_ends=ends,
        approval_lapsed=ends is not None and now >= ends,
        report_due=report_due(approval) if approval else None,
        report=_report_state(last, approval, now) if approval else None,
        reports=tuple(reports.items),
        more_reports=reports.next_cursor is not None,
    )


def _views(
    ctx: Context, statuses: Sequence[str], request: PageRequest, *, renewals: bool = False
) -> Page[OfferView]:
    with ctx.read() as uow:
        page = uow.offers.page(request, statuses=statuses, renewals=renewals)
        return page.map(lambda offer: offer_view(ctx, uow, offer))


def review_queue(ctx: Context, request: PageRequest) -> Page[OfferView]:
    """Offers waiting for the data ethics board (データ倫理審査会), in full, newest first:
    first reviews and renewals (再審査)."""
    return _views(ctx, ("under_review",), request, renewals=True)


def offers_board(ctx: Context, request: PageRequest) -> Page[OfferView]:
    """Offers an operator opens or closes: approved, open, and those already closed."""
    return _views(ctx, ("approved", "open", "closed"), request)
