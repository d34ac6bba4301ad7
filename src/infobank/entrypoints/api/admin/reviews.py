"""The ethics review (倫理審査) of offers: the queue waiting for the data ethics board
(データ倫理審査会), and its decisions with minutes and conditions."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from pydantic import Field

from infobank.entrypoints.api.bodies import Input
from infobank.entrypoints.api.deps import ContextDep, Ethics, Staff
from infobank.entrypoints.api.listing import Listing, PageDep, listing
from infobank.entrypoints.api.recipient.offers import OfferPublic, offer_public
from infobank.services import offers

router = APIRouter(tags=["staff"])


class ReviewCreate(Input):
    decision: Literal["approve", "reject"]
    minutes: str = Field(min_length=1, max_length=20000)
    conditions: list[str] = Field(default_factory=list, max_length=50)


@router.get("/v1/admin/reviews")
def review_queue(ctx: ContextDep, _staff: Staff, page: PageDep) -> Listing[OfferPublic]:
    """Offers waiting for the data ethics board (データ倫理審査会), newest first."""
    return listing(offers.review_queue(ctx, page), offer_public)


@router.post("/v1/admin/offers/{offer_id}/review")
def review(ctx: ContextDep, member: Ethics, offer_id: str, body: ReviewCreate) -> dict[str, Any]:
    """Approve or reject an offer, with minutes and optional conditions (ethics role)."""
    r = offers.review_offer(ctx, offer_id, member.id, body.decision, body.minutes, body.conditions)
    return {"offer_id": offer_id, "decision": r.decision, "decided_at": r.decided_at}
