"""The person's offers (提供の申し出): the inbox with full disclosure, accepting (an
explicit consent) and declining."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status

from infobank.entrypoints.api.deps import ContextDep, CurrentPerson
from infobank.entrypoints.api.me.consents import consent_public
from infobank.services import consents, offers

router = APIRouter(tags=["persons"])


@router.get("/v1/me/offers")
def inbox(ctx: ContextDep, person: CurrentPerson) -> list[dict[str, Any]]:
    """Offers for this person, with full disclosure."""
    return offers.inbox(ctx, person.id)


@router.post("/v1/me/offers/{offer_id}/accept", status_code=status.HTTP_201_CREATED)
def accept(ctx: ContextDep, person: CurrentPerson, offer_id: str) -> dict[str, Any]:
    """Consent explicitly to an offer; returns the consent."""
    consent = consents.accept(ctx, person.id, offer_id)
    return {**consent_public(consent), "artefact": consent.jws}


@router.post("/v1/me/offers/{offer_id}/decline")
def decline(ctx: ContextDep, person: CurrentPerson, offer_id: str) -> dict[str, str]:
    """Decline an offer."""
    consents.decline(ctx, person.id, offer_id)
    return {"offer_id": offer_id, "status": "declined"}
