"""The person's notifications (通知): receipts, delegated consents, confirmations of
deletion."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from infobank.entrypoints.api.deps import ContextDep, CurrentPerson
from infobank.entrypoints.api.listing import Listing, PageDep, listing
from infobank.services import notifications as person_notifications

router = APIRouter(tags=["persons"])


@router.get("/v1/me/notifications")
def notifications(ctx: ContextDep, person: CurrentPerson, page: PageDep) -> Listing[dict[str, Any]]:
    """Receipts, delegated consents, confirmations of deletion; newest first."""
    return listing(person_notifications.notifications_page(ctx, person.id, page), dict)
