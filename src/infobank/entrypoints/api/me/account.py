"""The person's account as a whole: export everything, or close the account (退会)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.encoders import jsonable_encoder

from infobank.entrypoints.api.deps import ContextDep, CurrentPerson
from infobank.services import account

router = APIRouter(tags=["persons"])


@router.get("/v1/me/export")
def export(ctx: ContextDep, person: CurrentPerson) -> Any:
    """Everything the bank holds about the person: profile, records, consents with their
    signed artefacts, provisions, delegation rules, benefits, notifications, inquiries."""
    return jsonable_encoder(account.export(ctx, person.id))


@router.delete("/v1/me")
def delete_me(ctx: ContextDep, person: CurrentPerson) -> dict[str, Any]:
    """Close the account: every consent is revoked, then the person's data key is destroyed,
    so their data is unreadable everywhere, backups included."""
    revoked = account.delete_account(ctx, person.id)
    return {"deleted": True, "revoked_consents": revoked}
