"""The data ethics board's review (倫理審査) of offers: the queue of offers waiting for it,
first reviews and renewals (再審査) alike, and its decisions with minutes, free-text notes and
the structured conditions the rules check (``offer.reviewed``)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from infobank.domain.errors import InvalidInput, NotFound
from infobank.domain.offers import Offer, review_transition
from infobank.domain.pages import Page, PageRequest
from infobank.domain.reviews import NO_CONDITIONS, Conditions, Review, check_conditions
from infobank.services.context import Context

__all__ = ["review_offer", "review_queue"]


def review_queue(ctx: Context, request: PageRequest) -> Page[Offer]:
    """Offers waiting for the ethics board, one page, newest first: those under review and
    approved or open ones submitted again for a new review."""
    with ctx.read() as uow:
        return uow.offers.page(request, statuses=("under_review",), renewals=True)


def review_offer(
    ctx: Context,
    offer_id: str,
    reviewer_id: str,
    decision: str,
    minutes: str,
    notes: Sequence[str] = (),
    *,
    conditions: Conditions = NO_CONDITIONS,
) -> Review:
    """An ethics board decision; minutes are required and kept with who and when. An approval
    may set ``conditions`` (checked, from then on, at opening, at every consent and at every
    delivery); ``notes`` are free-text conditions kept beside the minutes. Deciding a renewal
    puts the new approval and its conditions in force, or rejects the offer."""
    if decision not in ("approve", "reject"):
        raise InvalidInput("decision must be approve or reject")
    if not minutes.strip():
        raise InvalidInput("minutes are required", code="minutes_required")
    now = ctx.clock.now()
    check_conditions(decision, conditions, now.date())
    with ctx.uow() as uow:
        offer = uow.offers.get(offer_id, for_update=True)
        if offer is None:
            raise NotFound("no such offer")
        status = review_transition(offer, decision)
        review = Review(
            id=str(uuid.uuid4()),
            offer_id=offer_id,
            reviewer_id=reviewer_id,
            decision=decision,
            minutes=minutes.strip(),
            conditions=conditions,
            notes=tuple(n.strip() for n in notes if n.strip()),
            decided_at=now,
        )
        uow.reviews.add(review)
        if status != offer.status:
            uow.offers.set_status(offer_id, status, now)
        if offer.renewal_requested_at is not None:
            uow.offers.set_renewal(offer_id, None)
        uow.commit()
    return review
