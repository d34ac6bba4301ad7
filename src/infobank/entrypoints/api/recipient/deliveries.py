"""What the recipient (提供先第三者) receives: sealed packages (deliveries) to fetch and
acknowledge, and stop notices (revocations) to confirm by deleting or de-identifying."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter

from infobank.domain.deliveries import Delivery, Revocation
from infobank.entrypoints.api.bodies import Input
from infobank.entrypoints.api.deps import ContextDep, CurrentRecipient
from infobank.entrypoints.api.listing import Listing, PageDep, listing
from infobank.services import deliveries

router = APIRouter(tags=["recipients"])


class AckRevocation(Input):
    method: Literal["deleted", "deidentified"]


@router.get("/v1/deliveries")
def list_deliveries(
    ctx: ContextDep, recipient: CurrentRecipient, page: PageDep, status: str | None = None
) -> Listing[dict[str, Any]]:
    """This recipient's packages (without their contents), newest first."""
    return listing(deliveries.list_deliveries(ctx, recipient.id, status, page), _delivery)


def _delivery(d: Delivery) -> dict[str, Any]:
    return {
        "id": d.id,
        "consent_id": d.consent_id,
        "sequence": d.sequence,
        "status": d.status,
        "record_count": d.record_count,
        "categories": list(d.categories),
        "digest": d.digest,
        "created_at": d.created_at,
    }


@router.get("/v1/deliveries/{delivery_id}")
def get_delivery(ctx: ContextDep, recipient: CurrentRecipient, delivery_id: str) -> dict[str, Any]:
    """The sealed package (JWE around the bank's JWS); 410 once the person stopped it."""
    delivery = deliveries.fetch(ctx, recipient.id, delivery_id)
    return {"id": delivery.id, "consent_id": delivery.consent_id, "jwe": delivery.jwe}


@router.post("/v1/deliveries/{delivery_id}/ack")
def ack_delivery(ctx: ContextDep, recipient: CurrentRecipient, delivery_id: str) -> dict[str, Any]:
    """Confirm receipt of a fetched package."""
    d = deliveries.acknowledge(ctx, recipient.id, delivery_id)
    return {"id": d.id, "status": d.status, "acknowledged_at": d.acknowledged_at}


@router.get("/v1/revocations")
def list_revocations(
    ctx: ContextDep, recipient: CurrentRecipient, page: PageDep
) -> Listing[dict[str, Any]]:
    """Stop notices for this recipient, newest first, each with the bank-signed notice (JWS)."""
    return listing(deliveries.list_revocations(ctx, recipient.id, page), _revocation)


def _revocation(r: Revocation) -> dict[str, Any]:
    return {
        "id": r.id,
        "consent_id": r.consent_id,
        "reason": r.reason,
        "notice": r.notice,
        "created_at": r.created_at,
        "acknowledged_at": r.acknowledged_at,
        "ack_method": r.ack_method,
    }


@router.post("/v1/revocations/{revocation_id}/ack")
def ack_revocation(
    ctx: ContextDep, recipient: CurrentRecipient, revocation_id: str, body: AckRevocation
) -> dict[str, Any]:
    """Confirm the data was deleted or de-identified."""
    r = deliveries.acknowledge_revocation(ctx, recipient.id, revocation_id, body.method)
    return {"id": r.id, "acknowledged_at": r.acknowledged_at, "ack_method": r.ack_method}
