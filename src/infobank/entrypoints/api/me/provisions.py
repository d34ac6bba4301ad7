"""The person's provisions (提供状況): where their data is now, per recipient and consent."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from infobank.entrypoints.api.deps import ContextDep, CurrentPerson
from infobank.entrypoints.api.listing import Listing, PageDep, listing
from infobank.services import provisions

router = APIRouter(tags=["persons"])


@router.get("/v1/me/provisions")
def list_provisions(
    ctx: ContextDep, person: CurrentPerson, page: PageDep
) -> Listing[dict[str, Any]]:
    """Where the person's data is now: per recipient and consent, newest consent first."""
    return listing(provisions.provisions_page(ctx, person.id, page), dict)
