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
    """What the rules decide for this person and offer, rule by rule, each with its source
    (guideline, certification, mynaportal, policy) and basis in Japanese and English (by
    default: providing under their consent if they have one, else accepting; ``action``
    picks the step)."""
    chosen, decision = offers.explain(ctx, person_id, offer_id, action)
    return {
        "action": chosen.value,
        "allowed": decision.allowed,
        "version": decision.version,
        "reasons": [
            {
                "rule": r.rule,
                "source": r.source.value,
                "basis_ja": r.basis_ja,
                "basis_en": r.basis_en,
                "clause": r.basis_ja,  # the same text, kept for clients that read it
                "outcome": r.outcome.value,
                "message": r.message_ja,
                "message_en": r.message_en,
            }
            for r in decision.reasons
        ],
    }
