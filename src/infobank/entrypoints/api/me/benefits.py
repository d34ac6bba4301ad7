"""The person's benefits (便益): the points balance and its ledger."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from infobank.entrypoints.api.deps import ContextDep, CurrentPerson
from infobank.services.benefits import statement

router = APIRouter(tags=["persons"])


@router.get("/v1/me/benefits")
def benefits(ctx: ContextDep, person: CurrentPerson) -> dict[str, Any]:
    """The benefit (便益) balance and its ledger entries."""
    balance, entries = statement(ctx, person.id)
    return {"balance_points": balance, "entries": entries}
