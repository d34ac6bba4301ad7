"""The person's notifications (通知): receipts, delegated consents, confirmations of
deletion."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from infobank.entrypoints.api.deps import ContextDep, CurrentPerson
from infobank.services import notifications as person_notifications

router = APIRouter(tags=["persons"])


@router.get("/v1/me/notifications")
def notifications(ctx: ContextDep, person: CurrentPerson) -> list[dict[str, Any]]:
    """Receipts, delegated consents, confirmations of deletion."""
    return person_notifications.for_person(ctx, person.id)
