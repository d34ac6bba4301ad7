"""The person's benefits (便益): the points balance and its ledger."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from infobank.entrypoints.api.deps import ContextDep, CurrentPerson
from infobank.entrypoints.api.listing import PageDep
from infobank.services.benefits import statement_page

router = APIRouter(tags=["persons"])


@router.get("/v1/me/benefits")
def benefits(ctx: ContextDep, person: CurrentPerson, page: PageDep) -> dict[str, Any]:
    """The benefit (便益) balance and one page of its ledger entries, newest first: ``entries``
    is the page, ``next_cursor`` / ``prev_cursor`` read on as in every list."""
    balance, entries = statement_page(ctx, person.id, page)
    return {
        "balance_points": balance,
        "entries": entries.items,
        "next_cursor": entries.next_cursor,
        "prev_cursor": entries.prev_cursor,
    }
