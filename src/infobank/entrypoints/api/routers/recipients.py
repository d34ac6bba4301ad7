"""The recipient's API (提供先第三者): keys, webhook, offers, deliveries, revocations."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, status

from infobank.domain.errors import InvalidInput
from infobank.domain.offers import Offer, Review, Target
from infobank.entrypoints.api.deps import ContextDep, CurrentRecipient
from infobank.entrypoints.api.loop_schemas import (
    AckRevocation,
    JwkBody,
    OfferCreate,
    OfferPublic,
    WebhookBody,
)
from infobank.services import deliveries, offers, recipients

router = APIRouter(tags=["recipients"])


def offer_public(offer: Offer, reviews: list[Review] | None = None) -> OfferPublic:
    return OfferPublic(
        id=offer.id,
        status=offer.status,
        title=offer.title,
        recipient_id=offer.recipient_id,
        purpose={
            "code": offer.purpose_code,
            "text": offer.purpose_text,
            "justification": offer.justification,
        },
        categories=list(offer.categories),
        benefit={"points": offer.benefit_points},
        retention_days=offer.retention_days,
        consent_duration_days=offer.consent_duration_days,
        fetch={"mode": offer.fetch_mode, "every_days": offer.fetch_every_days},
        data_range_days=offer.data_range_days,
        profiling=offer.profiling,
        reprovision={
            "allowed": bool(offer.reprovision_parties),
            "parties": list(offer.reprovision_parties),
        },
        target=asdict(offer.target),
        capacity=offer.capacity,
        created_at=offer.created_at,
        submitted_at=offer.submitted_at,
        opened_at=offer.opened_at,
        closed_at=offer.closed_at,
        starts_at=offer.starts_at,
        reviews=[
            {
                "decision": r.decision,
                "minutes": r.minutes,
                "conditions": list(r.conditions),
                "decided_at": r.decided_at,
            }
            for r in reviews or []
        ],
    )


@router.put("/v1/recipient/keys")
def put_key(ctx: ContextDep, recipient: CurrentRecipient, body: JwkBody) -> dict[str, Any]:
    """Register the public encryption key (EC P-256 or OKP X25519) for deliveries."""
    return {"jwk": recipients.set_key(ctx, recipient.id, body.jwk)}


@router.put("/v1/recipient/webhook")
def put_webhook(ctx: ContextDep, recipient: CurrentRecipient, body: WebhookBody) -> dict[str, Any]:
    """Set (or clear with null) the URL that receives signed revocation notices."""
    return {"url": recipients.set_webhook(ctx, recipient.id, body.url)}


@router.post("/v1/offers", status_code=status.HTTP_201_CREATED)
def create_offer(ctx: ContextDep, recipient: CurrentRecipient, body: OfferCreate) -> dict[str, str]:
    """Draft an offer; submit it for ethics review with /submit."""
    if body.reprovision.allowed and not body.reprovision.parties:
        raise InvalidInput(
            "onward provision (再提供) must name each onward party", code="reprovision_unnamed"
        )
    parties = tuple(body.reprovision.parties) if body.reprovision.allowed else ()
    draft = Offer(
        id="",
        recipient_id=recipient.id,
        status="draft",
        title=body.title,
        purpose_code=body.purpose.code,
        purpose_text=body.purpose.text,
        justification=body.purpose.justification,
        categories=tuple(dict.fromkeys(body.categories)),
        benefit_points=body.benefit.points,
        retention_days=body.retention_days,
        consent_duration_days=body.consent_duration_days,
        fetch_mode=body.fetch.mode,
        fetch_every_days=body.fetch.every_days,
        data_range_days=body.data_range_days,
        profiling=body.profiling,
        reprovision_parties=parties,
        target=Target(
            age_min=body.target.age_min,
            age_max=body.target.age_max,
            prefectures=tuple(body.target.prefectures),
            genders=tuple(body.target.genders),
        ),
        capacity=body.capacity,
        created_at=datetime.now(UTC),
        starts_at=body.starts_at.astimezone(UTC) if body.starts_at else None,
    )
    created = offers.create_offer(ctx, recipient.id, draft)
    return {"id": created.id, "status": created.status}


@router.post("/v1/offers/{offer_id}/submit")
def submit_offer(ctx: ContextDep, recipient: CurrentRecipient, offer_id: str) -> OfferPublic:
    """Submit a draft: guard-rails are checked (422 with reasons), then ethics review."""
    return offer_public(offers.submit_offer(ctx, offer_id, recipient.id))


@router.get("/v1/offers/{offer_id}")
def get_offer(ctx: ContextDep, recipient: CurrentRecipient, offer_id: str) -> OfferPublic:
    """One of this recipient's offers with its reviews."""
    offer, reviews = offers.get_offer(ctx, offer_id, recipient.id)
    return offer_public(offer, reviews)


@router.get("/v1/offers/{offer_id}/reach")
def offer_reach(ctx: ContextDep, recipient: CurrentRecipient, offer_id: str) -> dict[str, Any]:
    """How many persons the offer's targeting and categories could reach: ``estimate``
    rounded to tens, ``suppressed`` (estimate 0) below the minimum group size."""
    return offers.reach(ctx, offer_id, recipient.id)


@router.get("/v1/deliveries")
def list_deliveries(
    ctx: ContextDep, recipient: CurrentRecipient, status: str | None = None
) -> list[dict[str, Any]]:
    """This recipient's packages (without their contents)."""
    return [
        {
            "id": d.id,
            "consent_id": d.consent_id,
            "sequence": d.sequence,
            "status": d.status,
            "record_count": d.record_count,
            "categories": list(d.categories),
            "digest": d.digest,
            "created_at": d.created_at,
        }
        for d in deliveries.list_deliveries(ctx, recipient.id, status)
    ]


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
def list_revocations(ctx: ContextDep, recipient: CurrentRecipient) -> list[dict[str, Any]]:
    """Stop notices for this recipient, each with the bank-signed notice (JWS)."""
    return [
        {
            "id": r.id,
            "consent_id": r.consent_id,
            "reason": r.reason,
            "notice": r.notice,
            "created_at": r.created_at,
            "acknowledged_at": r.acknowledged_at,
            "ack_method": r.ack_method,
        }
        for r in deliveries.list_revocations(ctx, recipient.id)
    ]


@router.post("/v1/revocations/{revocation_id}/ack")
def ack_revocation(
    ctx: ContextDep, recipient: CurrentRecipient, revocation_id: str, body: AckRevocation
) -> dict[str, Any]:
    """Confirm the data was deleted or de-identified."""
    r = deliveries.acknowledge_revocation(ctx, recipient.id, revocation_id, body.method)
    return {"id": r.id, "acknowledged_at": r.acknowledged_at, "ack_method": r.ack_method}
