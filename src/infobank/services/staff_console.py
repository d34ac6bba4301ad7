"""What the staff console shows: recipients under vetting, offers with everything a reviewer
or operator must read. Read models only; every change goes through the use cases
(``businesses``, ``offers``, ``inquiries``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from infobank.domain.identity import Business, Certification, PrincipalKind
from infobank.domain.offers import Offer, Review
from infobank.domain.pages import Page, PageRequest
from infobank.services.context import Context
from infobank.services.disclosure import disclosure

__all__ = [
    "EXPIRY_WARNING_DAYS",
    "OfferView",
    "RecipientView",
    "certificate_state",
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


@dataclass(frozen=True, slots=True)
class OfferView:
    offer: Offer
    disclosure: dict[str, Any]  # exactly what persons are shown
    reviews: tuple[Review, ...]
    suspended: bool


def _views(ctx: Context, statuses: Sequence[str], request: PageRequest) -> Page[OfferView]:
    with ctx.read() as uow:

        def view(offer: Offer) -> OfferView:
            recipient = uow.businesses.get(PrincipalKind.RECIPIENT, offer.recipient_id)
            return OfferView(
                offer=offer,
                disclosure=disclosure(ctx, uow, offer),
                reviews=tuple(uow.offers.reviews(offer.id)),
                suspended=recipient is None or recipient.suspended_at is not None,
            )

        return uow.offers.page(request, statuses=statuses).map(view)


def review_queue(ctx: Context, request: PageRequest) -> Page[OfferView]:
    """Offers waiting for the data ethics board (データ倫理審査会), in full, newest first."""
    return _views(ctx, ("under_review",), request)


def offers_board(ctx: Context, request: PageRequest) -> Page[OfferView]:
    """Offers an operator opens or closes: approved, open, and those already closed."""
    return _views(ctx, ("approved", "open", "closed"), request)
