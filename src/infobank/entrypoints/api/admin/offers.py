"""Offers (提供の申し出) as the operator runs them: opening an approved offer (matching,
delegated consents, inbox entries) and closing it to new consents."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from infobank.entrypoints.api.deps import ContextDep, Operator
from infobank.entrypoints.api.recipient.offers import OfferPublic, offer_public
from infobank.services import offers

router = APIRouter(tags=["staff"])


@router.post("/v1/admin/offers/{offer_id}/open")
def open_offer(ctx: ContextDep, staff: Operator, offer_id: str) -> dict[str, Any]:
    """Open an approved offer: matching, delegated consents, inbox entries."""
    return {"offer_id": offer_id, "status": "open", **offers.open_offer(ctx, offer_id, staff.id)}


@router.post("/v1/admin/offers/{offer_id}/close")
def close_offer(ctx: ContextDep, _staff: Operator, offer_id: str) -> OfferPublic:
    """Close an offer to new consents."""
    return offer_public(offers.close_offer(ctx, offer_id))
