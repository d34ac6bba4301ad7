"""Staff API of the trust loop: the ethics review queue, opening and closing offers, explain."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter

from infobank.domain.identity import Principal, StaffRole
from infobank.entrypoints.api.deps import ContextDep, Operator, staff_with
from infobank.entrypoints.api.loop_schemas import OfferPublic, ReviewCreate
from infobank.entrypoints.api.routers.recipients import offer_public
from infobank.services import offers

router = APIRouter(tags=["staff"])

Ethics = Annotated[Principal, staff_with(StaffRole.ETHICS)]
Staff = Annotated[Principal, staff_with(StaffRole.OPERATOR, StaffRole.ETHICS, StaffRole.AUDITOR)]


@router.get("/v1/admin/reviews")
def review_queue(ctx: ContextDep, _staff: Staff) -> list[OfferPublic]:
    """Offers waiting for the data ethics board (データ倫理審査会)."""
    return [offer_public(o) for o in offers.review_queue(ctx)]


@router.post("/v1/admin/offers/{offer_id}/review")
def review(ctx: ContextDep, member: Ethics, offer_id: str, body: ReviewCreate) -> dict[str, Any]:
    """Approve or reject an offer, with minutes and optional conditions (ethics role)."""
    r = offers.review_offer(ctx, offer_id, member.id, body.decision, body.minutes, body.conditions)
    return {"offer_id": offer_id, "decision": r.decision, "decided_at": r.decided_at}


@router.post("/v1/admin/offers/{offer_id}/open")
def open_offer(ctx: ContextDep, staff: Operator, offer_id: str) -> dict[str, Any]:
    """Open an approved offer: matching, delegated consents, inbox entries."""
    return {"offer_id": offer_id, "status": "open", **offers.open_offer(ctx, offer_id, staff.id)}


@router.post("/v1/admin/offers/{offer_id}/close")
def close_offer(ctx: ContextDep, _staff: Operator, offer_id: str) -> OfferPublic:
    """Close an offer to new consents."""
    return offer_public(offers.close_offer(ctx, offer_id))


@router.get("/v1/admin/explain")
def explain(
    ctx: ContextDep,
    _staff: Staff,
    person_id: str,
    offer_id: str,
    action: Literal["accept", "delegate", "provide"] | None = None,
) -> dict[str, Any]:
    """What the rules decide for this person and offer, rule by rule (by default: providing
    under their consent if they have one, else accepting; ``action`` picks the step)."""
    chosen, decision = offers.explain(ctx, person_id, offer_id, action)
    return {
        "action": chosen.value,
        "allowed": decision.allowed,
        "version": decision.version,
        "reasons": [
            {
                "rule": r.rule,
                "clause": r.clause,
                "outcome": r.outcome.value,
                "message": r.message_ja,
                "message_en": r.message_en,
            }
            for r in decision.reasons
        ],
    }
