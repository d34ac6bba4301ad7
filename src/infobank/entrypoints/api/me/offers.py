"""The person's offers (提供の申し出): the inbox with full disclosure, accepting (an
explicit consent) and declining."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, status

from infobank.entrypoints.api.deps import ContextDep, CurrentPerson
from infobank.entrypoints.api.listing import Listing, PageDep, listing
from infobank.entrypoints.api.me.consents import consent_public
from infobank.services import consents
from infobank.services.inbox import inbox_page

router = APIRouter(tags=["persons"])


@router.get("/v1/me/offers")
def inbox(
    ctx: ContextDep,
    person: CurrentPerson,
    page: PageDep,
    status: Annotated[
        list[Literal["open", "accepted", "delegated", "declined"]] | None, Query()
    ] = None,
) -> Listing[dict[str, Any]]:
    """Offers for this person with full disclosure, newest first; ``status`` (repeatable)
    keeps only invitations in those states."""
    return listing(inbox_page(ctx, person.id, page, status or ()), dict)


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
