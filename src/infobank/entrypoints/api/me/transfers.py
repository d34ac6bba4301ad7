"""The person's moves between banks (情報銀行間連携): bundles other banks sent for them to
confirm, and sending their data to another bank."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status
from pydantic import Field

from infobank.domain.transfers import IncomingTransfer
from infobank.entrypoints.api.bodies import Input
from infobank.entrypoints.api.deps import BankDep, ContextDep, CurrentPerson, PeerDep
from infobank.services import transfers

router = APIRouter()


class TransferCreate(Input):
    target_url: str = Field(min_length=8, max_length=2048, description="the other bank's URL")


def _incoming(ctx: ContextDep, person_id: str, held: IncomingTransfer) -> dict[str, Any]:
    return {
        "id": held.id,
        "issuer": held.issuer,
        "status": held.status,
        "received_at": held.received_at,
        "expires_at": held.expires_at,
        "records": held.record_count,
        "consents": held.consent_count,
        "imported_at": held.imported_at,
        "history": transfers.history(ctx, person_id, held),
    }


@router.get("/v1/me/transfers", tags=["persons"])
def my_transfers(ctx: ContextDep, person: CurrentPerson) -> dict[str, Any]:
    """Bundles other banks sent for you (to confirm), and what you sent elsewhere."""
    with ctx.read() as uow:
        sent = uow.transfers.outgoing(person.id)
    return {
        "incoming": [_incoming(ctx, person.id, t) for t in transfers.mine(ctx, person.id)],
        "outgoing": [
            {
                "id": t.id,
                "target_url": t.target_url,
                "status": t.status,
                "records": t.record_count,
                "consents": t.consent_count,
                "created_at": t.created_at,
                "sent_at": t.sent_at,
            }
            for t in sent
        ],
    }


@router.post("/v1/me/transfers/{transfer_id}/confirm", tags=["persons"])
def confirm(bank: BankDep, person: CurrentPerson, transfer_id: str) -> dict[str, Any]:
    """Import a bundle sent for you: your records are stored here under your own key, and
    the history of your consents at the other bank is kept with it."""
    return transfers.confirm(bank.context, bank.transfer_key, person.id, transfer_id)


@router.post("/v1/me/transfer", status_code=status.HTTP_201_CREATED, tags=["persons"])
def transfer(
    ctx: ContextDep, person: CurrentPerson, peer: PeerDep, body: TransferCreate
) -> dict[str, Any]:
    """Move your data to another information bank now (it imports it once you confirm
    there; ``GET /v1/bank/peers`` lists the banks this one transfers to). Your data here
    stays until you delete your account."""
    sent = transfers.send(ctx, person.id, body.target_url, peer)
    return {
        "id": sent.id,
        "status": sent.status,
        "target_url": sent.target_url,
        "records": sent.record_count,
        "consents": sent.consent_count,
    }
