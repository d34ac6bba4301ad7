"""Explaining a decision: what the rules decide for one person and offer, rule by rule."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter

from infobank.entrypoints.api.deps import ContextDep, Staff
from infobank.services import offers

router = APIRouter(tags=["staff"])


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
